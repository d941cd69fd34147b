"""Claiming and completing human tasks under the flow lock (select_for_update on the process row).

The task is re-read after the lock is taken, so of two people completing the same task at once
exactly one succeeds; the other gets TaskNotAvailable and nothing downstream runs twice.
"""

import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import DatabaseError, transaction
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from audit.services import audit_batch, audit_log
from review.permissions import ITEM_AUTHOR_ATTR, is_authors_own_task

from ..exceptions import AuthorsOwnTask, TaskBusy, TaskNotAvailable
from ..models import DisclosureProcess, Item
from ..sqlrows import Part, RowReader

LOCK_ATTEMPTS = 5
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: FOR UPDATE NOWAIT found the row locked


_TASK_UNDER_FLOW_LOCK = RowReader(
    [Part(Task, "t"), Part(DisclosureProcess, "d", parents={Process: "p"})],
    f"FROM {Task._meta.db_table} t"
    f" JOIN {Process._meta.db_table} p ON p.id = t.process_id"
    f" JOIN {DisclosureProcess._meta.db_table} d ON d.process_ptr_id = p.id"
    " WHERE t.id = %s",
    # The item's author, for the separation of duties (review.permissions): read with the task
    # instead of in a query of its own. An item's author never changes.
    extras=[
        f"(SELECT i.author_id FROM {Item._meta.db_table} i"  # noqa: S608 - fixed names only
        " WHERE i.id = d.item_id)"
    ],
    lock_of="d",
    nowait=True,
)


def _read_task_locked(task_id: int) -> Task | None:
    read = _TASK_UNDER_FLOW_LOCK.read([task_id])
    if read is None:
        return None
    (task, process), (author_id,) = read
    setattr(process, ITEM_AUTHOR_ATTR, author_id)
    Task._meta.get_field("process").set_cached_value(task, process)
    return task


