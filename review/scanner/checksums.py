"""Check digits of the numbers the scanner looks for. A random digit string passes a check only by
chance (1 in 11 for an ID, 1 in 10 for Luhn), so these checks remove most false positives."""

import datetime as dt

from stdnum import luhn
from stdnum.cn import ric, uscc

# First two digits of a resident ID: the province-level division (GB/T 2260), plus 71 Taiwan and
# 81-83 Hong Kong, Macao and Taiwan residence permits. Stricter than "first digit 1-8": numbers such
# as 19..., 29... or 60... are never IDs.
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def id_check_char(first17: str) -> str:
    """The check character (0-9 or X) of an 18-digit resident ID given its first 17 digits."""
    # GB 11643-1999 (ISO 7064 MOD 11-2); stdnum reads the first 17 of an 18-character number.
    return ric.calc_check_digit(first17 + "0")


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def birth_date(digits: str, *, today: dt.date | None = None) -> dt.date | None:
    """The birth date in YYYYMMDD form, if it is a real date between 1900 and today."""
    try:
        born = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    if not EARLIEST_BIRTH <= born <= (today or _today()):
        return None
    return born


def looks_like_id(number: str, *, today: dt.date | None = None) -> bool:
    """18 characters with a valid province code and birth date: an ID, even if the check digit is
    wrong (a typo). Such numbers are not reported as bank cards."""
    return (
        len(number) == 18
        and number[:17].isdigit()
        and int(number[:2]) in PROVINCE_CODES
        and birth_date(number[6:14], today=today) is not None
    )


def is_resident_id(number: str, *, today: dt.date | None = None) -> bool:
    """A valid 18-character resident ID: structure, birth date and check character."""
    return (
        looks_like_id(number, today=today)
        and number[17].upper() in "0123456789X"
        and id_check_char(number[:17]) == number[17].upper()
    )


def is_old_resident_id(number: str) -> bool:
    """A 15-digit ID (issued until 1999): province code and a valid 19YYMMDD birth date; there is
    no check digit."""
    return (
        len(number) == 15
        and number.isdigit()
        and int(number[:2]) in PROVINCE_CODES
        and birth_date("19" + number[6:12], today=dt.date(1999, 12, 31)) is not None
    )


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by bank card numbers."""
    return digits.isdigit() and luhn.is_valid(digits)


def is_credit_code(code: str) -> bool:
    """A valid unified social credit code (统一社会信用代码, GB 32100-2015) of an organisation."""
    return uscc.is_valid(code.upper())
