"""Pagination: page numbers for lists, a resumable cursor for the CMS feed.

DRF's own classes quietly fall back to defaults on a bad `page_size` and keep no position once the
last page is read; both are replaced here so a bad value is a 400 and a CMS never loses its place.
"""

import base64
import binascii
import datetime as dt
import re

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext
from rest_framework import pagination, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

DB_INT_MAX = 2**63 - 1


def _query_int(request, name: str, *, maximum: int) -> int | None:
    """A whole number from 1 to `maximum` from the query string (None when absent); otherwise a
    400 with DRF's own, translated, messages."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    field = serializers.IntegerField(min_value=1, max_value=maximum)
    try:
        return field.run_validation(raw)
    except ValidationError as exc:
        raise ValidationError({name: exc.detail}) from exc


class PagePagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    last_page_strings = ()

    @property
    def max_page_size(self) -> int:
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        size = _query_int(request, self.page_size_query_param, maximum=self.max_page_size)
        return size or self.page_size

    def get_page_number(self, request, paginator):
        # Past the last page, DRF answers 404.
        return _query_int(request, self.page_query_param, maximum=DB_INT_MAX) or 1

    def get_schema_operation_parameters(self, view):
        page, size = super().get_schema_operation_parameters(view)
        page["schema"].update(minimum=1, maximum=DB_INT_MAX)
        size["schema"].update(minimum=1, maximum=self.max_page_size)
        return [page, size]


def cursor_encode(published_at: dt.datetime, pk: int) -> str:
    micros = (published_at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)
    return base64.urlsafe_b64encode(f"{micros}.{pk}".encode()).decode().rstrip("=")


_CURSOR = re.compile(r"(-?\d{1,18})\.(\d{1,18})")


def cursor_decode(raw: str) -> tuple[dt.datetime, int]:
    """(published_at, id) of an opaque cursor; ValueError when it is not one of ours."""
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError) as exc:
        raise ValueError(raw) from exc
    match = _CURSOR.fullmatch(text)
    if not match:
        raise ValueError(raw)
    micros, pk = int(match[1]), int(match[2])
    try:
        moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=micros)
    except OverflowError as exc:
        raise ValueError(raw) from exc
    return moment, pk


class FeedPagination(pagination.BasePagination):
    """Entries after a cursor, oldest first, on (published_at, id).

    Unlike DRF's CursorPagination the answer always carries `next_cursor`, also on the last page:
    a CMS stores it and asks again later with `?after=<next_cursor>` for what was published since.
    """

    cursor_query_param = "after"
    limit_query_param = "limit"
    default_limit = 50
    max_limit = 200

    def paginate_queryset(self, queryset, request, view=None):
        raw_cursor = request.query_params.get(self.cursor_query_param)
        limit = _query_int(request, self.limit_query_param, maximum=self.max_limit)
        limit = limit or self.default_limit
        self.cursor = None
        if raw_cursor is not None:
            try:
                published_at, pk = cursor_decode(raw_cursor)
            except ValueError as exc:
                message = pagination.CursorPagination.invalid_cursor_message
                raise ValidationError({self.cursor_query_param: [message]}) from exc
            queryset = queryset.filter(
                Q(published_at__gt=published_at) | Q(published_at=published_at, pk__gt=pk)
            )
            self.cursor = raw_cursor
        rows = list(queryset.order_by("published_at", "pk")[: limit + 1])
        self.has_more = len(rows) > limit
        rows = rows[:limit]
        if rows:
            self.cursor = cursor_encode(rows[-1].published_at, rows[-1].pk)
        return rows

    def get_paginated_response(self, data):
        return Response({"results": data, "next_cursor": self.cursor, "has_more": self.has_more})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results", "next_cursor", "has_more"],
            "properties": {
                "results": schema,
                "next_cursor": {
                    "type": "string",
                    "nullable": True,
                    "description": gettext(
                        "Pass as `after` next time; null only while the feed is empty."
                    ),
                },
                "has_more": {
                    "type": "boolean",
                    "description": gettext(
                        "More entries are waiting: ask again at once with `after`."
                    ),
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": gettext(
                    "The `next_cursor` of the previous answer; omit to start from the first "
                    "published entry."
                ),
                "schema": {"type": "string"},
            },
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": gettext("Entries per answer (default %(count)s).")
                % {"count": self.default_limit},
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_limit},
            },
        ]
