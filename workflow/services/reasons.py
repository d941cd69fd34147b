"""Art. 35: the applicant of an excessive request is asked to state reasons, and the office judges
them.

第三十五条: "申请人申请公开政府信息的数量、频次明显超过合理范围，行政机关可以要求申请人说明理由。
行政机关认为申请理由不合理的，告知申请人不予处理；行政机关认为申请理由合理，但是无法在本条例第三十三条
规定的期限内答复申请人的，可以确定延迟答复的合理期限并告知申请人。"

The steps: `reasons_request` issues the 说明理由 letter with the date for the applicant's answer
(REQUEST_REASONS_WORKDAYS working days after the letter's date unless the handler gives another);
`reasons_record` records the reasons the applicant gave and the day they arrived; once they are
recorded, or the date has passed without them, `reasons_decide` records the office's judgment.
Not reasonable: the request is answered 不予处理 (Outcome.EXCESSIVE, whose letter cites Art. 35),
which services.outcomes refuses until this judgment exists. Reasonable: the request is answered,
and when it cannot be answered within Art. 33's time the office may set a reasonable later date
(`deferred_due_on`), which the clock takes as the due date (services.request_clock) and the
applicant is told by the 延迟答复告知书.

The clock does not pause while the applicant is asked for reasons. Art. 33 ¶3 leaves out of the
time limit only the time for consulting a third party or another agency (Arts. 32, 34), and Art.
30 restarts it only after a correction; Art. 35 takes no time out of the limit. What it gives
instead is the later date of its second half: if waiting for the reasons leaves too little time,
the office sets that date (before the due date passes) and says so. Pausing the clock here would
invent a suspension the Regulation does not grant.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log

from ..exceptions import WorkflowError
from ..models import DisclosureRequest, Letter, ReasonsDecision
from ..workdays import WorkCalendar
from .consultations import open_request_locked
from .dates import date_refusal, request_date_floor
from .letters import letter_issue
from .request_clock import iso, request_clock_update


def reasons_due(letter_on: dt.date, *, calendar: WorkCalendar | None = None) -> dt.date:
    """The default date for the applicant's reasons: REQUEST_REASONS_WORKDAYS working days after
    the letter's date (see the setting for why working days)."""
    calendar = calendar or WorkCalendar.load()
    return calendar.count_forward(letter_on, settings.REQUEST_REASONS_WORKDAYS).due


def reasons_waiting(request: DisclosureRequest, *, today: dt.date) -> bool:
    """Reasons were asked for, none are recorded, and the applicant's date has not passed."""
    return bool(
        request.reasons_requested_on
        and request.reasons_received_on is None
        and request.reasons_due_on
        and today <= request.reasons_due_on
    )


def reasons_decidable(request: DisclosureRequest, *, today: dt.date) -> bool:
    """The reasons can be judged: asked for, not yet judged, and answered or lapsed."""
    return bool(
        request.reasons_requested_on
        and not request.reasons_decision
        and not reasons_waiting(request, today=today)
    )


def deferral_refusal(
    request: DisclosureRequest, *, deferred_due_on: dt.date, today: dt.date
) -> str:
    """Why the answer cannot be deferred to `deferred_due_on`, or "".

    The later date answers a request that "cannot be answered within Art. 33's time": it is set,
    and told to the applicant, while that time is still running, as an extension is (Art. 33 ¶2,
    services.request_actions.extension_too_late). Set afterwards it would only hide a late
    answer."""
    if request.due_on is None:
        return _(
            "The clock is paused for a consultation: set the later date once it runs again and "
            "the due date is known."
        )
    if today > request.due_on:
        return _(
            "The due date %(date)s has passed: a later date had to be set and told to the "
            "applicant by then (Art. 35). Answer the request now; the delay stays on record."
        ) % {"date": request.due_on.isoformat()}
    if deferred_due_on <= request.due_on:
        return _("The later date must come after the current due date %(date)s.") % {
            "date": request.due_on.isoformat()
        }
    return ""


