"""The kinds of letter (答复告知书 and the notices around a request) and what each must carry.

A letter is issued from its model text (`LetterTemplate`, edited by administrators) filled with
the request's facts (`workflow.letters.letter_context`). Every kind declares its required parts:
the agency's full name, the document number (文号), the addressee, the request, the decision with
the article it rests on, the reasons, the remedies with the bodies named, the date and the place
for the seal, plus what is particular to the kind (a time limit, an amount). A model text that
lacks a part, or a fact left empty (a unit without its full name, no reconsideration body), is
refused when the letter is issued (`services.letters.letter_issue`, with what is missing named) and
when an administrator saves the model text (the admin).

Adding a kind (for instance the acknowledgement the 签收 step sends):
1. Add a `LetterKind` to `LETTER_KINDS` below: its label, whether it goes to the applicant, and its
   parts. Start from `APPLICANT_LETTER` or `PARTY_LETTER`, add the article it rests on with
   `cites(...)`, its own facts (`Part` with the placeholders that carry them) and `REMEDIES` when
   it decides something the addressee may challenge.
2. Seed its model text in a data migration (`LetterTemplate.objects.get_or_create(kind=...,
   defaults={"title": ..., "body": ...})`; see migration 0021), with a placeholder for every
   part. `tests/workflow/test_letters.py` checks that every kind has a seeded text that fills
   every part.
3. Issue it inside the step's transaction: `letter_issue(request=..., kind=..., user=..., on=...,
   **facts)`; the facts are the keywords of `letter_context`. The document number is allocated
   there, gap-free per unit and year; `letter_preview` renders the same letter without a number.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Where the seal goes (GB/T 9704-2012 7.3.5.1: the seal presses the agency's name and the date).
SEAL = "（印章）"
REGULATION = "《中华人民共和国政府信息公开条例》"


@dataclass(frozen=True)
class Part:
    """Something a letter must carry: the placeholders that carry it (each must be in the model
    text and filled when the letter is issued) and literal phrases the text must keep (the article
    it rests on, a time limit fixed by law)."""

    code: str
    label: Promise
    placeholders: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class LetterKind:
    kind: str
    label: Promise
    parts: tuple[Part, ...]
    # Letters to a third party or another agency name the request by the unit's reference: the
    # tracking code opens the applicant's public status page (workflow.letters).
    to_applicant: bool = True
    # "Other handling" rests on no fixed article: the drafted answer must name the provision.
    answer_cites_provision: bool = False
    extra: tuple[Part, ...] = field(default=())

    @property
    def all_parts(self) -> tuple[Part, ...]:
        return self.parts + self.extra


AGENCY = Part("agency", _("the agency's full name"), ("agency",))
NUMBER = Part("number", _("the document number (文号)"), ("number",))
DATE = Part("date", _("the date"), ("date",))
SEAL_PLACE = Part("seal", _("the place for the seal"), phrases=(SEAL,))
APPLICANT = Part("applicant", _("the applicant"), ("applicant",))
TRACKING = Part("tracking_code", _("the tracking code"), ("tracking_code",))
PARTY = Part("party", _("the party written to"), ("party",))
REFERENCE = Part("reference", _("the unit's reference of the request"), ("reference",))
REQUEST = Part(
    "request", _("the request's receipt date and content"), ("received_on", "description")
)
ANSWER = Part("reasons", _("the reasons (the drafted answer)"), ("answer",))
REASON = Part("reason", _("the reasons"), ("reason",))
# 行政复议法 (2023) Art. 20: 60 days; Art. 24: the government at the same level decides on its
# departments' acts. 行政诉讼法 Art. 46: 6 months when suing directly.
REMEDIES = Part(
    "remedies",
    _(
        "the remedies: reconsideration by the named body within 60 days, or suit in the named court within 6 months"
    ),
    ("reconsideration_body", "court"),
    ("60日", "6个月"),
)
# 行政复议法 (2023) Art. 23 ¶1 (四): against a refusal to disclose, reconsideration comes first;
# 行政诉讼法 Art. 45: suit within 15 days of receiving the reconsideration decision.
REMEDIES_REVIEW_FIRST = Part(
    "remedies",
    _(
        "the remedies: reconsideration first by the named body within 60 days, then suit in the named court within 15 days of its decision"
    ),
    ("reconsideration_body", "court"),
    ("60日", "行政复议决定", "15日", "第二十三条"),
)
GROUND = Part("legal_ground", _("the legal ground of what is withheld"), ("legal_ground",))
COMPETENT = Part(
    "competent_agency", _("the competent agency and how to reach it"), ("competent_agency",)
)
# Art. 36(6): which earlier request this one repeats, and when it was answered.
EARLIER = Part(
    "earlier_request", _("the earlier request and when it was answered"), ("earlier_request",)
)
CORRECTION = Part("correction", _("what to correct and by when"), ("reason", "correction_due_on"))
EXTENSION = Part(
    "extension",
    _("the extension, its reason and the new due date"),
    ("extension_days", "due_on", "reason"),
)
RECEIPT = Part(
    "receipt",
    _("the due date of the answer and where to follow the request"),
    ("due_on", "status_url"),
)
FEE = Part(
    "fee",
    _("the fee: amount, basis, how and by when to pay, and that the clock stops until paid"),
    ("fee_amount", "fee_basis", "fee_payment", "fee_due_on"),
    ("不计算在答复期限内", "视为放弃申请"),
)
REASONS_DUE = Part("reasons_due", _("the deadline for the reasons"), ("reasons_due_on",))
DEFERRAL = Part(
    "deferral", _("the later date by which the request is answered"), ("deferred_due_on",)
)
DISCLOSURE = Part(
    "disclosure",
    _("the information to be disclosed, why, and the day after which it is disclosed"),
    ("answer", "reason", "disclosure_on"),
    ("15个工作日",),
)
PARTY_TIME = Part("party_time", _("the 15 working days to answer"), phrases=("15个工作日",))
DEEMED_CONSENT = Part(
    "deemed_consent", _("that silence counts as agreement (Art. 34)"), phrases=("视为同意公开",)
)
THIRD_PARTY_SILENCE = Part(
    "third_party_silence",
    _("that after silence the agency decides (Art. 32)"),
    phrases=("决定是否公开",),
)


def cites(*citations: str) -> Part:
    """The decision and the article(s) it rests on, as the model text must cite them."""
    return Part(
        "decision",
        format_lazy(_("the decision and the article it rests on ({})"), "、".join(citations)),
        phrases=citations,
    )


COMMON = (AGENCY, NUMBER, DATE, SEAL_PLACE)
APPLICANT_LETTER = (*COMMON, APPLICANT, TRACKING, REQUEST)
PARTY_LETTER = (*COMMON, PARTY, REFERENCE, REQUEST)


def _answer(kind: str, label, *citations: str, extra=(), review_first=False) -> LetterKind:
    remedies = REMEDIES_REVIEW_FIRST if review_first else REMEDIES
    return LetterKind(
        kind, label, (*APPLICANT_LETTER, cites(*citations), ANSWER, remedies), extra=tuple(extra)
    )


_KINDS = [
    # Answers (Art. 36 and Arts. 30, 35, 37-39, 42): the kind is the request's outcome.
    _answer("already_public", _("Answer: already disclosed (Art. 36(1))"), "第三十六条第（一）项"),
    _answer("disclosed", _("Answer: disclosed (Art. 36(2))"), "第三十六条第（二）项"),
    _answer(
        "partly_disclosed",
        _("Answer: partly disclosed (Art. 37)"),
        "第三十七条",
        extra=[GROUND],
        review_first=True,
    ),
    _answer(
        "not_disclosed",
        _("Answer: not disclosed (Art. 36(3))"),
        "第三十六条第（三）项",
        extra=[GROUND],
        review_first=True,
    ),
    _answer(
        "not_held", _("Answer: information does not exist (Art. 36(4))"), "第三十六条第（四）项"
    ),
    _answer(
        "not_competent",
        _("Answer: not this agency's (Art. 36(5))"),
        "第三十六条第（五）项",
        extra=[COMPETENT],
    ),
    _answer("needs_compilation", _("Answer: would need compiling (Art. 38)"), "第三十八条"),
    _answer("still_unclear", _("Answer: still unclear after correction (Art. 30)"), "第三十条"),
    _answer(
        "repeated",
        _("Answer: repeated request (Art. 36(6))"),
        "第三十六条第（六）项",
        extra=[EARLIER],
    ),
    _answer("petition", _("Answer: a petition, not a request (Art. 39 ¶1)"), "第三十九条第一款"),
    _answer("publication", _("Answer: a public publication (Art. 39 ¶2)"), "第三十九条第二款"),
    _answer("excessive", _("Answer: excessive, not processed (Art. 35)"), "第三十五条"),
    _answer("special_statute", _("Answer: special statute (Art. 36(7))"), "第三十六条第（七）项"),
    # Confirming or re-issuing what the applicant already has means making new information (Art.
    # 38), and such a request is no disclosure request (Art. 39 ¶1): each sentence cites its own.
    _answer(
        "reconfirm",
        _("Answer: confirm or re-issue information already obtained (Arts. 38, 39 ¶1)"),
        "第三十八条",
        "第三十九条第一款",
    ),
    _answer(
        "fee_unpaid",
        _("Answer: processing fee not paid (Art. 42)"),
        "第四十二条",
        "国办函〔2020〕109号",
    ),
    # Art. 33 sets time limits; it is no ground for an answer. "Other" cites what the drafter
    # relies on, in the answer itself (checked when drafting and when issuing).
    LetterKind(
        "other",
        _("Answer: other handling (the answer names the provision)"),
        (*APPLICANT_LETTER, ANSWER, REMEDIES),
        answer_cites_provision=True,
    ),
    # No correction in time: treated as abandoned (Art. 30), issued by the correction step.
    LetterKind(
        "abandoned",
        _("Abandonment notice (视为放弃, Art. 30)"),
        (*APPLICANT_LETTER, cites("第三十条"), REMEDIES),
    ),
    # Notices to the applicant.
    LetterKind(
        "correction",
        _("Correction notice (补正告知书, Art. 30)"),
        (*APPLICANT_LETTER, cites("第三十条"), CORRECTION),
    ),
    LetterKind(
        "extension",
        _("Extension notice (延期答复告知书, Art. 33 ¶2)"),
        (*APPLICANT_LETTER, cites("第三十三条第二款"), EXTENSION),
    ),
    LetterKind(
        "receipt",
        _("Acknowledgement of receipt (受理回执)"),
        (*APPLICANT_LETTER, cites("第三十三条"), RECEIPT),
    ),
    LetterKind(
        "reasons_request",
        _("Request for reasons (申请人说明理由通知, Art. 35)"),
        (*APPLICANT_LETTER, cites("第三十五条"), REASON, REASONS_DUE),
    ),
    # Art. 35, second half: reasons found reasonable, but the request cannot be answered within
    # Art. 33's time: the office sets a reasonable later date and tells the applicant.
    LetterKind(
        "reasons_deferral",
        _("Deferred answer notice (延迟答复告知书, Art. 35)"),
        (*APPLICANT_LETTER, cites("第三十五条"), REASON, DEFERRAL),
    ),
    LetterKind(
        "fee_notice",
        _("Fee notice (收费通知, Art. 42, 国办函〔2020〕109号)"),
        (*APPLICANT_LETTER, cites("第四十二条", "国办函〔2020〕109号"), FEE),
    ),
    # Letters to others than the applicant.
    LetterKind(
        "consultation",
        _("Consultation of a third party (征求第三方意见函, Art. 32)"),
        (*PARTY_LETTER, cites("第三十二条"), REASON, PARTY_TIME, THIRD_PARTY_SILENCE),
        to_applicant=False,
    ),
    LetterKind(
        "consultation_agency",
        _("Consultation of another agency (征求意见函, Art. 34)"),
        (*PARTY_LETTER, cites("第三十四条"), REASON, PARTY_TIME, DEEMED_CONSENT),
        to_applicant=False,
    ),
    LetterKind(
        "third_party_disclosure",
        _("Third party told of disclosure over its objection (Art. 32)"),
        (*PARTY_LETTER, cites("第三十二条"), DISCLOSURE, REMEDIES),
        to_applicant=False,
    ),
]

LETTER_KINDS: dict[str, LetterKind] = {k.kind: k for k in _KINDS}


def letter_kind(kind: str) -> LetterKind | None:
    return LETTER_KINDS.get(kind)


def kind_choices() -> list[tuple[str, Promise]]:
    return [(k.kind, k.label) for k in _KINDS]


def placeholders_in(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def template_missing(kind: LetterKind, *, title: str, body: str) -> list[Part]:
    """The parts a model text lacks: a placeholder not used, or a phrase not there."""
    text = f"{title}\n{body}"
    used = placeholders_in(text)
    return [
        part
        for part in kind.all_parts
        if not set(part.placeholders) <= used or any(p not in text for p in part.phrases)
    ]


def values_missing(kind: LetterKind, values: Mapping[str, str]) -> list[tuple[Part, str]]:
    """The (part, placeholder) pairs left empty by the facts of this letter."""
    return [
        (part, name)
        for part in kind.all_parts
        for name in part.placeholders
        if not str(values.get(name, "") or "").strip()
    ]


PROVISION = re.compile(r"第[一二三四五六七八九十百零〇\d]+条")


def cites_a_provision(text: str) -> bool:
    """Whether a drafted answer names an article (第…条) of some law or regulation."""
    return bool(PROVISION.search(text))


def part_labels(parts: Iterable[Part]) -> str:
    return "; ".join(str(part.label) for part in parts)
