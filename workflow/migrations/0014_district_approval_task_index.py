"""The processes that reached the district office (review.permissions: the office reads a
district-wide item, and opens a request, once a district approval task exists for it). Without
this index the check reads every task of the district to find the few approve_district ones; with
it, the district approval tasks alone, by process.

Plain SQL on viewflow's table, like 0009 and 0010; the IN list is review.permissions
.DISTRICT_APPROVAL_REFS, so a query with the same list is proven to fall within the index.
"""

from django.db import migrations

INDEX = "workflow_task_district_approval"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON viewflow_task (process_id) WHERE flow_task IN ("
    "'workflow/flows.DisclosureFlow.approve_district', 'workflow/flows.RequestFlow.approve_district')"
)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0013_attachment_extraction"), ("viewflow", "0015_task_scheduled")]

    operations = [migrations.RunSQL(CREATE, f"DROP INDEX IF EXISTS {INDEX}")]
