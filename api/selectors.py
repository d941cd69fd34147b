"""Reads the API needs beyond portal.selectors: the feed, and public attachments fetched for a
whole page at once instead of one query per entry."""

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from portal.selectors import catalogue_entries, public_attachments
from workflow.models import Attachment, Item

PUBLIC_ATTACHMENTS_ATTR = "public_attachment_list"


def _public_attachments_prefetch() -> Prefetch:
    # The same rule as portal.selectors.public_attachments (covered by the approval: it carries
    # `published_sha256`); the rule on the entry's attribute is applied in `entry_attachments`.
    # tests/api/test_public.py checks that both give the same files.
    return Prefetch(
        "attachments",
        queryset=Attachment.objects.exclude(published_sha256="").only(
            "id", "item_id", "name", "size", "public_file", "published_sha256"
        ),
        to_attr=PUBLIC_ATTACHMENTS_ATTR,
    )


def entry_attachments(item: Item) -> list[Attachment]:
    """The public attachments of a published entry: prefetched for feed pages, one query else."""
    prefetched = getattr(item, PUBLIC_ATTACHMENTS_ATTR, None)
    if prefetched is None:
        return list(public_attachments(item))
    return prefetched if item.attribute == Item.Attribute.PROACTIVE else []


def feed_entries(*, now: dt.datetime | None = None) -> QuerySet[Item]:
    """Published entries for a CMS, oldest first, with their public attachments; the last few
    seconds are held back (settings.API_FEED_SETTLE_SECONDS) so that an entry whose publication
    commits late cannot slip behind a cursor that has already moved on."""
    now = now or timezone.now()
    settled = now - dt.timedelta(seconds=settings.API_FEED_SETTLE_SECONDS)
    return (
        catalogue_entries()
        .filter(published_at__lte=settled)
        .order_by("published_at", "pk")
        .prefetch_related(_public_attachments_prefetch())
    )
