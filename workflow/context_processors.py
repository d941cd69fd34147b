from viewflow.workflow.status import STATUS


def navigation(request):
    """Header counters; two small queries per page, independent of data size."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from viewflow.workflow.models import Task

    from .selectors import queue_for_user

    return {
        "nav_inbox_count": Task.objects.filter(
            owner=user, status=STATUS.ASSIGNED, flow_task_type="HUMAN"
        ).count(),
        "nav_queue_count": queue_for_user(user=user).count(),
    }
