"""The CMS feed: published entries in publication order with a cursor that survives the end of
the feed, so a website can ask "what is new since last time" and get every entry exactly once."""

import datetime as dt
import json

import pytest

from .conftest import ON_REQUEST_MARKER, REDACTED, SECRETS

pytestmark = pytest.mark.django_db

FEED = "/api/v1/feed/"


@pytest.fixture
def cms(org, token_client, settings):
    settings.API_FEED_SETTLE_SECONDS = 0
    return token_client(org.users.drafter)


def _ids(body) -> list[int]:
    return [row["id"] for row in body["results"]]


def test_the_feed_gives_public_versions_in_publication_order(cms, catalogue):
    response = cms.get(FEED)
    assert response.status_code == 200
    body = response.json()
    assert _ids(body) == [i.pk for i in catalogue.published]  # oldest first
    assert body["has_more"] is False and body["next_cursor"]
    text = json.dumps(body, ensure_ascii=False)
    for secret in (*SECRETS, ON_REQUEST_MARKER):
        assert secret not in text, secret
    entry, redacted, on_request = body["results"]
    assert entry["public_body"] == catalogue.entry.public_body
    assert [a["name"] for a in entry["attachments"]] == ["发放标准.txt"]
    assert entry["attachments"][0]["url"].startswith("http://testserver/catalogue/")
    assert "已领取临时救助金" in redacted["public_body"] and REDACTED not in redacted["public_body"]
    assert on_request["public_body"] is None and on_request["attachments"] == []


def test_a_cms_pages_through_and_resumes_later(cms, catalogue, publish):
    first = cms.get(FEED, {"limit": 2}).json()
    assert _ids(first) == [catalogue.entry.pk, catalogue.redacted.pk] and first["has_more"]
    second = cms.get(FEED, {"limit": 2, "after": first["next_cursor"]}).json()
    assert _ids(second) == [catalogue.on_request.pk] and not second["has_more"]
    # Nothing new: the same cursor comes back, so the CMS keeps its place.
    idle = cms.get(FEED, {"after": second["next_cursor"]}).json()
    assert idle == {"results": [], "next_cursor": second["next_cursor"], "has_more": False}

    later = publish(title="2026年第四季度低保资金发放公告")
    news = cms.get(FEED, {"after": second["next_cursor"]}).json()
    assert _ids(news) == [later.pk]


def test_fresh_entries_wait_for_the_settle_delay(
    org, token_client, publish, settings, time_machine
):
    settings.API_FEED_SETTLE_SECONDS = 30
    entry = publish()
    time_machine.move_to(entry.published_at + dt.timedelta(seconds=5))
    cms = token_client(org.users.drafter)
    assert cms.get(FEED).json() == {"results": [], "next_cursor": None, "has_more": False}
    time_machine.move_to(entry.published_at + dt.timedelta(seconds=31))
    assert _ids(cms.get(FEED).json()) == [entry.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"after": "not-a-cursor"}, "after"),
        ({"after": "MTIz"}, "after"),  # base64 of "123": no id
        ({"after": "OTk5OTk5OTk5OTk5OTk5OTk5LjE"}, "after"),  # out of any date range
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
    ],
)
def test_bad_cursors_and_limits_are_400(cms, params, field):
    response = cms.get(FEED, params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
