"""Handing tasks to the broker without losing them and without failing the user's request.

`enqueue` writes an outbox row in the caller's transaction and publishes after commit. If Redis
is away the row stays unsent and the web request still succeeds; `outbox_flush` (on beat) sends
it when the broker is back. Every task we enqueue is idempotent, so a row published twice (the
flush racing a slow publisher, or a lost acknowledgement) does no harm.
"""

import contextlib
import datetime as dt
import importlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from workflow.sqlrows import RowInserter

from .models import OutboxMessage

log = logging.getLogger(__name__)
FLUSH_BATCH = 500
PRUNE_BATCH = 5000


def _publish(message: OutboxMessage) -> None:
    from config.celery_app import app

    task = app.tasks.get(message.task_name)
    if task is None:
        # Tasks register on import; the web process has not necessarily imported the module.
        with contextlib.suppress(ImportError):
            importlib.import_module(message.task_name.rpartition(".")[0])
        task = app.tasks.get(message.task_name)
    if task is None:
        raise LookupError(f"unknown task {message.task_name}")
    # retry=False: with Redis away, fail at once and keep the row rather than block the request.
    task.apply_async(
        args=message.args,
        kwargs=message.kwargs,
        retry=False,
        queue=settings.CELERY_TASK_DEFAULT_QUEUE,
    )


def _publish_rows(messages: Iterable[OutboxMessage]) -> int:
    """Publish unsent rows; mark each as sent or record why not. Returns how many were sent."""
    sent, failed = [], {}
    for message in messages:
        try:
            _publish(message)
        except Exception as exc:  # noqa: BLE001 - any broker error keeps the row for the flush
            failed[message.pk] = f"{type(exc).__name__}: {exc}"[:2000]
            # The broker is away: the rest would fail the same way; leave them for the flush.
            if not isinstance(exc, LookupError):
                break
        else:
            sent.append(message.pk)
    if sent:
        _mark_sent(sent)
    for pk, error in failed.items():
        OutboxMessage.objects.filter(pk=pk).update(error=error, attempts=F("attempts") + 1)
    if failed:
        log.warning(
            "outbox: %d message(s) kept for later: %s", len(failed), next(iter(failed.values()))
        )
    return len(sent)


def _mark_sent(ids: list[int]) -> None:
    """Record that rows were handed to the broker. Losing this mark in a crash costs only a second
    publish of an idempotent task (by the flush), so on PostgreSQL its commit does not wait for
    the disk: one flush to the WAL fewer for every workflow step that tells someone."""
    # Never relax the durability of someone else's transaction.
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        OutboxMessage.objects.filter(pk__in=ids).update(sent_at=timezone.now())
        return
    # The whole transaction in one round trip (Django's client-side binding sends it as one
    # simple query); the connection is back in autocommit after it, as Django left it.
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    update = f"UPDATE {table} SET sent_at = %s WHERE id = ANY(%s)"  # noqa: S608 - fixed name
    sql = f"BEGIN; SET LOCAL synchronous_commit TO OFF; {update}; COMMIT"
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), list(ids)])


_INSERT = RowInserter(OutboxMessage)  # an outbox row per task created: the ORM's insert is slow


def enqueue_many(calls: Iterable[tuple[str, list, dict]]) -> list[OutboxMessage]:
    """Record (task name, args, kwargs) calls in the outbox now; publish them after commit."""
    rows = [
        OutboxMessage(task_name=name, args=list(args), kwargs=dict(kwargs))
        for name, args, kwargs in calls
    ]
    _INSERT.insert(rows)
    if rows:
        transaction.on_commit(lambda: _publish_after_commit(rows), robust=True)
    return rows


def _publish_after_commit(rows: list[OutboxMessage]) -> None:
    # The rows just committed, as written: no need to read them back. The flush only takes rows
    # older than OUTBOX_FLUSH_MIN_AGE_SECONDS, and a rare double publish is harmless (every task
    # we enqueue is idempotent).
    try:
        _publish_rows(rows)
    except Exception:  # noqa: BLE001 - the rows stay unsent; the flush will try again
        log.exception("outbox: publishing after commit failed; the flush will retry")


def enqueue(task_name: str, *args, **kwargs) -> OutboxMessage:
    return enqueue_many([(task_name, list(args), kwargs)])[0]


def outbox_prune() -> int:
    """Forget rows published more than OUTBOX_KEEP_SECONDS ago: every enqueue writes one, so
    without this the table only grows. Bounded per call, like the flush."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.OUTBOX_KEEP_SECONDS)
    ids = list(
        OutboxMessage.objects.filter(sent_at__lt=cutoff).values_list("pk", flat=True)[:PRUNE_BATCH]
    )
    return OutboxMessage.objects.filter(pk__in=ids).delete()[0] if ids else 0


def outbox_flush(*, older_than_seconds: int = 0) -> int:
    """Publish what is still unsent (oldest first). Returns how many were sent."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    rows = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lte=cutoff).order_by("pk")[
            :FLUSH_BATCH
        ]
    )
    return _publish_rows(rows) if rows else 0
