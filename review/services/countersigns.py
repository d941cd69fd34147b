"""Countersigning (会签, seed 003): units an item concerns confirm it before it goes to approval.

The drafter names units while drafting, the reviewer while reviewing. Once the review passes,
every named unit is asked in parallel to confirm that version (its content hash); the item waits
at the flow's `countersign` node until all have confirmed, and goes back to its drafter at the
first objection. A unit's confirmation counts only for the content it confirmed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import STATUS

from audit.services import audit_log
from review.permissions import user_has_object_perm
from workflow.exceptions import AuthorsOwnTask, NotAllowed, TaskBusy, WorkflowError
from workflow.models import DisclosureProcess, Item, Unit
from workflow.workdays import WorkCalendar

from ..deadlines import countersign_due
from ..models import Countersign, CountersignUnit

CONFIRMING_PERMISSION = "workflow.approve_unit_scope"  # the unit head signs for the unit


def _may_name(item: Item, user) -> bool:
    if item.processes.filter(request__isnull=False).exists():
        return False  # answers consult other agencies under Arts. 32-34 instead
    if item.is_editable and item.author_id == user.pk:
        return True
    from .redactions import held_review_task

    try:
        held_review_task(item=item, user=user)
    except NotAllowed:
        return False
    return True


def _check_may_name(item: Item, user) -> None:
    if not _may_name(item, user):
        raise NotAllowed(
            _("Units to countersign are named by the drafter while drafting or by the reviewer.")
        )


def _check_unit(item: Item, unit: Unit) -> None:
    if unit.pk == item.unit_id:
        raise ValidationError({"unit": _("The item's own unit does not countersign it.")})
    if unit.district_id != item.unit.district_id:
        raise ValidationError({"unit": _("Only units of the same district can be named.")})


@transaction.atomic
def countersign_unit_name(*, item: Item, user, unit: Unit) -> CountersignUnit:
    item = Item.objects.select_for_update().select_related("unit").get(pk=item.pk)
    _check_may_name(item, user)
    _check_unit(item, unit)
    named, created = CountersignUnit.objects.get_or_create(
        item=item, unit=unit, defaults={"named_by": user}
    )
    if created:
        audit_log(
            actor=user,
            action="review.countersign.unit_named",
            subject=item,
            data={"unit": unit.pk, "unit_name": unit.name},
        )
    return named


@transaction.atomic
def countersign_unit_remove(*, item: Item, user, unit: Unit) -> int:
    item = Item.objects.select_for_update().get(pk=item.pk)
    _check_may_name(item, user)
    deleted, _rows = CountersignUnit.objects.filter(item=item, unit=unit).delete()
    if deleted:
        audit_log(
            actor=user,
            action="review.countersign.unit_removed",
            subject=item,
            data={"unit": unit.pk, "unit_name": unit.name},
        )
    return deleted


def countersigns_open(
    *, item: Item, process: DisclosureProcess, user, content_hash: str, named: bool | None = None
) -> int:
    """Ask every named unit that has not confirmed this content yet. Called in the transaction of
    the passing review; returns how many confirmations are awaited. `named=False`: the caller
    knows the item names no unit."""
    if process.request_id or named is False:
        return 0  # the request flow has no countersign node: answers use Arts. 32-34 instead
    units = list(CountersignUnit.objects.filter(item=item).values_list("unit_id", flat=True))
    if not units:
        return 0
    confirmed = set(
        Countersign.objects.filter(
            item=item,
            unit_id__in=units,
            status=Countersign.Status.CONFIRMED,
            content_hash=content_hash,
        ).values_list("unit_id", flat=True)
    )
    # Requests still pending from an earlier round are for other content: they lapse.
    Countersign.objects.filter(item=item, status=Countersign.Status.PENDING).update(
        status=Countersign.Status.CANCELLED
    )
    # The inputs are stored, the date derived from them (review.deadlines): a calendar edit
    # recomputes it from the day asked.
    asked = Countersign(asked_on=timezone.localdate(), time_limit=settings.COUNTERSIGN_DAYS)
    due_on = countersign_due(asked, calendar=WorkCalendar.load())
    rows = [
        Countersign(
            item=item,
            process=process,
            unit_id=unit_id,
            content_hash=content_hash,
            asked_on=asked.asked_on,
            time_limit=asked.time_limit,
            due_on=due_on,
        )
        for unit_id in units
        if unit_id not in confirmed
    ]
    Countersign.objects.bulk_create(rows)
    if rows:
        audit_log(
            actor=user,
            action="review.countersign.requested",
            subject=item,
            data={"units": [r.unit_id for r in rows], "due_on": due_on.isoformat()},
        )
    return len(rows)


def countersigns_missing(*, item: Item, content_hash: str, named: bool | None = None) -> list[int]:
    """Named units without a confirmation of exactly this content. `named=False`: the caller
    knows the item names no unit."""
    if named is False:
        return []
    units = set(CountersignUnit.objects.filter(item=item).values_list("unit_id", flat=True))
    if not units:
        return []
    confirmed = set(
        Countersign.objects.filter(
            item=item, status=Countersign.Status.CONFIRMED, content_hash=content_hash
        ).values_list("unit_id", flat=True)
    )
    return sorted(units - confirmed)


def can_countersign(user, countersign: Countersign) -> bool:
    return user_has_object_perm(user, CONFIRMING_PERMISSION, countersign.unit)


def countersign_decide(
    *, countersign_id: int, user, confirm: bool, comment: str = ""
) -> Countersign:
    """One unit confirms or objects. The last confirmation moves the item on to approval; an
    objection sends it back to the drafter at once and the other requests lapse."""
    from workflow.flows import DisclosureFlow

    if not confirm and not comment.strip():
        raise ValidationError({"comment": _("Say what your unit objects to.")})
    countersign = Countersign.objects.select_related("unit", "item", "process").get(
        pk=countersign_id
    )
    if not can_countersign(user, countersign):
        raise NotAllowed(_("Only the head of the named unit can countersign for it."))
    if countersign.item.author_id == user.pk:
        # Separation of duties: a head of the named unit who drafted the item (holding a
        # position in both units) does not countersign it; the unit's other head does.
        raise AuthorsOwnTask(
            _("You drafted this item: you cannot countersign it for the named unit.")
        )
    process = countersign.process
    # The flow lock serialises the units, so exactly one of them is the last. It must open the
    # outermost transaction: viewflow's select_for_update_lock catches a failed NOWAIT inside its
    # own atomic block, which inside a savepoint would leave the whole transaction aborted.
    try:
        with DisclosureFlow.lock(process.pk):
            return _decide_locked(countersign, process, user, confirm, comment)
    except FlowLockFailed as exc:
        raise TaskBusy() from exc


def _decide_locked(countersign: Countersign, process, user, confirm: bool, comment: str):
    from ..content import content_hash

    countersign.refresh_from_db()
    if countersign.status != Countersign.Status.PENDING:
        raise WorkflowError(_("This countersignature has already been settled."))
    item = Item.objects.select_for_update().get(pk=countersign.item_id)
    if content_hash(item) != countersign.content_hash:
        raise WorkflowError(
            _("The item changed after the review; it must be reviewed again first.")
        )
    countersign.status = Countersign.Status.CONFIRMED if confirm else Countersign.Status.OBJECTED
    countersign.comment = comment.strip()
    countersign.decided_by = user
    countersign.decided_at = timezone.now()
    countersign.save()
    audit_log(
        actor=user,
        action="review.countersign.confirmed" if confirm else "review.countersign.objected",
        subject=item,
        comment=comment,
        data={"countersign": countersign.pk, "unit": countersign.unit_id},
    )
    pending = Countersign.objects.filter(
        process=process, item=item, status=Countersign.Status.PENDING
    )
    if confirm and pending.exists():
        return countersign
    if not confirm:
        pending.update(status=Countersign.Status.CANCELLED)
    _finish_round(process, item, outcome="confirmed" if confirm else "objected", user=user)
    return countersign


def _finish_round(process: DisclosureProcess, item: Item, *, outcome: str, user) -> None:
    from workflow.flows import DisclosureFlow
    from workflow.services.items import item_set_status

    task = process.task_set.filter(flow_task=DisclosureFlow.countersign, status=STATUS.NEW).first()
    if task is None:
        raise WorkflowError(_("The item is not waiting for countersignatures."))
    process.step_outcome = outcome
    process.save(update_fields=["step_outcome"])
    item_set_status(
        item=item,
        user=user,
        status=Item.Status.RETURNED if outcome == "objected" else Item.Status.IN_APPROVAL,
        action="review.countersign.returned"
        if outcome == "objected"
        else "review.countersign.completed",
    )
    DisclosureFlow.countersign.run(task)
