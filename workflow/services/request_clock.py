"""The statutory clock of a disclosure request (Regulation Arts. 30, 32-34).

One computation from stored inputs (clock start, time limit, approved extension, consultation
pauses) gives the due date, so a calendar edit or a late-recorded pause recomputes it the same
way. Every change is audited with the old and new due date (action codes `request.clock.*`); the
request page reads those rows as the clock's history.
"""

import datetime as dt

from django.db import transaction

from audit.services import audit_log

from ..models import Consultation, DisclosureRequest, Item
from ..workdays import Deadline, WorkCalendar

CORRECTION_NOTICE_DAYS = 7  # Art. 30: tell the applicant within 7 working days of receipt
CONSULTATION_DAYS = 15  # Arts. 32 and 34: the consulted party has 15 working days
MAX_EXTENSION_DAYS = 20  # Art. 33 ¶2


def correction_notice_due(received: dt.date, *, calendar: WorkCalendar) -> dt.date:
    return calendar.count_forward(received, CORRECTION_NOTICE_DAYS).due


def request_receive(
    request: DisclosureRequest, *, received: dt.date, calendar: WorkCalendar
) -> None:
    """Record the receipt date (Art. 31): the clock starts after it, and the one correction
    notice Art. 30 allows must go out within 7 working days of it. The caller saves."""
    request.received_on = received
    request.clock_start = received
    request.correction_notice_due_on = correction_notice_due(received, calendar=calendar)


def request_pauses(request: DisclosureRequest) -> list[tuple[dt.date, dt.date | None]]:
    return [(c.sent_on, c.replied_on) for c in request.consultations.all()]


def request_deadline(
    request: DisclosureRequest, *, calendar: WorkCalendar | None = None
) -> Deadline | None:
    """The deadline with its explanation, or None while the clock has not started (awaiting
    receipt confirmation or a correction)."""
    if request.clock_start is None:
        return None
    calendar = calendar or WorkCalendar.load()
    return calendar.count_forward(
        request.clock_start,
        request.time_limit + request.extension_days,
        request_pauses(request),
    )


def _apply(request: DisclosureRequest, deadline: Deadline | None) -> bool:
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


def _iso(date: dt.date | None) -> str:
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
    """Recompute the clock after `event` (started, restarted, stopped, paused, resumed, extended,
    calendar_changed) and audit it with the old and new due date."""
    old_due = request.due_on
    deadline = request_deadline(request, calendar=calendar)
    _apply(request, deadline)
    audit_log(
        actor=actor,
        action=f"request.clock.{event}",
        subject=request,
        old_state=_iso(old_due),
        new_state=_iso(request.due_on),
        comment=comment,
        data={
            "old_due_on": _iso(old_due),
            "new_due_on": _iso(request.due_on),
            "clock_start": _iso(request.clock_start),
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


def _items_recompute(*, actor, reason: str, calendar: WorkCalendar) -> None:
    """Art. 26 publication dates of items not yet published or filed."""
    from .items import publication_due

    items = Item.objects.filter(
        status__in=ITEM_OPEN_STATUSES, formed_on__isnull=False
    ).select_for_update()
    for item in items.only("pk", "formed_on", "publication_due_on", "title"):
        due = publication_due(item.formed_on, calendar=calendar)
        if due != item.publication_due_on:
            Item.objects.filter(pk=item.pk).update(publication_due_on=due)
            audit_log(
                actor=actor,
                action="workflow.item.publication_due_changed",
                subject=item,
                old_state=_iso(item.publication_due_on),
                new_state=_iso(due),
                comment=reason,
            )


@transaction.atomic
def deadlines_recompute(*, actor, reason: str) -> int:
    """After a calendar edit: recompute every open request's deadlines (the statutory due date,
    the correction notice date and open consultations' due dates) and the Art. 26 publication
    dates of open items. Audits each change; returns how many requests changed."""
    calendar = WorkCalendar.load()
    _items_recompute(actor=actor, reason=reason, calendar=calendar)
    changed = 0
    open_requests = (
        DisclosureRequest.objects.filter(status__in=DisclosureRequest.OPEN_STATUSES)
        .select_for_update()
        .prefetch_related("consultations")
    )
    for request in open_requests:
        old_due = request.due_on
        old_notice = request.correction_notice_due_on
        if request.received_on and request.correction_notice_due_on:
            request.correction_notice_due_on = correction_notice_due(
                request.received_on, calendar=calendar
            )
        if request.correction_notice_due_on != old_notice:
            request.save(update_fields=["correction_notice_due_on", "updated_at"])
        for consultation in request.consultations.all():
            if consultation.is_open:
                due = calendar.count_forward(consultation.sent_on, CONSULTATION_DAYS).due
                if due != consultation.due_on:
                    Consultation.objects.filter(pk=consultation.pk).update(due_on=due)
        if _apply(request, request_deadline(request, calendar=calendar)) or (
            request.correction_notice_due_on != old_notice
        ):
            changed += 1
            audit_log(
                actor=actor,
                action="request.clock.calendar_changed",
                subject=request,
                old_state=_iso(old_due),
                new_state=_iso(request.due_on),
                comment=reason,
                data={
                    "old_due_on": _iso(old_due),
                    "new_due_on": _iso(request.due_on),
                    "old_correction_notice_due_on": _iso(old_notice),
                    "new_correction_notice_due_on": _iso(request.correction_notice_due_on),
                    "calendar_unconfirmed": request.calendar_unconfirmed,
                },
            )
    return changed


@transaction.atomic
def calendar_changed(*, actor, calendar_year, deleted: bool = False) -> int:
    """An administrator entered, changed or deleted a year's days: audit the calendar itself, then
    recompute every open deadline. Returns how many requests changed."""
    days = (
        []
        if deleted
        else [f"{d.date.isoformat()} {d.kind} {d.name}" for d in calendar_year.days.all()]
    )
    audit_log(
        actor=actor,
        action="workflow.calendar.deleted" if deleted else "workflow.calendar.saved",
        subject=calendar_year,
        new_state="" if deleted else ("confirmed" if calendar_year.confirmed else "draft"),
        data={"year": calendar_year.year, "source": calendar_year.source, "days": days},
    )
    return deadlines_recompute(
        actor=actor, reason=f"calendar {calendar_year.year} {'deleted' if deleted else 'saved'}"
    )
