"""What the public may read: published catalogue entries (Regulation Art. 12), their public
versions and attachments, the disclosure guides (Art. 12) and a request's progress by tracking code.

Everything here is anonymous. Entries are published items only, and only their frozen public
versions (`public_title`, `public_summary`, `public_body`, `public_interpretation`) are ever
read; originals never leave the workbench. The portal pages and the API both read through these functions.
"""

import datetime as dt
import re

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from workflow.models import Attachment, Category, DisclosureRequest, Item, Unit
from workflow.search import search

TRACKING_CODE = re.compile(r"[A-Z0-9-]+")

# Fields a public page or the API may read; the originals (`title`, `summary`, `body`,
# `interpretation`) are not among them, so even a template mistake cannot print unredacted text.
PUBLIC_FIELDS = (
    "id",
    "public_title",
    "public_summary",
    "index_number",
    "index_year",
    "formed_on",
    "published_at",
    "attribute",
    "is_policy_document",
    "public_body",
    "public_interpretation",
    "unit__id",
    "unit__name",
    "unit__code",
    "category__id",
    "category__name",
)


def catalogue_entries(
    *,
    q: str = "",
    category: int | None = None,
    unit: int | None = None,
    year: int | None = None,
    published_since: dt.datetime | None = None,
) -> QuerySet[Item]:
    """Published entries, newest first (best match first when searching on PostgreSQL).

    `year` is the year of the index number (the year of publication)."""
    entries = (
        Item.objects.filter(status=Item.Status.PUBLISHED, index_number__isnull=False)
        .select_related("unit", "category")
        .only(*PUBLIC_FIELDS)
        .order_by("-published_at", "-id")
    )
    if category:
        entries = entries.filter(category_id=category)
    if unit:
        entries = entries.filter(unit_id=unit)
    if year:
        entries = entries.filter(index_year=year)
    if published_since:
        entries = entries.filter(published_at__gt=published_since)
    if q and q.strip():
        entries = search(entries, q)
    return entries


def catalogue_entry_get(*, pk: int) -> Item:
    try:
        return catalogue_entries().get(pk=pk)
    except Item.DoesNotExist as exc:
        raise Http404 from exc


PUBLIC_ATTACHMENT_FIELDS = ("id", "item_id", "name", "size", "public_file", "published_sha256")
PREFETCHED_ATTACHMENTS = "public_attachment_list"


def _covered_attachments() -> QuerySet[Attachment]:
    """Attachments the approval covered: publication stamped their `published_sha256`."""
    return Attachment.objects.exclude(published_sha256="").only(*PUBLIC_ATTACHMENT_FIELDS)


def with_public_attachments(entries: QuerySet[Item]) -> QuerySet[Item]:
    """Fetch the public attachments of a whole page of entries in one query."""
    return entries.prefetch_related(
        Prefetch("attachments", queryset=_covered_attachments(), to_attr=PREFETCHED_ATTACHMENTS)
    )


def public_attachments(item: Item) -> list[Attachment]:
    """Attachments the approval covered, for proactive entries only; an on-request entry is listed
    in the catalogue but its content is obtained by request (Art. 27). Uses the prefetch of
    `with_public_attachments` when the entry came through it."""
    if item.attribute != Item.Attribute.PROACTIVE:
        return []
    prefetched = getattr(item, PREFETCHED_ATTACHMENTS, None)
    if prefetched is not None:
        return prefetched
    return list(_covered_attachments().filter(item=item))


def public_attachment_get(*, item: Item, pk: int) -> Attachment:
    if item.attribute != Item.Attribute.PROACTIVE:
        raise Http404
    try:
        return _covered_attachments().get(item=item, pk=pk)
    except Attachment.DoesNotExist as exc:
        raise Http404 from exc


def catalogue_categories() -> QuerySet[Category]:
    return Category.objects.order_by("order", "name")


def catalogue_units() -> QuerySet[Unit]:
    """Units that publish: every unit but the secrecy bureau, which rules on referrals."""
    return Unit.objects.exclude(kind=Unit.Kind.SECRECY_BUREAU).order_by("name")


def catalogue_years() -> list[int]:
    return list(
        Item.objects.filter(status=Item.Status.PUBLISHED, index_year__isnull=False)
        .order_by("-index_year")
        .values_list("index_year", flat=True)
        .distinct()
    )


def request_status_get(*, code: str) -> DisclosureRequest | None:
    """A request's progress by tracking code, with only what the status page shows: never who
    asked or what was asked. Unknown and malformed codes both give None."""
    code = (code or "").strip().upper()
    max_length = DisclosureRequest._meta.get_field("tracking_code").max_length
    # Codes are ASCII letters, digits and hyphens; anything else (a NUL byte, which PostgreSQL
    # refuses in a query) cannot be one.
    if not code or len(code) > max_length or not TRACKING_CODE.fullmatch(code):
        return None
    return (
        DisclosureRequest.objects.select_related("receiving_unit")
        .only(
            "tracking_code",
            "receiving_unit__name",
            "submitted_on",
            "received_on",
            "status",
            "due_on",
            "calendar_unconfirmed",
            "answered_on",
        )
        .filter(tracking_code=code)
        .first()
    )


def guide_units() -> QuerySet[Unit]:
    return catalogue_units().select_related("guide")


def guide_for_unit(*, code: str):
    """The unit and its guide (None when the administrators have not filled it in yet)."""
    from .models import Guide

    try:
        unit = catalogue_units().select_related("district").get(code=code)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc
    guide = Guide.objects.filter(unit=unit).first()
    return unit, guide


def catalogue_facets(entries: QuerySet[Item]) -> dict[str, dict[int, int]]:
    """How many of `entries` fall in each category, unit and year: one grouped query each."""
    from django.db.models import Count

    base = entries.order_by()

    def counts(field: str) -> dict[int, int]:
        rows = base.values(field).annotate(n=Count("id")).order_by()
        return {row[field]: row["n"] for row in rows}

    return {
        "category": counts("category_id"),
        "unit": counts("unit_id"),
        "year": counts("index_year"),
    }