@transaction.atomic
def reasons_request(
    *,
    request_id: int,
    user,
    reason: str,
    due_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Letter:
    """Ask the applicant to state the reasons for the request (Art. 35): the 说明理由 letter,
    dated today, with the date by which to answer. Once per request."""
    today = today or timezone.localdate()
    request = open_request_locked(request_id, user)
    if request.reasons_requested_on is not None:
        raise WorkflowError(
            _("The applicant was already asked to state reasons on %(date)s.")
            % {"date": request.reasons_requested_on.isoformat()}
        )
    default = reasons_due(today)
    due_on = due_on or default
    errors = {}
    if not reason.strip():
        errors["reason"] = _(
            "Say why the request appears excessive: how many requests, how often (Art. 35)."
        )
    if due_on <= today:
        errors["due_on"] = _("Give the applicant a date after today to state the reasons.")
    if errors:
        raise ValidationError(errors)
    request.reasons_requested_on = today
    request.reasons_due_on = due_on
    request.save(update_fields=["reasons_requested_on", "reasons_due_on", "updated_at"])
    letter = letter_issue(
        request=request,
        kind="reasons_request",
        user=user,
        on=today,
        reason=reason,
        reasons_due_on=due_on,
    )
    audit_log(
        actor=user,
        action="request.reasons.requested",
        subject=request,
        new_state=iso(due_on),
        comment=reason,
        data={
            "letter": letter.pk,
            "reasons_due_on": iso(due_on),
            "default_due_on": iso(default),
            # Art. 35 takes no time out of Art. 33's limit: the clock runs on (module docstring).
            "due_on": iso(request.due_on),
        },
    )
    return letter


@transaction.atomic
def reasons_record(
    *,
    request_id: int,
    user,
    received_on: dt.date,
    reasons: str,
    today: dt.date | None = None,
) -> DisclosureRequest:
    """The applicant's reasons arrived: what they say and the day. Reasons arriving after the
    date are recorded too (marked late); the office weighs them."""
    today = today or timezone.localdate()
    request = open_request_locked(request_id, user)
    if request.reasons_requested_on is None:
        raise WorkflowError(_("The applicant was not asked to state reasons for this request."))
    if request.reasons_decision:
        raise WorkflowError(_("The applicant's reasons have already been judged."))
    if request.reasons_received_on is not None:
        raise WorkflowError(_("The applicant's reasons are already recorded."))
    errors = {}
    refusal = date_refusal(
        received_on, floor=request_date_floor(request.receiving_unit), today=today
    )
    if not refusal and received_on < request.reasons_requested_on:
        refusal = _("The reasons cannot have arrived before they were asked for.")
    if refusal:
        errors["received_on"] = refusal
    if not reasons.strip():
        errors["reasons"] = _("Write down the reasons the applicant gave.")
    if errors:
        raise ValidationError(errors)
    request.reasons_received_on = received_on
    request.reasons_given = reasons
    request.save(update_fields=["reasons_received_on", "reasons_given", "updated_at"])
    audit_log(
        actor=user,
        action="request.reasons.received",
        subject=request,
        new_state=iso(received_on),
        comment=reasons,
        data={
            "received_on": iso(received_on),
            "reasons_due_on": iso(request.reasons_due_on),
            "late": received_on > request.reasons_due_on,
        },
    )
    return request


@transaction.atomic
def reasons_decide(
    *,
    request_id: int,
    user,
    reasonable: bool,
    comment: str,
    deferred_due_on: dt.date | None = None,
    today: dt.date | None = None,
) -> DisclosureRequest:
    """The office judges the reasons, once they are recorded or their date has passed (Art. 35).

    Not reasonable: the answer 不予处理 (Outcome.EXCESSIVE) becomes possible. Reasonable: the
    request is answered; with `deferred_due_on` the answer is due on that later date (it must be
    set before the current due date passes, `deferral_refusal`), the clock is recomputed and
    audited, and the applicant is sent the 延迟答复告知书."""
    today = today or timezone.localdate()
    request = open_request_locked(request_id, user)
    if request.reasons_requested_on is None:
        raise WorkflowError(_("The applicant was not asked to state reasons for this request."))
    if request.reasons_decision:
        raise WorkflowError(_("The applicant's reasons have already been judged."))
    if reasons_waiting(request, today=today):
        raise WorkflowError(
            _(
                "The applicant has until %(date)s to state reasons: record them when they arrive, "
                "or judge after that day."
            )
            % {"date": request.reasons_due_on.isoformat()}
        )
    errors = {}
    if not comment.strip():
        errors["comment"] = _("Say why the reasons are, or are not, reasonable.")
    if deferred_due_on is not None:
        if not reasonable:
            errors["deferred_due_on"] = _(
                "Only a request whose reasons are reasonable is answered at a later date."
            )
        else:
            refusal = deferral_refusal(request, deferred_due_on=deferred_due_on, today=today)
            if refusal:
                errors["deferred_due_on"] = refusal
    if errors:
        raise ValidationError(errors)
    decision = ReasonsDecision.REASONABLE if reasonable else ReasonsDecision.NOT_REASONABLE
    request.reasons_decision = decision
    request.reasons_decided_on = today
    request.save(update_fields=["reasons_decision", "reasons_decided_on", "updated_at"])
    audit_log(
        actor=user,
        action="request.reasons.judged",
        subject=request,
        new_state=decision,
        comment=comment,
        data={
            "reasons_received_on": iso(request.reasons_received_on),
            "reasons_due_on": iso(request.reasons_due_on),
            "deferred_due_on": iso(deferred_due_on),
        },
    )
    if deferred_due_on is not None:
        request.deferred_due_on = deferred_due_on
        request.save(update_fields=["deferred_due_on", "updated_at"])
        request_clock_update(
            request=request,
            actor=user,
            event="deferred",
            comment=comment,
            data={"deferred_due_on": iso(deferred_due_on)},
        )
        letter_issue(
            request=request,
            kind="reasons_deferral",
            user=user,
            on=today,
            reason=comment,
            deferred_due_on=deferred_due_on,
        )
    return request
