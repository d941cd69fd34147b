"""Reads the API needs beyond portal.selectors: the feed for a CMS."""

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from portal.selectors import catalogue_entries, with_public_attachments
from workflow.models import Item


def feed_entries(*, now: dt.datetime | None = None) -> QuerySet[Item]:
    """Published entries for a CMS, oldest first, with their public attachments; the last few
    seconds are held back (settings.API_FEED_SETTLE_SECONDS) so that an entry whose publication
    commits late cannot slip behind a cursor that has already moved on."""
    now = now or timezone.now()
    settled = now - dt.timedelta(seconds=settings.API_FEED_SETTLE_SECONDS)
    return with_public_attachments(
        catalogue_entries().filter(published_at__lte=settled).order_by("published_at", "pk")
    )
