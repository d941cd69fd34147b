"""Hooks: a new workflow task tells the people it reaches; a background task that gives up
leaves a TaskFailure row instead of a line in a log nobody reads."""

import logging
import traceback as tb

from celery.signals import task_failure
from django.db.models.signals import post_save
from django.dispatch import receiver
from viewflow.workflow.models import Task

log = logging.getLogger(__name__)


@receiver(post_save, sender=Task, dispatch_uid="notifications.task_created")
def _task_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .task_notices import task_created

        task_created(task=instance)


@task_failure.connect(dispatch_uid="notifications.task_failure")
def _task_failed(
    sender=None, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **_
):
    from .models import TaskFailure

    try:
        TaskFailure.objects.create(
            task_name=getattr(sender, "name", str(sender)),
            task_id=task_id or "",
            args=repr((args, kwargs))[:2000],
            error=f"{type(exception).__name__}: {exception}"[:2000],
            traceback="".join(tb.format_exception(exception))[-8000:] if exception else "",
        )
    except Exception:  # noqa: BLE001 - the database may be the reason it failed
        log.exception("could not record the failure of task %s", task_id)
