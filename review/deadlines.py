"""Due dates of referrals (Art. 17 ¶3; State Secrets implementing regulation Art. 25 ¶2) and of
countersignatures (会签), each derived in one function from what the row stores: the day it was
asked and its time limit in working days. A calendar edit recomputes them from that day, never
from today, and audits each change with the old and new date."""

import datetime as dt

from django.db import transaction

from audit.services import audit_log
from workflow.workdays import WorkCalendar

from .models import Countersign, Referral


def referral_due(referral: Referral, *, calendar: WorkCalendar) -> dt.date:
    return calendar.count_forward(referral.asked_on, referral.time_limit).due


def countersign_due(countersign: Countersign, *, calendar: WorkCalendar) -> dt.date:
    return calendar.count_forward(countersign.asked_on, countersign.time_limit).due


def _iso(date: dt.date | None) -> str:
    return date.isoformat() if date else ""


@transaction.atomic
def review_deadlines_recompute(*, actor, reason: str, calendar: WorkCalendar) -> int:
    """Open referrals and pending countersignatures after a calendar edit; returns how many
    due dates moved."""
    changed = 0
    referrals = (
        Referral.objects.filter(ruling="").select_for_update(of=("self",)).select_related("item")
    )
    for referral in referrals:
        due = referral_due(referral, calendar=calendar)
        if due == referral.due_on:
            continue
        Referral.objects.filter(pk=referral.pk).update(due_on=due)
        audit_log(
            actor=actor,
            action="review.referral.due_changed",
            subject=referral.item,
            old_state=_iso(referral.due_on),
            new_state=_iso(due),
            comment=reason,
            data={"referral": referral.pk, "asked_on": _iso(referral.asked_on)},
        )
        changed += 1
    pending = (
        Countersign.objects.filter(status=Countersign.Status.PENDING)
        .select_for_update(of=("self",))
        .select_related("item")
    )
    for countersign in pending:
        due = countersign_due(countersign, calendar=calendar)
        if due == countersign.due_on:
            continue
        Countersign.objects.filter(pk=countersign.pk).update(due_on=due)
        audit_log(
            actor=actor,
            action="review.countersign.due_changed",
            subject=countersign.item,
            old_state=_iso(countersign.due_on),
            new_state=_iso(due),
            comment=reason,
            data={
                "countersign": countersign.pk,
                "unit": countersign.unit_id,
                "asked_on": _iso(countersign.asked_on),
            },
        )
        changed += 1
    return changed
