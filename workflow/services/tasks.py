"""Claiming and completing human tasks under the flow lock (select_for_update on the process row).

The task is re-read after the lock is taken, so of two people completing the same task at once
exactly one succeeds; the other gets TaskNotAvailable and nothing downstream runs twice.
"""

from collections.abc import Callable

from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from audit.services import audit_log

from ..exceptions import TaskBusy, TaskNotAvailable
from ..models import DisclosureProcess


def _load(task_id: int) -> Task:
    try:
        return Task.objects.select_related("process").get(pk=task_id)
    except Task.DoesNotExist as exc:
        raise TaskNotAvailable() from exc


def task_claim(*, task_id: int, user) -> Task:
    task = _load(task_id)
    try:
        with task.flow_task.flow_class.lock(task.process_id):
            task.refresh_from_db()
            activation = task.flow_task.activation_class(task)
            if task.status != STATUS.NEW or not task.flow_task.can_assign(user, task):
                raise TaskNotAvailable()
            activation.assign(user)
            audit_log(
                actor=user,
                action="workflow.task.claimed",
                subject=task,
                old_state=STATUS.NEW,
                new_state=STATUS.ASSIGNED,
            )
    except TransitionNotAllowed as exc:
        raise TaskNotAvailable() from exc
    except FlowLockFailed as exc:
        raise TaskBusy() from exc
    return task


def task_release(*, task_id: int, user) -> Task:
    task = _load(task_id)
    try:
        with task.flow_task.flow_class.lock(task.process_id):
            task.refresh_from_db()
            if (
                task.status != STATUS.ASSIGNED
                or task.owner_id != user.pk
                or not task.owner_permission
            ):
                raise TaskNotAvailable()
            task.flow_task.activation_class(task).unassign()
            audit_log(
                actor=user,
                action="workflow.task.released",
                subject=task,
                old_state=STATUS.ASSIGNED,
                new_state=STATUS.NEW,
            )
    except TransitionNotAllowed as exc:
        raise TaskNotAvailable() from exc
    except FlowLockFailed as exc:
        raise TaskBusy() from exc
    return task


def task_complete(*, task_id: int, user, apply: Callable[[Task, DisclosureProcess], None]) -> Task:
    """Claim the task if it is still unclaimed and the user may, run `apply`, then move the flow on.

    `apply` writes the decision (and may raise ValidationError); it runs in the same transaction as
    the transition, so a refusal leaves nothing half-written.
    """
    task = _load(task_id)
    try:
        with task.flow_task.flow_class.lock(task.process_id):
            task.refresh_from_db()
            activation = task.flow_task.activation_class(task)
            if task.status == STATUS.NEW and task.flow_task.can_assign(user, task):
                activation.assign(user)
            if task.status != STATUS.ASSIGNED or not task.flow_task.can_execute(user, task):
                raise TaskNotAvailable()
            activation.start(None)
            apply(task, task.process.coerced)
            activation.execute()
            audit_log(
                actor=user,
                action="workflow.task.completed",
                subject=task,
                old_state=STATUS.ASSIGNED,
                new_state=STATUS.DONE,
                data={"node": task.flow_task.name},
            )
    except TransitionNotAllowed as exc:
        raise TaskNotAvailable() from exc
    except FlowLockFailed as exc:
        raise TaskBusy() from exc
    return task
