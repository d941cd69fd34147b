"""Indexes for the pages whose cost must not follow the district's data (issue 8, bench/pages.py):

- `workflow_task_held`: a user's open human tasks in hand (owner, status ASSIGNED or STARTED), the
  "held" half of the work list's filter (workflow.worklist.open_tasks_of) and the header counter.
  Without it PostgreSQL intersects the owner's whole task history with every claimed task of
  the district (the status index); with it, one probe for the user's own open tasks.
- The supervisors' dashboard (supervision.selectors) aggregates the district's open requests and
  open proactive items by unit, by stage and by due date, and counts requests received and
  answered and items published per month. Each index below holds exactly the columns one of those
  queries reads (the primary key included, for COUNT), so they are answered by index-only scans of
  a narrow index instead of reads of the wide rows (items carry their body and search document).
  The open ones are partial: closed subjects, most of the tables, are not in them. The lists of
  open statuses are DisclosureRequest.OPEN_STATUSES and workflow.services.request_clock.
  ITEM_OPEN_STATUSES; a query with the same IN list is proven to fall within the index.

Plain SQL, valid on SQLite and PostgreSQL alike (no INCLUDE), like 0009: the first index is on
viewflow's table, which is not ours to model, and the others are planner aids that no model code
refers to.
"""

from django.db import migrations

OPEN_REQUEST = "status IN ('submitted', 'registered', 'correction', 'in_progress')"
OPEN_ITEM = (
    "attribute = 'proactive' AND status IN "
    "('draft', 'in_review', 'referred', 'returned', 'countersigning', 'in_approval')"
)

INDEXES = {
    "workflow_task_held": (
        "viewflow_task (owner_id) "
        "WHERE status IN ('ASSIGNED', 'STARTED') AND flow_task_type = 'HUMAN'"
    ),
    # by_unit, by_stage and the overdue / at-risk list of requests
    "workflow_request_open_due": (
        f"workflow_disclosurerequest (receiving_unit_id, stage, due_on, id) WHERE {OPEN_REQUEST}"
    ),
    # the same for open proactive items
    "workflow_item_open_due": (
        f"workflow_item (unit_id, status, publication_due_on, id) WHERE {OPEN_ITEM}"
    ),
    # requests received and answered (on time, late) per month
    "workflow_request_trend": (
        "workflow_disclosurerequest "
        "(receiving_unit_id, received_on, submitted_on, answered_on, due_on, id)"
    ),
    # items published per month
    "workflow_item_published_trend": (
        "workflow_item (published_at, unit_id, id) WHERE published_at IS NOT NULL"
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0009_claimable_task_index"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES.items()
    ]
