"""An index for "open, unclaimed human tasks whose permission the user holds on exactly the task's
object" (review.permissions.claimable_q), the filter of every work list, leadership inbox and
header counter.

The filter is an OR of (owner_permission, content type, object pk) equalities, one per grant the
user holds, on tasks with status NEW. Without this index PostgreSQL reads every open task of the
district and throws away all but the user's (bench/pages.py: 27,004 rows removed for a user with
an empty queue); with it, one index probe per grant, so the cost follows the user's tasks, not
the district's. Partial: closed tasks, which are most of the table, are not in it. The object pk
leads because it is the most selective column (a unit, a section, a request).

viewflow's Task table is not ours to model, so the index is plain SQL, valid on SQLite and
PostgreSQL alike.
"""

from django.db import migrations

INDEX = "workflow_task_claimable"

CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON viewflow_task "
    "(owner_permission_obj_pk, owner_permission_content_type_id, owner_permission) "
    "WHERE status = 'NEW' AND flow_task_type = 'HUMAN'"
)
DROP = f"DROP INDEX IF EXISTS {INDEX}"


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0008_catalogue_search_and_annual_report_rows"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
