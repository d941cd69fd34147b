"""Personal data as numbers and mailboxes (Regulation Art. 15): resident ID numbers, mobile
numbers, bank card numbers, e-mail addresses.

A number counts only as a whole token: not preceded or followed by a digit or a Latin letter
(that would make it part of an order number, a credit code or a 文号), nor glued to more digits by
a hyphen, nor part of a URL or mailbox. Full-width digits and letters (１３８…) are read as their
ASCII forms; the finding's text is the original.
"""

import dataclasses
import re
from collections.abc import Iterator

from .checksums import (
    is_credit_code,
    is_old_resident_id,
    is_resident_id,
    looks_like_id,
    luhn_valid,
)
from .kinds import Finding, Kind

# A digit run preceded by "." or "=" or "_" is a file name, a URL parameter or an identifier, and
# one preceded by "digit-" is the tail of a compound code (e.g. DD-2024-13812345678).
_LEFT = r"(?<![0-9A-Za-z_=@.#])(?<![0-9]-)"
_RIGHT = r"(?![0-9A-Za-z_@])(?![.\-][0-9A-Za-z])"

_ID_RE = re.compile(rf"{_LEFT}[0-9]{{6}}(?P<sep> ?)[0-9]{{8}}(?P=sep)[0-9]{{3}}[0-9Xx]{_RIGHT}")
_OLD_ID_RE = re.compile(rf"{_LEFT}[0-9]{{15}}{_RIGHT}")
# Old 15-digit IDs have no check digit, so any 15-digit number with a plausible date would match;
# they are reported only right after a word that says this is an ID.
_OLD_ID_CONTEXT = re.compile(r"(?:身份证|证件)[号码]*[^0-9\n]{0,6}$")

_MOBILE_RE = re.compile(
    rf"{_LEFT}(?:(?:\+|00)86[ -]?|86[ -]|[(（]\+?86[)）] ?)?"
    rf"1[3-9][0-9](?P<sep>[ -]?)[0-9]{{4}}(?P=sep)[0-9]{{4}}{_RIGHT}"
)

# 16-19 digits, either in one run or in groups of four with one consistent separator. A grouped
# number may sit next to other numbers in a space-separated table row (ID, card, amount), so the
# groups are not required to be the whole digit run; the Luhn check decides where the card ends.
_CARD_RE = re.compile(
    rf"{_LEFT}[3-6][0-9]{{3}}"
    rf"(?:(?P<sep>[ -])[0-9]{{4}}(?:(?P=sep)[0-9]{{4}}){{2}}(?P<last>(?P=sep)[0-9]{{1,3}})?"
    rf"|[0-9]{{12,15}}){_RIGHT}"
)
_CARD_CONTEXT = re.compile(
    r"卡号|账号|帐号|银行|账户|帐户|开户|银联|信用卡|储蓄卡|借记卡|社保卡|收款|汇款|转账|存折"
)
# A Luhn-valid number labelled as something else is that something else (1 in 10 random
# numbers pass Luhn).
_NOT_CARD_CONTEXT = re.compile(
    r"订单|流水|单号|编号|编码|批次|条码|运单|快递|合同|发票|代码|文号|证号|案号|序列号|密码"
)
_CONTEXT_WINDOW = 12

_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)

ID_CONFIDENCE = 0.95
OLD_ID_CONFIDENCE = 0.5
MOBILE_CONFIDENCE = 0.9
CARD_CONFIDENCE_LABELLED = 0.95
CARD_CONFIDENCE = 0.75
EMAIL_CONFIDENCE = 0.9


def _finding(kind: str, m: re.Match, confidence: float, detail: str = "") -> Finding:
    return Finding(kind, m.start(), m.end(), m.group(), confidence, detail)


def find_id_numbers(text: str) -> Iterator[Finding]:
    for m in _ID_RE.finditer(text):
        if is_resident_id(m.group().replace(" ", "")):
            yield _finding(Kind.ID_NUMBER.value, m, ID_CONFIDENCE)
    for m in _OLD_ID_RE.finditer(text):
        before = text[max(0, m.start() - _CONTEXT_WINDOW) : m.start()]
        if is_old_resident_id(m.group()) and _OLD_ID_CONTEXT.search(before):
            yield _finding(Kind.ID_NUMBER.value, m, OLD_ID_CONFIDENCE, "15-digit ID")


def find_mobiles(text: str) -> Iterator[Finding]:
    for m in _MOBILE_RE.finditer(text):
        yield _finding(Kind.MOBILE.value, m, MOBILE_CONFIDENCE)


def _card_span(m: re.Match) -> tuple[int, int] | None:
    """The span of the Luhn-valid card in the match: the whole, or the first four groups when a
    short fifth group is another column of the table."""
    spans = [m.span()]
    if m.group("last"):
        spans.append((m.start(), m.start("last")))
    for start, end in spans:
        if luhn_valid(re.sub(r"[ -]", "", m.string[start:end])):
            return start, end
    return None


def find_bank_cards(text: str) -> Iterator[Finding]:
    for m in _CARD_RE.finditer(text):
        span = _card_span(m)
        if span is None:
            continue
        start, end = span
        digits = re.sub(r"[ -]", "", text[start:end])
        if len(digits) == 18 and (looks_like_id(digits) or is_credit_code(digits)):
            continue
        before = text[max(0, start - _CONTEXT_WINDOW) : start]
        if _CARD_CONTEXT.search(before):
            confidence = CARD_CONFIDENCE_LABELLED
        elif _NOT_CARD_CONTEXT.search(before):
            continue
        else:
            confidence = CARD_CONFIDENCE
        yield Finding(Kind.BANK_CARD.value, start, end, text[start:end], confidence)


def find_emails(text: str) -> Iterator[Finding]:
    for m in _EMAIL_RE.finditer(text):
        yield _finding(Kind.EMAIL.value, m, EMAIL_CONFIDENCE)


# One character for one, so offsets into the folded text are offsets into the original.
_FOLD_WIDTH = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B)]}
    | {chr(c): chr(c - 0xFEE0) for c in [*range(0xFF41, 0xFF5B), 0xFF20, 0xFF0E, 0xFF0D, 0xFF0B]}
    | {"\u3000": " "}
)


def find_personal(text: str) -> Iterator[Finding]:
    folded = text.translate(_FOLD_WIDTH)
    for detector in (find_id_numbers, find_mobiles, find_bank_cards, find_emails):
        for f in detector(folded):
            yield dataclasses.replace(f, text=text[f.start : f.end])
