"""The applicant's identity and contact details (Regulation Art. 29 (一): 姓名或者名称、身份证明、
联系方式), checked the same way wherever a request comes in: the public form, the staff's
registration form and the API (which reuses the public form). Each check normalises what it
accepts (spaces, a lower-case x, a +86 prefix), so the register holds one spelling per number
and the duplicate and Art. 35 counts, which compare ID numbers, are not fooled by spacing.

ID numbers: the resident identity card number of GB 11643 (18 characters, the last a check
character over the others, ISO 7064 MOD 11-2, computed by python-stdnum) with a birth date that
exists; organisations: the unified social credit code of GB 32100 (its own check character).
The region code is checked only for its province: python-stdnum's county table refuses real
numbers (a county renamed after its holder's birth, and the residence permits of Hong Kong,
Macao and Taiwan residents, 81/82/83, which follow GB 11643 too).
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

# GB/T 2260 province-level codes, plus Taiwan (71) and the residence permits of Hong Kong (81),
# Macao (82) and Taiwan (83) residents; 9x: the foreigners' permanent residence ID card (2023).
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split()
)
EARLIEST_BIRTH = dt.date(1880, 1, 1)
# Mainland mobile numbers: 11 digits, 1 then 3-9 (the segments the MIIT has allocated).
MOBILE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u3000()（）]+")
# No host without a dot (name@localhost): an applicant's address is on the internet.
_email = EmailValidator(allowlist=[])

ID_WRONG_LENGTH = _("Enter the 18-character resident ID number.")
ID_WRONG_FORMAT = _("A resident ID number is 17 digits followed by a digit or X.")
ID_WRONG_CHECK = _(
    "This ID number is not valid: its last character (the check digit) does not match the "
    "others. Please check it against the card."
)
ID_WRONG_BIRTH = _("This ID number is not valid: the date of birth in it does not exist.")
ID_WRONG_REGION = _("This ID number is not valid: its first two digits name no province.")
CODE_WRONG_LENGTH = _("Enter the 18-character unified social credit code.")
CODE_WRONG = _(
    "This unified social credit code is not valid: check it against the business licence or "
    "registration certificate."
)
MOBILE_WRONG = _("Enter a mainland mobile number: 11 digits starting with 13 to 19.")
EMAIL_WRONG = _("Enter a valid e-mail address, e.g. name@example.com.")


def _compact(value: str) -> str:
    return _SEPARATORS.sub("", str(value or "")).upper()


def clean_resident_id(value: str, *, today: dt.date | None = None) -> str:
    """An 18-character resident ID number, check digit and birth date verified; returns it
    compacted (upper-case X). Raises ValidationError with the reason."""
    number = _compact(value)
    if len(number) != 18:
        raise ValidationError(ID_WRONG_LENGTH, code="length")
    if not (number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")):
        raise ValidationError(ID_WRONG_FORMAT, code="format")
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(ID_WRONG_CHECK, code="checksum")
    try:
        born = ric.get_birth_date(number)
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(ID_WRONG_BIRTH, code="birth") from exc
    if not EARLIEST_BIRTH <= born <= (today or timezone.localdate()):
        raise ValidationError(ID_WRONG_BIRTH, code="birth")
    if number[:2] not in PROVINCES and number[0] != "9":
        raise ValidationError(ID_WRONG_REGION, code="region")
    return number


def clean_credit_code(value: str) -> str:
    """An 18-character unified social credit code (GB 32100-2015), check character verified."""
    code = _compact(value)
    if len(code) != 18:
        raise ValidationError(CODE_WRONG_LENGTH, code="length")
    try:
        return uscc.validate(code)
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(CODE_WRONG, code="checksum") from exc


def clean_id_number(value: str, *, applicant_kind: str) -> str:
    """Art. 29 (一) 身份证明: a person's resident ID number, an organisation's credit code."""
    if applicant_kind == "legal_person":
        return clean_credit_code(value)
    return clean_resident_id(value)


def clean_mobile(value: str) -> str:
    """A mainland mobile number, returned as its 11 digits (spaces, hyphens, +86 removed)."""
    number = _compact(value)
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            number = number[len(prefix) :]
    if not MOBILE.fullmatch(number):
        raise ValidationError(MOBILE_WRONG, code="mobile")
    return number


def clean_email(value: str) -> str:
    """An e-mail address on the internet, trimmed, its domain in lower case."""
    address = str(value or "").strip()
    try:
        _email(address)
    except ValidationError as exc:
        raise ValidationError(EMAIL_WRONG, code="email") from exc
    local, _at, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def applicant_errors(data: dict) -> dict[str, ValidationError]:
    """Check and normalise, in `data`, the applicant's ID number, phone and e-mail (when given);
    returns the refusals by field name, for a form to show each beside its field."""
    errors: dict[str, ValidationError] = {}
    checks = (
        ("id_number", lambda v: clean_id_number(v, applicant_kind=data.get("applicant_kind"))),
        ("phone", clean_mobile),
        ("email", clean_email),
    )
    for name, check in checks:
        value = data.get(name)
        if not value:
            continue  # required or not is the form's business
        try:
            data[name] = check(value)
        except ValidationError as exc:
            errors[name] = exc
    return errors
