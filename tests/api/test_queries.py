"""List endpoints cost the same number of queries for 3 rows as for 30 (no N+1)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from workflow.models import Attachment, Item
from workflow.search import document_words
from workflow.search.index import catalogue_rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(org, make_item, settings):
    """Rows shaped like published entries, made quickly: the flow is covered elsewhere, here only
    the number of rows matters."""
    settings.API_FEED_SETTLE_SECONDS = 0
    made = []

    def add(count):
        for _ in range(count):
            n = len(made) + 1
            item = make_item(title=f"第{n}号公告")
            Item.objects.filter(pk=item.pk).update(
                status=Item.Status.PUBLISHED,
                index_number=f"MZJ/2026-{n:05d}",
                index_year=2026,
                index_serial=n,
                published_at=timezone.now() - dt.timedelta(hours=1, seconds=n),
                public_body=f"第{n}号公告正文",
                search_document=document_words(f"第{n}号公告", f"第{n}号公告正文"),
            )
            Attachment.objects.create(
                item=item,
                file=f"attachments/{n}.txt",
                name=f"{n}.txt",
                size=n,
                published_sha256="0" * 64,
                uploaded_by=org.users.drafter,
            )
            made.append(item)
        # What publication keeps in step for each entry (the catalogue's search index and counts).
        catalogue_rebuild()

    return add


def _queries(client, url, params, rows=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    if rows is not None:
        assert len(response.json()["results"]) == rows
    return len(queries)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/catalogue/", {"page_size": 50}),
        ("/api/v1/catalogue/", {"page_size": 50, "q": "公告"}),
        ("/api/v1/feed/", {"limit": 50}),
        ("/api/v1/items/", {"page_size": 50}),
    ],
)
def test_entry_lists_do_not_grow_with_the_data(org, entries, token_client, url, params):
    client = token_client(org.users.drafter)
    entries(3)
    few = _queries(client, url, params, rows=3)
    entries(27)
    assert _queries(client, url, params, rows=30) == few


def test_request_list_does_not_grow_with_the_data(org, req, token_client):
    client = token_client(org.users.officer)
    for _ in range(3):
        req.register()
    few = _queries(client, "/api/v1/requests/", {"page_size": 50}, rows=3)
    for _ in range(27):
        req.register()
    assert _queries(client, "/api/v1/requests/", {"page_size": 50}, rows=30) == few
