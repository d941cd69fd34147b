import functools

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from audit.services import audit_log

from ..exceptions import ContentChanged
from ..flows import APPROVAL_TASKS, SCOPE_OF_APPROVAL_TASK
from ..models import ApprovalDecision, Item
from ..sqlrows import Part, RowReader, exists, insert, item_locked_reader, read_item_locked
from .items import item_set_status
from .publication import ClearedContent
from .tasks import process_save_later, task_complete


def _item_for_approval_reader():
    from review.content import HAS_ATTACHMENTS, HAS_REDACTIONS
    from review.models import CountersignUnit, Referral

    return item_locked_reader(
        exists(Referral, "r", "r.process_id = %s AND r.ruling = %s"),
        exists(CountersignUnit, "c", "c.item_id = i.id"),
        HAS_ATTACHMENTS,
        HAS_REDACTIONS,
    )


_ITEM_FOR_APPROVAL = _item_for_approval_reader()


@functools.cache
def _latest_review_reader() -> RowReader:
    from review.models import ReviewDecision

    return RowReader(
        [Part(ReviewDecision, "d")],
        f"FROM {ReviewDecision._meta.db_table} d WHERE d.process_id = %s"
        " ORDER BY d.created_at DESC, d.id DESC LIMIT 1",
    )


def approval_decide(*, task_id: int, user, approve: bool, comment: str = "") -> ApprovalDecision:
    """Approve (the flow goes on to publication) or return to the drafter (the whole path again).

    The approval is for the content the review passed. If the item changed since (by any route:
    the admin, the shell, a replaced file), nothing is approved: the item goes back to review, and
    ContentChanged tells the caller after the transaction committed."""
    from review.content import content_hash, content_rows
    from review.integrity import undecided_content
    from review.services.scanning import item_scan

    decision: list[ApprovalDecision] = []
    sent_back: list[ContentChanged] = []
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say what the drafter must change.")})

    def apply(task: Task, process) -> None:
        if task.flow_task.name not in APPROVAL_TASKS:
            raise ValidationError(_("This is not an approval task."))
        # Read with the lock: whether a referral awaits its ruling and whether the item names
        # countersigning units, which the publication check (the next node) needs, and whether
        # it has attachments and redactions to read.
        item, (referral_open, countersign_units_named, has_attachments, has_redactions) = (
            read_item_locked(_ITEM_FOR_APPROVAL, [process.pk, "", process.item_id])
        )
        process.item = item
        level = SCOPE_OF_APPROVAL_TASK[task.flow_task.name]
        if item.approval_scope != level:
            raise ValidationError(
                _("The item's scope changed; it needs approval at another level.")
            )
        attachments, redactions = content_rows(
            item, has_attachments=has_attachments, has_redactions=has_redactions
        )
        current = content_hash(item, attachments=attachments, redactions=redactions)
        reviewed = next(
            (review for (review,), _extras in _latest_review_reader().read_all([process.pk])), None
        )
        if approve and (reviewed is None or reviewed.content_hash != current):
            process.approval_outcome = "changed"
            process_save_later(process, "approval_outcome")
            # The reviewer decides again on what the item says now: scanned as it is.
            item_scan(item=item, user=user, attachments=attachments)
            item_set_status(
                item=item,
                user=user,
                status=Item.Status.IN_REVIEW,
                action="review.integrity.changed_after_review",
                data={
                    "reviewed_hash": reviewed.content_hash if reviewed else None,
                    "current_hash": current,
                },
            )
            sent_back.append(ContentChanged())
            return
        # Something the review left undecided (e.g. a file read by OCR after the pass brought new
        # findings): nothing is approved, the reviewer decides it first.
        undecided = (
            undecided_content(item, attachments=attachments, redactions=redactions)
            if approve
            else []
        )
        if undecided:
            process.approval_outcome = "changed"
            process_save_later(process, "approval_outcome")
            item_set_status(
                item=item,
                user=user,
                status=Item.Status.IN_REVIEW,
                action="review.integrity.undecided_after_review",
                data={"reasons": undecided},
            )
            sent_back.append(
                ContentChanged(
                    _(
                        "Nothing was approved: the review has left something undecided, and the "
                        "item has gone back to review. %(reasons)s"
                    )
                    % {"reasons": " ".join(undecided)}
                )
            )
            return
        approval = ApprovalDecision(
            process=process,
            item=item,
            level=level,
            approver=user,
            approved=approve,
            comment=comment,
            content_hash=current,
        )
        insert(approval)
        decision.append(approval)
        process.approval_outcome = "approved" if approve else "returned"
        process_save_later(process, "approval_outcome")
        process.step_memo["cleared_content"] = ClearedContent(
            item=item,
            attachments=attachments,
            redactions=redactions,
            content_hash=current,
            last_review=reviewed,
            last_approval=decision[-1],
            referral_open=referral_open,
            countersign_units_named=countersign_units_named,
            undecided=undecided,
        )
        if approve:
            # The item's status stays until the publish node, later in this transaction.
            audit_log(
                actor=user,
                action="workflow.approval.approved",
                subject=item,
                old_state=item.status,
                new_state=item.status,
                comment=comment,
                data={"level": level},
            )
        else:
            item_set_status(
                item=item,
                user=user,
                status=Item.Status.RETURNED,
                action="workflow.approval.returned",
                comment=comment,
                data={"level": level},
            )

    task_complete(task_id=task_id, user=user, apply=apply)
    if sent_back:
        raise sent_back[0]
    return decision[0]
