"""Anonymous visitors cannot take the staff's capacity (issue 26): a rate per address for the
catalogue's pages, searches and feed, and a bound on the public searches running at once on the
whole site. Over the rate: 429; no search slot free: 503; both a Chinese page with Retry-After."""

import itertools

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from security.limits import search_slot

pytestmark = pytest.mark.django_db

_addresses = (f"198.51.100.{n}" for n in itertools.count(1))


@pytest.fixture
def visitor():
    """An anonymous visitor from an address of its own, so tests never share a budget."""
    return Client(REMOTE_ADDR=next(_addresses))


def _search(client, word="低保"):
    return client.get(reverse("portal:catalogue"), {"q": word})


def test_a_visitor_over_the_search_rate_waits_and_others_do_not(settings, visitor, org):
    settings.PUBLIC_RATE_SEARCH = "2/minute"
    assert _search(visitor).status_code == 200
    assert _search(visitor).status_code == 200

    refused = _search(visitor)

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "请稍后再试" in refused.content.decode()
    assert _search(Client(REMOTE_ADDR=next(_addresses))).status_code == 200
    # Browsing without a search counts against the other, larger budget.
    assert visitor.get(reverse("portal:catalogue")).status_code == 200
    # Signed-in staff are never limited here.
    staff = Client(REMOTE_ADDR=visitor.defaults["REMOTE_ADDR"])
    staff.force_login(org.users.reviewer)
    assert _search(staff).status_code == 200


def test_lists_and_the_feed_share_a_rate_per_address(settings, visitor):
    settings.PUBLIC_RATE_LIST = "3/minute"
    pages = [reverse("portal:catalogue"), reverse("portal:feed"), reverse("portal:catalogue")]
    assert [visitor.get(page).status_code for page in pages] == [200, 200, 200]
    assert visitor.get(reverse("portal:feed")).status_code == 429
    with time_machine.travel(60, tick=False) as clock:  # seconds since the epoch: a new window
        clock.shift(3600)
        assert visitor.get(reverse("portal:catalogue")).status_code == 200


def test_a_search_waits_while_every_slot_is_taken_elsewhere(settings, visitor):
    settings.PUBLIC_SEARCH_CONCURRENCY = 1
    # Another process's search holds the one slot (the slots live in the shared cache).
    with search_slot() as taken:
        assert taken
        busy = _search(visitor)
        assert busy.status_code == 503
        assert busy["Retry-After"] and "检索" in busy.content.decode()
    assert _search(visitor).status_code == 200


def test_a_slot_held_by_a_dead_process_frees_itself(settings, visitor):
    settings.PUBLIC_SEARCH_CONCURRENCY = 1
    settings.PUBLIC_SEARCH_SLOT_SECONDS = 30
    with time_machine.travel("2026-12-08 10:00:00+08:00", tick=False) as clock:
        holder = search_slot()
        assert holder.__enter__()  # and never leaves: its process was killed
        assert _search(visitor).status_code == 503
        clock.shift(31)
        assert _search(visitor).status_code == 200


def test_an_api_search_takes_a_slot_of_the_same_bound(settings, visitor):
    settings.PUBLIC_SEARCH_CONCURRENCY = 1
    url = reverse("api:catalogue")
    with search_slot() as taken:  # a portal visitor's search, in another process
        assert taken
        busy = visitor.get(url, {"q": "低保"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert busy.status_code == 503
        assert busy["Retry-After"] == "2"
        assert "同时进行的检索过多" in busy.json()["detail"]
        # The list without words reads maintained counts: it needs no slot.
        assert visitor.get(url).status_code == 200
    assert visitor.get(url, {"q": "低保"}).status_code == 200
