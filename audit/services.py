"""The one helper through which every state change is recorded, and the sealer of the chain."""

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from workflow.sqlrows import RowInserter

from . import chain
from .models import AuditEntry

# Any constant shared by the sealers; only they take this lock, writers of audit rows never do.
SEAL_LOCK_ID = 0x617564697473  # "audits"


# Upper layers act on lower layers' events without being imported by them (ARCHITECTURE.md):
# action -> callables, registered in an app's ready() (notifications tells applicants).
_listeners: dict[str, list[Callable[..., None]]] = {}


def audit_listen(*, actions: Iterable[str], listener: Callable[..., None]) -> None:
    """Call `listener(action=, subject=, data=, comment=)` whenever one of `actions` is logged.

    It runs inside the caller's transaction, at the moment of the change, so what it writes
    commits or rolls back with the change; it must not reach outside (send, call a service):
    that is for the outbox, after commit. An exception in it fails the change, as any write of
    the step would."""
    for action in actions:
        if listener not in _listeners.setdefault(action, []):
            _listeners[action].append(listener)


def audit_log(
    *,
    actor: Any,
    action: str,
    subject: models.Model,
    old_state: str = "",
    new_state: str = "",
    comment: str = "",
    data: dict | None = None,
) -> AuditEntry:
    # No chain work here: this runs inside every workflow step's transaction, and chaining at
    # insert time would make all of them queue behind one lock. The sealer chains afterwards.
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        subject_id=str(subject.pk),
        subject_repr=str(subject)[:255],
        old_state=old_state or "",
        new_state=new_state or "",
        comment=comment or "",
        data=data or {},
    )
    batch = getattr(_batches, "entries", None)
    if batch is not None:
        batch.append(entry)
    else:
        _INSERT.insert([entry])
    for listener in _listeners.get(action, ()):
        listener(action=action, subject=subject, data=entry.data, comment=entry.comment)
    return entry


# Audit rows are written on every step: through a statement built once, not the ORM's insert
# (append-only either way; nothing listens to their signals).
_INSERT = RowInserter(AuditEntry)


_batches = threading.local()


@contextmanager
def audit_batch() -> Iterator[None]:
    """Write the audit rows of a block in one INSERT when the block ends without an error.

    For a workflow step that logs several changes: use it inside the step's transaction, so the
    rows commit (or roll back) with the changes they record. Rows of a block that raises are
    dropped, as its transaction rolls back anyway. Their ids are set only at the end of the block.
    Nested batches join the outermost one."""
    if getattr(_batches, "entries", None) is not None:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("audit_batch needs the transaction its rows belong to")
    _batches.entries = []
    try:
        yield
        entries = _batches.entries
    finally:
        _batches.entries = None
    _INSERT.insert(entries)


def audit_seal(*, batch: int = 1000, max_batches: int | None = None) -> int:
    """Chain the committed rows not sealed yet, oldest id first; returns how many were sealed.

    Each batch is one short transaction under the sealers' lock, so a backlog (the first run
    after upgrading) neither holds the lock nor one huge transaction for long. Safe to run
    twice at once: the second waits for the first and then continues after its last row."""
    sealed = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        done = _seal_batch(batch=batch)
        sealed += done
        batches += 1
        if done < batch:
            break
    return sealed


@transaction.atomic
def _seal_batch(*, batch: int) -> int:
    _take_seal_lock()
    # Read after the lock: under READ COMMITTED each statement sees what earlier sealers committed.
    head = (
        AuditEntry.objects.filter(chain_seq__isnull=False)
        .order_by("-chain_seq")
        .values_list("chain_seq", "row_hash")
        .first()
    )
    seq, prev_hash = head if head else (0, chain.GENESIS)
    # Uncommitted rows are invisible here; they are sealed by a later run, later in the chain.
    rows = list(
        AuditEntry.objects.filter(chain_seq__isnull=True)
        .order_by("id")
        .values(*chain.CONTENT_FIELDS)[:batch]
    )
    if not rows:
        return 0
    key = chain.chain_key()
    seals = []
    for row in rows:
        seq += 1
        row_hash = chain.row_hash(row, chain_seq=seq, prev_hash=prev_hash, key=key)
        seals.append((row["id"], seq, prev_hash, row_hash))
        prev_hash = row_hash
    _write_seals(seals)
    return len(seals)


def _take_seal_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_ID])
    elif connection.vendor == "sqlite":
        # A deferred SQLite transaction that reads first fails with "database is locked" when
        # it later tries to write while another one writes; a write that matches nothing takes
        # the write lock up front, so a second sealer waits (busy timeout) instead.
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET row_hash = row_hash WHERE 0 = 1")  # noqa: S608


def _write_seals(seals: list[tuple[int, int, str, str]]) -> None:
    """The one sanctioned write to existing rows: the three chain fields of rows not sealed yet
    (the PostgreSQL trigger enforces the same rule). Raw SQL, since the default manager refuses
    every update; one statement per row, batched by the driver (bulk_update's CASE per row is
    quadratic in the batch size)."""
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(AuditEntry._meta.db_table)} "  # noqa: S608 - fixed names only
        f"SET {quote('chain_seq')} = %s, {quote('prev_hash')} = %s, {quote('row_hash')} = %s "
        f"WHERE {quote('id')} = %s AND {quote('chain_seq')} IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(seq, prev, digest, pk) for pk, seq, prev, digest in seals])
        written = cursor.rowcount
    if written != len(seals):
        # Someone sealed these rows without the lock; roll back rather than fork the chain.
        raise RuntimeError(f"sealed {written} of {len(seals)} audit rows; rolled back")
