def unread(request):
    """The unread count in the header: one indexed COUNT per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .models import Notification

    return {
        "nav_unread_count": Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
    }
