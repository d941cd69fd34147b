"""Disclosure over a third party's objection (Art. 32).

A third party that objects with good reason keeps its information withheld. When the agency finds
that withholding it would seriously affect the public interest, it may decide to disclose, and
tells the third party in writing what will be disclosed and why. The notice announces disclosure
15 working days after it is issued, so the third party can apply for reconsideration or sue before
the information is out; the answer to the applicant is delivered only after that day.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import WorkflowError
from ..models import Consultation, DisclosureRequest, Letter, Outcome
from ..workdays import WorkCalendar
from .consultations import open_request_locked
from .dates import date_refusal, request_date_floor
from .letters import letter_issue

NOTICE = "third_party_disclosure"
THIRD_PARTY_WAIT_DAYS = 15
# The answers that give the information out.
DISCLOSING_OUTCOMES = {Outcome.DISCLOSED, Outcome.PARTLY_DISCLOSED}


def disclosure_day(notice_on: dt.date, *, calendar: WorkCalendar) -> dt.date:
    """The last of the 15 working days after the notice: disclosure comes after it."""
    return calendar.count_forward(notice_on, THIRD_PARTY_WAIT_DAYS).due


def disclosure_hold(*, request: DisclosureRequest, on: dt.date) -> str:
    """Why an answer that discloses cannot be delivered on `on`, or "".

    An objection with no notice of disclosure means the agency has not decided to override it:
    a full disclosure is refused (a partial one may be withholding exactly the third party's
    part). After a notice, nothing is disclosed until its 15 working days are over."""
    if request.outcome not in DISCLOSING_OUTCOMES:
        return ""
    notices = list(request.letters.filter(kind=NOTICE).order_by("issued_on", "id"))
    objected = request.consultations.filter(
        kind=Consultation.Kind.THIRD_PARTY, opinion=Consultation.Opinion.OBJECTS
    ).exists()
    if objected and not notices and request.outcome == Outcome.DISCLOSED:
        return _(
            "A third party objected to disclosure (Art. 32). Either withhold its information, or "
            "decide to disclose it and send the third party the notice first (on the request "
            "page); the answer follows 15 working days later."
        )
    if notices:
        calendar = WorkCalendar.load()
        last = max(
            disclosure_day(n.issued_on or n.created_at.date(), calendar=calendar) for n in notices
        )
        if on <= last:
            return _(
                "The third party was told the information is disclosed after %(date)s (Art. 32): "
                "the answer can be delivered from the next day."
            ) % {"date": last.isoformat()}
    return ""


@transaction.atomic
def third_party_disclosure_notify(
    *,
    consultation_id: int,
    user,
    content: str,
    reason: str,
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> Letter:
    """Tell a third party that objected that its information will be disclosed, what and why
    (Art. 32), and when: after 15 working days from this notice."""
    today = today or timezone.localdate()
    on = on or today
    request_id = Consultation.objects.values_list("request_id", flat=True).get(pk=consultation_id)
    request = open_request_locked(request_id, user)
    consultation = Consultation.objects.get(pk=consultation_id)
    if (
        consultation.kind != Consultation.Kind.THIRD_PARTY
        or consultation.opinion != Consultation.Opinion.OBJECTS
    ):
        raise WorkflowError(
            _("Only a third party that objected is told of a decision to disclose (Art. 32).")
        )
    errors = {}
    if not content.strip():
        errors["content"] = _("Say what information will be disclosed.")
    if not reason.strip():
        errors["reason"] = _(
            "Give the reasons: why withholding it would seriously affect the public interest."
        )
    refusal = date_refusal(on, floor=request_date_floor(request.receiving_unit), today=today)
    if not refusal and consultation.replied_on and on < consultation.replied_on:
        refusal = _("The notice cannot precede the third party's objection.")
    if refusal:
        errors["on"] = refusal
    if errors:
        raise ValidationError(errors)
    return letter_issue(
        request=request,
        kind=NOTICE,
        user=user,
        on=on,
        party=consultation.party,
        answer=content,
        reason=reason,
        disclosure_on=disclosure_day(on, calendar=WorkCalendar.load()),
    )