@contextmanager
def _process_lock(task_id: int) -> Iterator[Task | None]:
    """The flow lock of our flows, taken in the statement that reads the task: one round trip
    instead of three (find the process, lock it, read the task under the lock).

    It locks exactly the row DisclosureFlow.lock_impl (viewflow's select_for_update_lock) locks,
    the process's workflow_disclosureprocess row, with NOWAIT and the same retries, so it
    excludes, and is excluded by, every path that takes the flow lock through viewflow."""
    for attempt in range(LOCK_ATTEMPTS):
        locked = False
        try:
            # A refused lock leaves the block by its exception, so the transaction (or, nested,
            # the savepoint) is rolled back before the next attempt, never committed aborted.
            with transaction.atomic():
                task = _read_task_locked(task_id)
                locked = True
                yield task
                return
        except DatabaseError as exc:
            # Only a lock held by someone else is worth waiting for: not a broken connection,
            # nor an error of the work done under the lock.
            if locked or getattr(exc.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                raise
            if attempt == LOCK_ATTEMPTS - 1:
                raise FlowLockFailed(f"Lock failed for the process of task {task_id}") from exc
        time.sleep(((attempt + 1) * random.random() + 2**attempt) / 2.5)  # noqa: S311


@contextmanager
def flow_savepoints_skipped() -> Iterator[None]:
    """Run viewflow's automatic nodes without the savepoint each opens.

    Switch, Function and End nodes each wrap their work in `atomic(savepoint=True)`: a SAVEPOINT
    and a RELEASE per node, which serve only when viewflow records an error on the task instead
    of raising it (`propagate_exception=False`: timers and jobs, which our flows do not have).
    In our steps every error propagates and rolls back the step's whole transaction, so those
    savepoints are round trips for nothing. Only the calling connection is affected, and only
    inside the block: never wrap code that catches a database error and goes on."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("flow_savepoints_skipped runs inside the step's transaction")
    features = connection.features
    if "uses_savepoints" in features.__dict__:  # already inside such a block: it restores
        yield
        return
    features.uses_savepoints = False  # read by connection.savepoint(): None, and no SQL
    try:
        yield
    finally:
        del features.uses_savepoints  # back to the backend's class attribute


@contextmanager
def _locked_task(task_id: int) -> Iterator[tuple[Task, object]]:
    """Yield the freshly read task and its activation while holding the process lock; translate
    viewflow's refusals into the messages users read."""
    try:
        with _process_lock(task_id) as task:
            if task is None:
                raise TaskNotAvailable()
            yield task, task.flow_task.activation_class(task)
    except TransitionNotAllowed as exc:
        raise TaskNotAvailable() from exc
    except FlowLockFailed as exc:
        raise TaskBusy() from exc


def _refuse(task: Task, user) -> None:
    """Refuse the task, saying why when the reason is that `user` wrote the item."""
    if is_authors_own_task(user, task):
        raise AuthorsOwnTask()
    raise TaskNotAvailable()


def _audit(task: Task, user, action: str, old: str, new: str, **data) -> None:
    audit_log(actor=user, action=action, subject=task, old_state=old, new_state=new, data=data)


def task_claim(*, task_id: int, user) -> Task:
    with _locked_task(task_id) as (task, activation):
        if task.status != STATUS.NEW or not task.flow_task.can_assign(user, task):
            _refuse(task, user)
        activation.assign(user)
        _audit(task, user, "workflow.task.claimed", STATUS.NEW, STATUS.ASSIGNED)
    return task


def task_release(*, task_id: int, user) -> Task:
    with _locked_task(task_id) as (task, activation):
        # Only tasks that came from a queue can go back to it; a rework task belongs to its drafter.
        if task.status != STATUS.ASSIGNED or task.owner_id != user.pk or not task.owner_permission:
            raise TaskNotAvailable()
        activation.unassign()
        _audit(task, user, "workflow.task.released", STATUS.ASSIGNED, STATUS.NEW)
    return task


def process_save_later(process: DisclosureProcess, *fields: str) -> None:
    """For `apply` in task_complete: the process's `fields`, already set in memory (the flow's
    gateways read them there), are written once the flow has moved on, unless viewflow's End node
    has saved the whole process meanwhile: one UPDATE fewer for a step that ends the flow."""
    process.step_memo.setdefault("save_later", set()).update(fields)


def task_complete(*, task_id: int, user, apply: Callable[[Task, DisclosureProcess], None]) -> Task:
    """Claim the task if it is still unclaimed and the user may, run `apply`, then move the flow on.

    `apply` writes the decision (and may raise ValidationError); it runs in the same transaction as
    the transition, so a refusal leaves nothing half-written.
    """
    with _locked_task(task_id) as (task, activation), audit_batch():
        if task.status == STATUS.NEW and task.flow_task.can_assign(user, task):
            # Claimed and completed in one go: the completion's save writes the owner too (what
            # viewflow's assign transition does, without a save of its own).
            task.owner, task.status = user, STATUS.ASSIGNED
        if task.status != STATUS.ASSIGNED or not task.flow_task.can_execute(user, task):
            _refuse(task, user)
        activation.start(None)
        process = task.process.coerced
        # What `apply` has read under the locks, for the automatic nodes that run next in the same
        # transaction (the publish node reuses the approval's locked item and content rows).
        process.step_memo = {}
        try:
            apply(task, process)
            with flow_savepoints_skipped():
                activation.execute()
            later = process.step_memo.get("save_later")
            if later and process.status != PROCESS.DONE:
                process.save(update_fields=sorted(later))
        finally:
            process.step_memo = {}
        _audit(
            task,
            user,
            "workflow.task.completed",
            STATUS.ASSIGNED,
            STATUS.DONE,
            node=task.flow_task.name,
        )
    return task


def task_reassign(*, task_id: int, candidates=(), reason: str = "") -> Task | None:
    """Escalation: take an overdue task from whoever holds it. It goes to the first candidate
    who may claim it (the task's own permission, so never to someone outside the role, nor to
    the author of the item it reviews or approves), otherwise back to the queue of everyone who
    may. A task that never came from a queue (rework belongs to its drafter) is left alone:
    returns None then."""
    with _locked_task(task_id) as (task, activation):
        if task.status != STATUS.ASSIGNED or not task.owner_permission:
            return None
        old_owner_id = task.owner_id
        activation.unassign()
        to_user = next((u for u in candidates if task.flow_task.can_assign(u, task)), None)
        if to_user is not None:
            activation.assign(to_user)
        audit_log(
            actor=None,
            action="workflow.task.reassigned",
            subject=task,
            old_state=STATUS.ASSIGNED,
            new_state=task.status,
            comment=reason,
            data={"from_user": old_owner_id, "to_user": task.owner_id},
        )
    return task


def task_claim_next(*, candidate_ids: Iterable[int], user) -> Task | None:
    """Claim the first task of `candidate_ids` (most urgent first) that is still free; None when
    every candidate went to someone else or the list is empty. Each attempt is its own claim
    under the flow lock, so two reviewers pressing "claim next" together get different tasks."""
    for task_id in candidate_ids:
        try:
            return task_claim(task_id=task_id, user=user)
        except (TaskNotAvailable, TaskBusy):
            continue
    return None
