"""What the public may read: published catalogue entries (Regulation Art. 12), their public
versions and attachments, the disclosure guides (Art. 12) and a request's progress by tracking code.

Everything here is anonymous. Entries are published items only, and only their frozen public
versions (`public_title`, `public_summary`, `public_body`, `public_interpretation`) are ever
read; originals never leave the workbench. The portal pages and the API both read through these functions.

Lists and searches a visitor pages through (`catalogue_search`) read the catalogue's search index
(workflow.search) inside `bounded_public_read`, which bounds every statement in time.
"""

import datetime as dt
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

from django.conf import settings
from django.db import OperationalError, connections, router, transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from workflow.models import (
    Attachment,
    CatalogueCount,
    CatalogueEntry,
    Category,
    DisclosureRequest,
    Item,
    Unit,
)
from workflow.search.query import Filters, Search, Tally
from workflow.search.words import query_words

from .highlight import highlight, snippet

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
    category: int | None = None,
    unit: int | None = None,
    year: int | None = None,
    published_since: dt.datetime | None = None,
) -> QuerySet[Item]:
    """Published entries, newest first: the feed, the home page and an entry's page. Lists and
    searches a visitor pages through go through `catalogue_search`.

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
    return entries


class CatalogueTimeout(Exception):
    """A public read ran past CATALOGUE_STATEMENT_TIMEOUT_MS and was stopped."""


def _timed_out(error: OperationalError) -> bool:
    # PostgreSQL's query_canceled (statement_timeout); SQLite's "interrupted" (progress handler).
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "57014" or "interrupted" in str(error)


@contextmanager
def bounded_public_read() -> Iterator[str]:
    """A transaction for one public page's reads, which together run no longer than
    CATALOGUE_STATEMENT_TIMEOUT_MS; yields the database alias to read (the replica's when the
    router gives it). A statement that runs out raises CatalogueTimeout, never a 500.

    PostgreSQL stops the statement itself: `SET LOCAL statement_timeout` (undone at the end of
    the transaction) gives each statement what is left of the page's time. SQLite's progress
    handler interrupts a statement once the page's time is up."""
    alias = router.db_for_read(CatalogueEntry)
    connection = connections[alias]
    limit_ms = settings.CATALOGUE_STATEMENT_TIMEOUT_MS
    if limit_ms <= 0:
        with transaction.atomic(using=alias):
            yield alias
        return
    deadline = time.monotonic() + limit_ms / 1000
    try:
        with transaction.atomic(using=alias):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # work_mem: the bitmap of a common word's matches stays exact (at the default
                    # 4MB it turns lossy past about 100,000 matches, and every row of a lossy
                    # page is checked again).
                    cursor.execute(
                        f"SET LOCAL statement_timeout = {int(limit_ms)}; "
                        f"SET LOCAL work_mem = '{int(settings.CATALOGUE_WORK_MEM_MB)}MB'"
                    )
                with connection.execute_wrapper(_within(deadline)):
                    yield alias
            else:
                connection.ensure_connection()
                raw = connection.connection
                raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
                try:
                    yield alias
                finally:
                    raw.set_progress_handler(None, 0)
    except OperationalError as error:
        if _timed_out(error):
            raise CatalogueTimeout from error
        raise


def _within(deadline: float):
    """An execute wrapper that gives each statement only the page's time that is left."""

    def execute(run, sql, params, many, context):
        left_ms = int((deadline - time.monotonic()) * 1000)
        if left_ms <= 0:
            raise CatalogueTimeout
        # On the driver's connection: one round trip, not a statement of the page's own.
        context["connection"].connection.execute(f"SET LOCAL statement_timeout = {left_ms}")
        return run(sql, params, many, context)

    return execute


# The list's columns (the texts a search result may show marked are added for searches).
LIST_FIELDS = tuple(f for f in PUBLIC_FIELDS if f not in ("public_body", "public_interpretation"))


class CatalogueResults:
    """The entries a visitor asked for (words, filters), as Django's and DRF's paginators read
    them: `count()` is the exact count, or the cap when there are more than
    CATALOGUE_COUNT_CAP matches to a search (so its pages reach the first CATALOGUE_COUNT_CAP), and
    a slice reads one page. The lists without words are always counted exactly (maintained
    counts). Searches mark the query's words in each entry of the page (`marked_title`,
    `marked_summary`).

    Use inside `bounded_public_read`, with the alias it gives."""

    ordered = True

    def __init__(self, *, search: Search, words: list[str], using: str):
        self.search = search
        self.words = words
        self.using = using
        self.cap = settings.CATALOGUE_COUNT_CAP

    @cached_property
    def tally(self) -> Tally:
        return self.search.tally(cap=self.cap)

    def count(self) -> int:
        return self.tally.total if self.tally.exact else self.cap

    @property
    def count_exact(self) -> bool:
        return self.tally.exact

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("CatalogueResults reads slices of a page")
        start, stop = key.start or 0, key.stop
        ids = self.search.ids(offset=start, limit=stop - start) if stop > start else []
        fields = PUBLIC_FIELDS if self.words else LIST_FIELDS
        rows = (
            Item.objects.using(self.using)
            # The index names published entries only; the rows say so again themselves.
            .filter(pk__in=ids, status=Item.Status.PUBLISHED, index_number__isnull=False)
            .select_related("unit", "category")
            .only(*fields)
            .in_bulk()
        )
        entries = [rows[pk] for pk in ids if pk in rows]
        if self.words:
            for entry in entries:
                _mark(entry, self.words)
        return entries


def _mark(entry: Item, words: list[str]) -> None:
    entry.marked_title = highlight(entry.public_title, words)
    texts = [entry.public_summary]
    if entry.attribute == Item.Attribute.PROACTIVE:  # the text of an on-request entry is not public
        texts.append(entry.public_body)
    entry.marked_summary = next(
        (found for text in texts if (found := snippet(text, words)) is not None), None
    )


def catalogue_search(
    *,
    using: str,
    q: str = "",
    category: int | None = None,
    unit: int | None = None,
    year: int | None = None,
    published_since: dt.datetime | None = None,
) -> CatalogueResults:
    """Published entries matching `q` (Chinese or not; empty: every entry) and the filters: best
    match first, then newest (workflow.search.query). A query with no words at all (only
    punctuation) matches nothing."""
    words = query_words(q) if q and q.strip() else []
    filters = Filters(category=category, unit=unit, year=year, published_since=published_since)
    search = Search(words=words, filters=filters, using=using)
    if q and q.strip() and not words:
        search = _Nothing()
    return CatalogueResults(search=search, words=words, using=using)


class _Nothing:
    def ids(self, *, offset: int, limit: int) -> list[int]:
        return []

    def tally(self, *, cap: int) -> Tally:
        return Tally(total=0, exact=True)


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


def catalogue_years(*, using: str) -> list[int]:
    """The years the catalogue has entries in, newest first (from the maintained counts)."""
    return list(
        CatalogueCount.objects.using(using)
        .filter(entries__gt=0)
        .order_by("-year")
        .values_list("year", flat=True)
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
