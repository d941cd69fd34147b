"""Celery tasks. Each takes ids, calls a service, owns its retries, and is safe to run twice.

acks_late + reject_on_worker_lost (settings): a worker killed mid-task leaves the message to be
redelivered, and the row locks and unique constraints make the second run do only what the
first did not finish.
"""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from viewflow.workflow.timers import fire_due_timers as viewflow_fire_due_timers

from . import applicant, delivery, dispatch, sweep, task_notices

log = logging.getLogger(__name__)

RETRYING = {
    "acks_late": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "max_retries": 5,
}


def _backoff(attempts: int) -> int:
    return min(settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 600)


@shared_task(**RETRYING)
def fire_due_timers() -> int:
    return viewflow_fire_due_timers()


@shared_task(**RETRYING)
def sweep_deadlines(as_of: str | None = None) -> dict:
    """Beat runs this every DEADLINE_SWEEP_SECONDS. `as_of` (ISO date) sweeps as if it were that
    day: for catching up after an outage and for tests that travel in time."""
    today = dt.date.fromisoformat(as_of) if as_of else None
    result = sweep.deadlines_sweep(today=today)
    requeued = delivery.deliveries_requeue_stale(
        older_than=dt.timedelta(seconds=settings.NOTIFICATION_REQUEUE_AFTER_SECONDS)
    )
    summary = {
        "due": result.due,
        "steps": result.steps,
        "notifications": result.notifications,
        "duplicates_skipped": result.skipped_duplicates,
        "reassigned": result.reassigned,
        "consultations_lapsed": result.lapsed,
        "fees_lapsed": result.fees_lapsed,
        "requeued": requeued,
    }
    log.info("deadline sweep: %s", summary)
    return summary


def _send_or_retry(task, send, record_failure, pk: int) -> str:
    """Send; on failure count the attempt on the row and retry with backoff, until the row's
    attempts run out and it is marked failed (visible in the admin) instead of retried."""
    try:
        return send(pk)
    except Exception as exc:
        if record_failure(pk, f"{type(exc).__name__}: {exc}"):
            log.error("%s %s failed for good: %s", task.name, pk, exc)
            return "failed"
        raise task.retry(exc=exc, countdown=_backoff(task.request.retries + 1)) from exc


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver(self, delivery_id: int) -> str:
    return _send_or_retry(
        self,
        lambda pk: delivery.delivery_send(delivery_id=pk),
        lambda pk, error: delivery.delivery_record_failure(delivery_id=pk, error=error),
        delivery_id,
    )


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_applicant_notice(self, notice_id: int) -> str:
    return _send_or_retry(
        self,
        lambda pk: applicant.notice_send(notice_id=pk),
        lambda pk, error: applicant.notice_record_failure(notice_id=pk, error=error),
        notice_id,
    )


@shared_task(**RETRYING)
def send_scheduled() -> int:
    """Beat, every SCHEDULED_SEND_SECONDS: messages held for working hours whose time came."""
    return delivery.scheduled_release()


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_digest(self, digest_id: int) -> str:
    return _send_or_retry(
        self,
        lambda pk: delivery.digest_send(digest_id=pk),
        lambda pk, error: delivery.digest_record_failure(digest_id=pk, error=error),
        digest_id,
    )


@shared_task(**RETRYING)
def send_digests(day: str | None = None) -> int:
    return len(
        delivery.digests_build(day=dt.date.fromisoformat(day) if day else timezone.localdate())
    )


@shared_task(**RETRYING)
def notify_task_available(task_id: int) -> int:
    return task_notices.task_available_notify(task_id=task_id)


@shared_task(acks_late=True)
def flush_outbox() -> int:
    sent = dispatch.outbox_flush(older_than_seconds=settings.OUTBOX_FLUSH_MIN_AGE_SECONDS)
    dispatch.outbox_prune()
    return sent
