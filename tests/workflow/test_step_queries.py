"""What a workflow step sends to the database does not grow with the data, and stays lean: one
audit insert per step, no savepoints inside it, the flow lock taken once (bench/lifecycle.py
measures the same steps against bare viewflow)."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from review.permissions import forget_cached_grants
from workflow.models import Item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def jobs_not_run_inline(monkeypatch):
    """A step hands its notification jobs to the broker after commit; a worker runs them later.
    Tests run Celery eagerly, which would put the worker's SQL inside the step: record the
    hand-over instead (the outbox row and its "sent" mark are still written)."""
    handed = []
    monkeypatch.setattr("notifications.dispatch._publish", lambda m: handed.append(m.task_name))
    return handed


def lifecycle(org, make_item, flow_steps) -> dict[str, list[str]]:
    """The SQL of each step of one draft -> review -> approval -> publication."""
    users = org.users
    steps = {}

    def step(name, action):
        for user in (users.drafter, users.reviewer, users.section_head):
            forget_cached_grants(user)  # a request starts without them
        with CaptureQueriesContext(connection) as captured:
            result = action()
        steps[name] = [query["sql"] for query in captured.captured_queries]
        return result

    item = step("create", make_item)
    step("submit", lambda: flow_steps.submit(item))
    step("review", lambda: flow_steps.review(item, "pass"))
    step("approve", lambda: flow_steps.approve("approve_section", users.section_head))
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    return steps


def shape(sql: str) -> str:
    verb = sql.split(None, 1)[0].upper()
    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)', sql, re.IGNORECASE)
    return f"{verb} {table.group(1) if table else ''}".strip()


def test_each_step_costs_the_same_however_much_came_before(org, make_item, flow_steps):
    lifecycle(org, make_item, flow_steps)  # the per-process caches (content types) fill here
    first = lifecycle(org, make_item, flow_steps)
    for _ in range(4):  # more items, decisions, tasks, audit rows and index numbers
        lifecycle(org, make_item, flow_steps)
    later = lifecycle(org, make_item, flow_steps)
    assert {name: len(sql) for name, sql in later.items()} == {
        name: len(sql) for name, sql in first.items()
    }
    assert {name: Counter(map(shape, sql)) for name, sql in later.items()} == {
        name: Counter(map(shape, sql)) for name, sql in first.items()
    }


def test_a_step_writes_its_audit_rows_at_once_and_opens_no_savepoint(
    org, make_item, flow_steps, jobs_not_run_inline
):
    steps = lifecycle(org, make_item, flow_steps)
    # The review task and the approval task each tell someone.
    assert jobs_not_run_inline == ["notifications.tasks.notify_task_available"] * 2
    for name, sql in steps.items():
        shapes = Counter(map(shape, sql))
        assert shapes["INSERT audit_auditentry"] == 1, name
        assert shapes["SAVEPOINT"] == 0, (name, sql)
    for name in ("review", "approve"):
        locks = [s for s in steps[name] if "FOR UPDATE" in s and "NOWAIT" in s]
        assert len(locks) == 1, (name, locks)  # the flow lock, taken with the task read
    # A decision routes the flow itself: no gateway task on the way, only the next task (the
    # approval; then publication and the end).
    assert Counter(map(shape, steps["review"]))["INSERT viewflow_task"] == 1
    assert Counter(map(shape, steps["approve"]))["INSERT viewflow_task"] == 2
