"""The work-list filter can use an index: its cost follows the user's own open tasks, not every
open task of the district (bench/pages.py measures it at 100,000 rows)."""

import pytest
from django.db import connection
from viewflow.workflow.models import Task

from review.permissions import forget_cached_grants, tasks_claimable_by

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows would be read whole anyway: make the planner show what it can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def add_other_units_open_tasks(copies: int) -> None:
    """Open copies of the open human tasks, each on another (made-up) object: the district's
    other queues, which a user's work list must not read through (with a handful of rows any
    index looks as cheap, and viewflow's own status index would read every open task)."""
    columns = [f.column for f in Task._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    select = ", ".join(
        "'other-' || n" if c == "owner_permission_obj_pk" else f"t.{quote(c)}" for c in columns
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO viewflow_task ({', '.join(map(quote, columns))})"  # noqa: S608
            f" SELECT {select} FROM viewflow_task t CROSS JOIN generate_series(1, %s) AS n"
            " WHERE t.flow_task_type = 'HUMAN' AND t.status = 'NEW'",
            [copies],
        )
        cursor.execute("ANALYZE viewflow_task")


@pytest.mark.parametrize("who", ["reviewer", "outsider_reviewer"])
def test_the_claimable_filter_reads_the_partial_index(org, make_item, flow_steps, who):
    for _ in range(3):
        flow_steps.submit(make_item())
    add_other_units_open_tasks(copies=2000)
    user = getattr(org.users, who)
    forget_cached_grants(user)
    # The reviewer has three tasks; the other unit's reviewer has none: both plans probe the index.
    assert tasks_claimable_by(user).count() == (3 if who == "reviewer" else 0)
    assert "workflow_task_claimable" in plan_of(tasks_claimable_by(user).values("pk"))
