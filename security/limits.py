"""What anonymous visitors of the public portal may cost, so that they cannot take the staff's
capacity (issue 26): a rate per address for the catalogue's list and search pages and the feed,
and a bound on the public searches running at once across every process of the site.

Both count in the shared cache (security.counters: Redis in production, this process's memory
while Redis is away). The rate is a window counter per address and kind of page. The searches
take one of PUBLIC_SEARCH_CONCURRENCY slots, each a cache key added with a timeout (SET NX EX in
Redis) and deleted when the search is done, so a process killed mid-search frees its slot after
PUBLIC_SEARCH_SLOT_SECONDS at the latest. Signed-in staff are never limited here.
"""

import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.shortcuts import render

from .client_ip import client_ip
from .counters import FailoverCache

counters = FailoverCache()
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'30/minute' -> (30, 60), as Django REST framework reads its rates."""
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


def rate_exceeded(*, address: str, scope: str, rate: str) -> int:
    """Count one page of `scope` for `address`; the seconds to wait when over `rate`, else 0."""
    allowed, seconds = parse_rate(rate)
    window = int(time.time()) // seconds
    key = f"public-rate:{scope}:{address}:{window}"
    if counters.add(key, 1, seconds):
        return 0
    try:
        used = counters.incr(key)
    except ValueError:  # the window ended between the two calls
        counters.add(key, 1, seconds)
        return 0
    return seconds - int(time.time()) % seconds if used > allowed else 0


@contextmanager
def search_slot() -> Iterator[bool]:
    """Take one of the site's slots for a public search for as long as the block runs; yields
    False (and takes nothing) when every slot is taken."""
    token = uuid.uuid4().hex
    slots = list(range(settings.PUBLIC_SEARCH_CONCURRENCY))
    random.shuffle(slots)  # spread the first tries, so that busy slots are not probed in order
    for slot in slots:
        key = f"public-search-slot:{slot}"
        if counters.add(key, token, settings.PUBLIC_SEARCH_SLOT_SECONDS):
            try:
                yield True
            finally:
                counters.delete(key)
            return
    yield False


def _busy(request, *, status: int, retry_after: int):
    response = render(request, "portal/busy.html", {"searching": status == 503}, status=status)
    response["Retry-After"] = str(max(retry_after, 1))
    return response


def public_page_limits(view: Callable) -> Callable:
    """Limit an anonymous visitor's pages of the catalogue: PUBLIC_RATE_SEARCH per address for
    searches (a non-empty `q`), PUBLIC_RATE_LIST for other pages, and the site-wide bound on
    searches running at once. Over the rate: 429; no search slot free: 503; both with a Chinese
    page and Retry-After."""

    @wraps(view)
    def limited(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        searching = bool(request.GET.get("q", "").strip())
        scope, rate = (
            ("search", settings.PUBLIC_RATE_SEARCH)
            if searching
            else ("list", settings.PUBLIC_RATE_LIST)
        )
        retry = rate_exceeded(address=client_ip(request), scope=scope, rate=rate)
        if retry:
            return _busy(request, status=429, retry_after=retry)
        if not searching:
            return view(request, *args, **kwargs)
        with search_slot() as taken:
            if not taken:
                return _busy(request, status=503, retry_after=2)
            return view(request, *args, **kwargs)

    return limited
