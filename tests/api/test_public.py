"""The public catalogue endpoints: published entries only, public versions only, Chinese search,
validated filters, JSON errors."""

import json

import pytest
from django.urls import reverse

from api.selectors import feed_entries
from portal.selectors import public_attachments
from workflow.models import Item

from .conftest import ON_REQUEST_MARKER, REDACTED, SEARCH_WORD, SECRETS

pytestmark = pytest.mark.django_db

CATALOGUE = "/api/v1/catalogue/"


def _text(response) -> str:
    # Decoded, so that Chinese is compared as characters rather than \\u escapes.
    return json.dumps(response.json(), ensure_ascii=False)


def _ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def assert_no_secrets(response):
    text = _text(response)
    for secret in SECRETS:
        assert secret not in text, secret


def test_the_catalogue_lists_published_entries_only(api, catalogue):
    response = api.get(CATALOGUE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["count"] == 3
    assert sorted(_ids(response)) == sorted(i.pk for i in catalogue.published)
    assert_no_secrets(response)
    row = next(r for r in body["results"] if r["id"] == catalogue.entry.pk)
    assert row["index_number"] == catalogue.entry.index_number
    assert row["title"] == catalogue.entry.title
    assert row["attribute"] == "proactive" and row["attribute_label"] == "主动公开"
    assert row["unit"] == {"id": catalogue.entry.unit.pk, "name": "民政局", "code": "MZJ"}
    assert row["category"]["name"] == "社会救助"
    assert row["url"] == "http://testserver" + reverse(
        "portal:catalogue_detail", args=[catalogue.entry.pk]
    )
    assert "body" not in row and "public_body" not in row


def test_hidden_items_are_404_and_never_leak(api, catalogue):
    for item in catalogue.hidden:
        response = api.get(f"{CATALOGUE}{item.pk}/")
        assert response.status_code == 404, item.title
        assert response.json() == {"detail": "未找到。"}
    for item in catalogue.published:
        assert_no_secrets(api.get(f"{CATALOGUE}{item.pk}/"))


def test_the_detail_gives_the_public_version_and_attachments(api, catalogue):
    redacted = api.get(f"{CATALOGUE}{catalogue.redacted.pk}/").json()
    assert REDACTED not in redacted["public_body"]
    assert "已领取临时救助金" in redacted["public_body"]
    assert "body" not in redacted and "interpretation" not in redacted

    entry = api.get(f"{CATALOGUE}{catalogue.entry.pk}/").json()
    [attachment] = entry["attachments"]
    [stored] = public_attachments(catalogue.entry)
    assert attachment["name"] == "发放标准.txt" and attachment["size"] == stored.size
    assert attachment["url"] == "http://testserver" + reverse(
        "portal:catalogue_attachment", args=[catalogue.entry.pk, stored.pk]
    )
    download = api.get(attachment["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == "城乡低保发放标准表".encode()


def test_an_entry_disclosed_on_request_lists_its_metadata_only(api, catalogue):
    """As on the portal (Art. 27): listed in the catalogue, content by request."""
    response = api.get(f"{CATALOGUE}{catalogue.on_request.pk}/")
    body = response.json()
    assert body["attribute"] == "on_request" and body["title"] == "低保资金分配明细"
    assert body["public_body"] is None and body["attachments"] == []
    assert ON_REQUEST_MARKER not in _text(response)


def test_prefetched_attachments_follow_the_portal_rule(catalogue):
    for item in feed_entries(now=catalogue.entry.published_at.replace(year=2100)):
        fresh = Item.objects.get(pk=item.pk)  # not through the prefetch
        assert public_attachments(item) == public_attachments(fresh)


def test_search_finds_chinese_words_of_the_public_text(api, catalogue):
    found = api.get(CATALOGUE, {"q": SEARCH_WORD})
    assert found.status_code == 200
    assert catalogue.entry.pk in _ids(found)
    assert catalogue.redacted.pk not in _ids(found)
    # A redacted passage or an unpublished text cannot be found at all.
    for secret in SECRETS:
        assert api.get(CATALOGUE, {"q": secret}).json()["count"] == 0, secret


def test_filters(api, catalogue, org):
    year = catalogue.entry.index_number.split("/")[1][:4]
    assert api.get(CATALOGUE, {"unit": org.civil.pk}).json()["count"] == 3
    assert api.get(CATALOGUE, {"unit": org.edu.pk}).json()["count"] == 0
    assert api.get(CATALOGUE, {"category": org.category.pk}).json()["count"] == 3
    assert api.get(CATALOGUE, {"year": year}).json()["count"] == 3
    assert api.get(CATALOGUE, {"year": int(year) + 1}).json()["count"] == 0
    since = catalogue.redacted.published_at.isoformat()
    assert _ids(api.get(CATALOGUE, {"published_since": since})) == [catalogue.on_request.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "abc"}, "year"),
        ({"year": "0"}, "year"),
        ({"category": "-1"}, "category"),
        ({"unit": "1.5"}, "unit"),
        ({"unit": "99999999999999999999999"}, "unit"),
        ({"published_since": "yesterday"}, "published_since"),
        ({"published_since": ""}, "published_since"),
        ({"published_since": "0001-01-01T00:00:00"}, "published_since"),  # before year 1 in UTC
        ({"published_since": "0001-01-01T00:00:00+14:00"}, "published_since"),
        ({"year": ""}, "year"),
        ({"q": "低" * 101}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
        ({"page_size": "1000"}, "page_size"),
    ],
)
def test_bad_filters_are_400_with_a_reason(api, db, params, field):
    response = api.get(CATALOGUE, params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and list(body["errors"]) == [field]
    assert all(isinstance(m, str) and m for m in body["errors"][field])


def test_a_page_past_the_end_is_404(api, catalogue):
    response = api.get(CATALOGUE, {"page": 5})
    assert response.status_code == 404 and response.json()["detail"]


def test_pages_are_bounded(api, catalogue):
    page = api.get(CATALOGUE, {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert len(api.get(page["next"]).json()["results"]) == 1


def test_counts_are_exact_up_to_the_cap_and_pages_reach_the_cap(api, catalogue, settings):
    page = api.get(CATALOGUE, {"q": "低保"}).json()
    assert page["count"] == len(page["results"]) > 1 and page["count_exact"] is True
    settings.CATALOGUE_COUNT_CAP = 1
    page = api.get(CATALOGUE, {"q": "低保", "page_size": 1}).json()
    assert page["count"] == 1 and page["count_exact"] is False
    assert len(page["results"]) == 1 and page["next"] is None
    assert api.get(CATALOGUE, {"q": "低保", "page_size": 1, "page": 2}).status_code == 404
    # The list without words counts from the maintained counts: exact beyond the cap.
    page = api.get(CATALOGUE, {"page_size": 1}).json()
    assert page["count"] == 3 and page["count_exact"] is True


def test_search_results_are_whole_words_first_then_newest(api, publish):
    older = publish(title="幼儿园收费标准")
    by_characters = publish(title="园区儿童与幼小衔接")
    newer = publish(title="公办幼儿园招生")
    assert _ids(api.get(CATALOGUE, {"q": "幼儿园"})) == [newer.pk, older.pk, by_characters.pk]
    assert _ids(api.get(CATALOGUE)) == [newer.pk, by_characters.pk, older.pk]


def test_categories_and_units(api, org):
    categories = api.get("/api/v1/categories/").json()["results"]
    assert categories == [{"id": org.category.pk, "name": "社会救助"}]
    units = [u["name"] for u in api.get("/api/v1/units/").json()["results"]]
    assert "民政局" in units and "区保密局" not in units


def test_errors_are_json_in_chinese_by_default_and_english_on_request(api, catalogue):
    unknown = api.get("/api/v1/nothing-here/")
    assert unknown.status_code == 404 and unknown.json() == {"detail": "未找到。"}
    assert unknown["Content-Type"].startswith("application/json")
    # An address with a line break in it is unknown too (schemathesis found one answered in HTML).
    broken = api.get(f"{CATALOGUE}%F3%83%B8%A2%0A/")
    assert broken.status_code == 404 and broken["Content-Type"].startswith("application/json")
    api.cookies["django_language"] = "en"
    assert api.get(f"{CATALOGUE}{catalogue.draft.pk}/").json() == {"detail": "Not found."}


def test_writes_to_the_catalogue_are_refused(api, catalogue):
    response = api.post(CATALOGUE, {"title": "x"}, format="json")
    assert response.status_code == 405 and response.json()["detail"]
