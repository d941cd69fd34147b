"""What a calendar edit does: every open deadline the product computes is recomputed from its own
stored inputs and each change is audited with the old and new date.

Deadlines and where they are derived: a request's reply (Art. 33), correction notice (Art. 30)
and receipt confirmation (Art. 31) in services.request_clock; a consultation's opinion (Arts. 32,
34) in services.consultations; the Art. 26 publication of an item in services.items; a referral's
ruling and a countersignature in review.deadlines.
"""

from django.db import transaction

from audit.services import audit_log

from ..models import DisclosureRequest, Item
from ..workdays import WorkCalendar
from .consultations import consultations_recompute
from .request_clock import (
    ITEM_OPEN_STATUSES,
    clock_apply,
    correction_notice_due,
    iso,
    receipt_confirmation_due,
    request_deadline,
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
                old_state=iso(item.publication_due_on),
                new_state=iso(due),
                comment=reason,
            )


def _request_recompute(request: DisclosureRequest, *, actor, reason: str, calendar) -> bool:
    old_due = request.due_on
    old_notice = request.correction_notice_due_on
    old_confirmation = request.confirmation_due_on
    if request.received_on and request.correction_notice_due_on:
        request.correction_notice_due_on = correction_notice_due(
            request.received_on, calendar=calendar
        )
    request.confirmation_due_on = receipt_confirmation_due(request, calendar=calendar)
    moved = [
        name
        for name, old in (
            ("correction_notice_due_on", old_notice),
            ("confirmation_due_on", old_confirmation),
        )
        if getattr(request, name) != old
    ]
    if moved:
        request.save(update_fields=[*moved, "updated_at"])
    consultations = consultations_recompute(
        request=request, actor=actor, reason=reason, calendar=calendar
    )
    if not (clock_apply(request, request_deadline(request, calendar=calendar)) or moved):
        return False
    audit_log(
        actor=actor,
        action="request.clock.calendar_changed",
        subject=request,
        old_state=iso(old_due),
        new_state=iso(request.due_on),
        comment=reason,
        data={
            "old_due_on": iso(old_due),
            "new_due_on": iso(request.due_on),
            "old_correction_notice_due_on": iso(old_notice),
            "new_correction_notice_due_on": iso(request.correction_notice_due_on),
            "old_confirmation_due_on": iso(old_confirmation),
            "new_confirmation_due_on": iso(request.confirmation_due_on),
            "consultations": consultations,
            "calendar_unconfirmed": request.calendar_unconfirmed,
        },
    )
    return True


@transaction.atomic
def deadlines_recompute(*, actor, reason: str) -> int:
    """After a calendar edit: recompute every open deadline (requests with their consultations,
    items, referrals, countersignatures). Audits each change; returns how many requests
    changed."""
    from review.deadlines import review_deadlines_recompute

    calendar = WorkCalendar.load()
    _items_recompute(actor=actor, reason=reason, calendar=calendar)
    review_deadlines_recompute(actor=actor, reason=reason, calendar=calendar)
    open_requests = (
        DisclosureRequest.objects.filter(status__in=DisclosureRequest.OPEN_STATUSES)
        .select_for_update()
        .prefetch_related("consultations")
    )
    return sum(
        _request_recompute(request, actor=actor, reason=reason, calendar=calendar)
        for request in open_requests
    )


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
