"""The statutory clock of a disclosure request (Regulation Arts. 30-34).

One computation from stored inputs (clock start, time limit, approved extension, consultation
pauses, the fee notice's pause, and the later date Art. 35 lets the agency set for an excessive request with good reasons,
services.reasons) gives the due date, so a calendar edit or a late-recorded pause recomputes it the same
way. Every change is audited with the old and new due date (action codes `request.clock.*`); the
request page reads those rows as the clock's history. The same holds for the two dates around
receipt: the Art. 30 correction-notice date and the day by which receipt is to be confirmed with
the applicant (Art. 31). A calendar edit recomputes all of them (services.calendar_changes).
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_log

from ..models import Channel, DisclosureRequest, FeeNotice, Item
from ..workdays import Deadline, WorkCalendar

CORRECTION_NOTICE_DAYS = 7  # Art. 30: tell the applicant within 7 working days of receipt
CONSULTATION_DAYS = 15  # Arts. 32 and 34: the consulted party has 15 working days
MAX_EXTENSION_DAYS = 20  # Art. 33 ¶2


# Channels whose receipt date is the day both sides confirm (Art. 31(二) ordinary mail, (三)).
CONFIRMED_CHANNELS = (Channel.ORDINARY_MAIL, Channel.ONLINE, Channel.FAX)
# Art. 31(二): "应当于收到申请的当日与申请人确认": the same day, not a setting.
ORDINARY_MAIL_CONFIRMATION_WORKDAYS = 0


def correction_notice_due(received: dt.date, *, calendar: WorkCalendar) -> dt.date:
    return calendar.count_forward(received, CORRECTION_NOTICE_DAYS).due


def receipt_confirmation_due(
    request: DisclosureRequest, *, calendar: WorkCalendar
) -> dt.date | None:
    """The day by which receipt is to be confirmed with the applicant: an ordinary letter on the
    day it arrives, an online or faxed request RECEIPT_CONFIRMATION_WORKDAYS after (see the
    setting). None for channels whose receipt date needs no confirmation."""
    if request.channel not in CONFIRMED_CHANNELS or request.arrived_on is None:
        return None
    days = (
        ORDINARY_MAIL_CONFIRMATION_WORKDAYS
        if request.channel == Channel.ORDINARY_MAIL
        else settings.RECEIPT_CONFIRMATION_WORKDAYS
    )
    return calendar.count_forward(request.arrived_on, days).due


def receipt_confirmation_warning(request: DisclosureRequest) -> str:
    """A warning when receipt was confirmed after it was due (an ordinary letter later than the
    day it arrived): the late confirmation moved the start of the time limit. Empty otherwise.
    A confirmation still open is the sweep's and the work list's business (its due date)."""
    due = request.confirmation_due_on
    if due is None or request.arrived_on is None:
        return ""
    values = {"arrived": request.arrived_on.isoformat(), "due": due.isoformat()}
    if request.confirmed_on is not None and request.confirmed_on > due:
        values["confirmed"] = request.confirmed_on.isoformat()
        if request.channel == Channel.ORDINARY_MAIL:
            return (
                _(
                    "Receipt confirmed late: the letter arrived on %(arrived)s but was confirmed "
                    "with the applicant only on %(confirmed)s. Art. 31(二) requires confirming an "
                    "ordinary letter on the day it arrives; the time limit started later than it "
                    "should have."
                )
                % values
            )
        return (
            _(
                "Receipt confirmed late: the request arrived on %(arrived)s and was to be confirmed "
                "by %(due)s, but was confirmed only on %(confirmed)s; the time limit started later "
                "than it should have."
            )
            % values
        )
    return ""


def request_receive(
    request: DisclosureRequest, *, received: dt.date, calendar: WorkCalendar
) -> None:
    """Record the receipt date (Art. 31): the clock starts after it, and the one correction
    notice Art. 30 allows must go out within 7 working days of it. The caller saves."""
    request.received_on = received
    request.clock_start = received
    request.correction_notice_due_on = correction_notice_due(received, calendar=calendar)


def request_pauses(request: DisclosureRequest) -> list[tuple[dt.date, dt.date | None]]:
    """Days in (sent, closed] are not counted (Art. 33 ¶3). A consultation is closed at the
    latest on the consulted party's last day (services.consultations), so no pause is open
    for ever. The same for a fee notice (国办函〔2020〕109号): from the notice to payment, or, unpaid,
    to the last day to pay, when the sweep records the lapse (services.fees)."""
    pauses = [(c.sent_on, c.replied_on) for c in request.consultations.all()]
    pauses += [fee.pause for fee in FeeNotice.objects.filter(request_id=request.pk)]
    return pauses


def request_deadline(
    request: DisclosureRequest, *, calendar: WorkCalendar | None = None
) -> Deadline | None:
    """The deadline with its explanation, or None while the clock has not started (awaiting
    receipt confirmation or a correction)."""
    if request.clock_start is None:
        return None
    calendar = calendar or WorkCalendar.load()
    # Art. 35: a later date the agency set, and told the applicant, for a request whose reasons
    # it found reasonable but which cannot be answered in Art. 33's time (services.reasons). It
    # is a date, not days: it stays as told when the calendar changes; the counted date still
    # wins if it comes later (say, after a consultation's pause).
    return calendar.count_forward(
        request.clock_start,
        request.time_limit + request.extension_days,
        request_pauses(request),
    ).defer(request.deferred_due_on)


def clock_apply(request: DisclosureRequest, deadline: Deadline | None) -> bool:
    """Write the derived clock fields; True when something changed."""
    fields = {
        "due_on": deadline.due if deadline else None,
        "calendar_unconfirmed": bool(deadline and deadline.unconfirmed),
        "clock_paused": bool(deadline and deadline.paused_since),
    }
    changed = [name for name, value in fields.items() if getattr(request, name) != value]
    for name, value in fields.items():
        setattr(request, name, value)
    if changed:
        request.save(update_fields=[*changed, "updated_at"])
    return bool(changed)


def iso(date: dt.date | None) -> str:
    return date.isoformat() if date else ""


@transaction.atomic
def request_clock_update(
    *,
    request: DisclosureRequest,
    actor,
    event: str,
    comment: str = "",
    calendar: WorkCalendar | None = None,
    data: dict | None = None,
) -> Deadline | None:
    """Recompute the clock after `event` (started, restarted, stopped, paused, fee_paused, resumed,
    extended, deferred, calendar_changed) and audit it with the old and new due date."""
    old_due = request.due_on
    deadline = request_deadline(request, calendar=calendar)
    clock_apply(request, deadline)
    audit_log(
        actor=actor,
        action=f"request.clock.{event}",
        subject=request,
        old_state=iso(old_due),
        new_state=iso(request.due_on),
        comment=comment,
        data={
            "old_due_on": iso(old_due),
            "new_due_on": iso(request.due_on),
            "clock_start": iso(request.clock_start),
            "extension_days": request.extension_days,
            "paused": request.clock_paused,
            "calendar_unconfirmed": request.calendar_unconfirmed,
            **(data or {}),
        },
    )
    return deadline


ITEM_OPEN_STATUSES = (
    Item.Status.DRAFT,
    Item.Status.IN_REVIEW,
    Item.Status.REFERRED,
    Item.Status.RETURNED,
    Item.Status.COUNTERSIGNING,
    Item.Status.IN_APPROVAL,
)
