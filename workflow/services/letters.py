"""Issuing letters: the model text of a kind filled with the request's facts, checked for every
part its kind requires (workflow.letter_kinds), numbered (文号) gap-free per unit and year, and
frozen. `letter_preview` renders the same letter without a number, for the pages that show it
before it is issued."""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from audit.services import audit_log

from ..exceptions import WorkflowError
from ..letter_kinds import (
    LetterKind,
    cites_a_provision,
    letter_kind,
    part_labels,
    template_missing,
    values_missing,
)
from ..models import DisclosureRequest, Letter, LetterSequence, LetterTemplate, Unit
from .sequences import next_serial

# Facts that come from the unit: when empty, the administrator fills them in, not the handler.
UNIT_FACTS = {
    "agency": "full_name",
    "reconsideration_body": "reconsideration_body",
    "court": "court",
}


def no_provision_message() -> str:
    return _(
        "Name the provision the answer rests on (第…条 of the Regulation or of another law): "
        "“other handling” has no article of its own."
    )


def letter_unit(request: DisclosureRequest) -> Unit:
    """The agency in whose name a request's letters go out: the one the applicant asked (Art. 27).
    A request transferred to another bureau for its answer (转办) changes this, in this one
    place."""
    return request.receiving_unit


def letter_number_format(*, unit: Unit, year: int, serial) -> str:
    return settings.LETTER_NUMBER_FORMAT.format(
        prefix=unit.letter_prefix, unit_code=unit.code, year=year, serial=serial
    )


class _Unnumbered:
    """The serial of a letter not yet issued: blank, as an office leaves it on a draft."""

    def __format__(self, spec: str) -> str:
        return "　　"


def letter_number_allocate(*, unit: Unit, year: int) -> tuple[str, int]:
    """Next document number of the unit and year. Runs inside the issuing transaction: the
    upsert locks the sequence row until commit, so concurrent issuers wait for each other, and a
    rollback gives the serial back, so numbers stay gap-free (as index numbers do,
    services.publication.index_number_allocate)."""
    serial = next_serial(
        sequence=LetterSequence, unit_id=unit.pk, year=year, purpose="document numbers"
    )
    return letter_number_format(unit=unit, year=year, serial=serial), serial


def _refusals(
    *, described: LetterKind, template: LetterTemplate, values: dict[str, str], unit: Unit
) -> list[str]:
    """Why this letter cannot go out, in words a handler or an administrator can act on."""
    reasons = []
    missing = template_missing(described, title=template.title, body=template.body)
    if missing:
        reasons.append(
            _(
                "The model text of “%(letter)s” lacks %(parts)s: an administrator completes it "
                "under Letter templates."
            )
            % {"letter": described.label, "parts": part_labels(missing)}
        )
    if "{prefix}" in settings.LETTER_NUMBER_FORMAT and not unit.letter_prefix.strip():
        reasons.append(
            _(
                "%(unit)s has no document number prefix (发文机关代字): an administrator enters "
                "it under Units."
            )
            % {"unit": unit.name}
        )
    empty_unit_facts = []
    empty_facts = []
    for part, name in values_missing(described, values):
        if name == "number":
            continue  # allocated when issued
        if name in UNIT_FACTS:
            field = Unit._meta.get_field(UNIT_FACTS[name])
            empty_unit_facts.append(str(field.verbose_name))
        else:
            empty_facts.append(f"{part.label} ({{{name}}})")
    if empty_unit_facts:
        reasons.append(
            _("%(unit)s has no %(fields)s: an administrator enters it under Units.")
            % {"unit": unit.name, "fields": "、".join(dict.fromkeys(empty_unit_facts))}
        )
    if (
        described.answer_cites_provision
        and values.get("answer")
        and not cites_a_provision(values["answer"])
    ):
        reasons.append(no_provision_message())
    if empty_facts:
        reasons.append(
            _("This letter cannot go out without %(parts)s.")
            % {"parts": "; ".join(dict.fromkeys(empty_facts))}
        )
    return reasons


def _prepare(
    *, request: DisclosureRequest, kind: str, on: dt.date, number: str, facts: dict
) -> tuple[Letter, list[str]]:
    from ..letters import fill_template, letter_context, letter_values

    described = letter_kind(kind)
    if described is None:
        raise WorkflowError(_("There is no such letter (%(kind)s).") % {"kind": kind})
    template = LetterTemplate.objects.filter(kind=kind).first()
    if template is None:
        raise WorkflowError(
            _("There is no model text for this letter (%(kind)s); ask an administrator.")
            % {"kind": kind}
        )
    unit = letter_unit(request)
    context = letter_context(request=request, on=on, number=number, **facts)
    refusals = _refusals(described=described, template=template, values=context, unit=unit)
    values = letter_values(kind=kind, context=context)
    title, body = fill_template(title=template.title, body=template.body, values=values)
    letter = Letter(
        request=request, kind=kind, title=title, body=body, unit=unit, number=number, issued_on=on
    )
    return letter, refusals


def letter_preview(
    *, request: DisclosureRequest, kind: str, on: dt.date, **facts
) -> tuple[Letter, list[str]]:
    """The letter as it would be issued on `on`, not saved and without its number (which only
    issuing allocates), and the reasons it could not be issued yet, if any."""
    unit = letter_unit(request)
    number = letter_number_format(unit=unit, year=on.year, serial=_Unnumbered())
    return _prepare(request=request, kind=kind, on=on, number=number, facts=facts)


def letter_issue(*, request: DisclosureRequest, kind: str, user, on: dt.date, **facts) -> Letter:
    """Freeze a letter from its model text, numbered, inside the caller's transaction: what the
    addressee was sent stays on record. Refused, with what is missing, when the model text lacks
    a part its kind requires or a fact is empty."""
    unit = letter_unit(request)
    _draft, refusals = _prepare(request=request, kind=kind, on=on, number="", facts=facts)
    if refusals:
        raise WorkflowError(" ".join(refusals))
    number, serial = letter_number_allocate(unit=unit, year=on.year)
    letter, _unused = _prepare(request=request, kind=kind, on=on, number=number, facts=facts)
    letter.number_year, letter.number_serial = on.year, serial
    letter.created_by = user
    letter.save()
    audit_log(
        actor=user,
        action="request.letter.issued",
        subject=request,
        new_state=request.status,
        comment=f"{letter.number} {letter.title}",
        data={"letter": letter.pk, "kind": kind, "number": number},
    )
    return letter
