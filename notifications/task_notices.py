"""Telling people that a task is waiting for them. A Task row saved by viewflow enqueues (through
the outbox, in the same transaction) a job that runs after commit, so the workflow step costs one
insert and never waits for, or fails on, the broker."""

from django.urls import reverse
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review.permissions import users_who_can_claim

from .dispatch import enqueue
from .services import notify

NOTIFY_TASK = "notifications.tasks.notify_task_available"


def task_created(*, task: Task) -> None:
    if task.flow_task_type == "HUMAN":
        enqueue(NOTIFY_TASK, task.pk)


def _subject_title(task: Task) -> str:
    process = task.process.disclosureprocess
    if process.request_id:
        return process.request.tracking_code
    return process.item.title if process.item_id else ""


def task_available_notify(*, task_id: int) -> int:
    """Notify whoever the task reaches now (its owner, or everyone who may claim it), once per
    task and person. A task already finished by then tells no one."""
    task = (
        Task.objects.select_related(
            "process__disclosureprocess__item", "process__disclosureprocess__request"
        )
        .filter(pk=task_id)
        .first()
    )
    if task is None or task.status not in (STATUS.NEW, STATUS.ASSIGNED):
        return 0
    created = notify(
        recipient_ids=[u.pk for u in users_who_can_claim(task)],
        verb="task_available",
        params={"node": get_task_ref(task.flow_task), "subject": _subject_title(task)},
        url=reverse("workflow:task_detail", args=[task.pk]),
        key=f"task:{task.pk}",
    )
    return len(created)
