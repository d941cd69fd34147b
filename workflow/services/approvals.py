from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from ..flows import APPROVAL_TASKS, SCOPE_OF_APPROVAL_TASK
from ..models import ApprovalDecision, Item
from .items import item_set_status
from .tasks import task_complete


def approval_decide(*, task_id: int, user, approve: bool, comment: str = "") -> ApprovalDecision:
    """Approve (the flow goes on to publication) or return to the drafter (the whole path again)."""
    decision: list[ApprovalDecision] = []
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say what the drafter must change.")})

    def apply(task: Task, process) -> None:
        if task.flow_task.name not in APPROVAL_TASKS:
            raise ValidationError(_("This is not an approval task."))
        item = Item.objects.select_for_update().get(pk=process.item_id)
        level = SCOPE_OF_APPROVAL_TASK[task.flow_task.name]
        if item.scope != level:
            raise ValidationError(
                _("The item's scope changed; it needs approval at another level.")
            )
        decision.append(
            ApprovalDecision.objects.create(
                process=process,
                item=item,
                level=level,
                approver=user,
                approved=approve,
                comment=comment,
            )
        )
        process.approval_outcome = "approved" if approve else "returned"
        process.save(update_fields=["approval_outcome"])
        if approve:
            item_set_status(
                item=item,
                user=user,
                status=item.status,
                action="workflow.approval.approved",
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
    return decision[0]
