from viewflow.workflow.status import STATUS

APPROVER_PERMS = {
    "workflow.approve_section_scope",
    "workflow.approve_unit_scope",
    "workflow.approve_district_scope",
}


def navigation(request):
    """Header counters; two small queries per page, independent of data size."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from viewflow.workflow.models import Task

    from reports.permissions import has_report_access
    from review.permissions import user_grants

    from .selectors import queue_for_user

    approver = any(perm in APPROVER_PERMS for perm, _ct, _pk in user_grants(user))
    return {
        "nav_approver": approver,
        "nav_reports": has_report_access(user),
        "nav_inbox_count": Task.objects.filter(
            owner=user, status=STATUS.ASSIGNED, flow_task_type="HUMAN"
        ).count(),
        "nav_queue_count": queue_for_user(user=user).count(),
    }
