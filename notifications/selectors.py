"""Reads about notifications and deadline alerts."""

from django.db.models import QuerySet
from django.http import Http404

from .models import DeadlineAlert, Notification


def notifications_for(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    rows = Notification.objects.filter(recipient=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def notification_get_for(*, user, pk: int) -> Notification:
    """Someone else's notification answers 404, as if it did not exist."""
    notification = Notification.objects.filter(recipient=user, pk=pk).first()
    if notification is None:
        raise Http404
    return notification


def alerts_for_request(*, request) -> QuerySet[DeadlineAlert]:
    return DeadlineAlert.objects.filter(request=request).order_by("created_at", "id")


def alerts_for_item(*, item) -> QuerySet[DeadlineAlert]:
    return DeadlineAlert.objects.filter(item=item).order_by("created_at", "id")
