"""Public reads from a streaming replica (issue 26; docs/scaling.md, "Read replicas").

With `DATABASE_REPLICA_URL` set there is a second database alias, `replica`. Anonymous visitors'
GET requests to the public portal, the public API and the CMS feed read from it, so that their
searches and lists cannot take the primary's capacity from the staff. Everything else reads and
writes the primary (`default`):

- every write, wherever it happens (`db_for_write`), and every read after one in the same
  request, so a request reads its own writes;
- every read inside a transaction on the primary (`transaction.atomic`, `select_for_update`): a
  transaction must see one database;
- every request of a signed-in user (staff pages and services, and the portal seen by someone who
  just published on it), every POST (the request form and the API's submission read what they
  validate on the primary), the workflow, Celery tasks and management commands: none of them is
  marked public;
- the rows that say who the caller is (sessions, users, API tokens, login failures), even on a
  public page, so that a login, a logout or a revoked token takes effect at once, not after the
  replica's lag.

The mark lives in a context variable set by `PublicReadsMiddleware` for the duration of one
request; code outside a request (tests, tasks) may mark a block with `public_reads()`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"

# Public pages by URL namespace: every view of the namespace, or only the URL names listed. The
# API's namespace mixes public endpoints (the `catalogue` tag and the status lookup) with staff
# ones (items, a request's detail, the request list), so it names its public ones; "feed" is the
# CMS feed, which a website's token reads.
PUBLIC_VIEWS: dict[str, frozenset[str] | None] = {
    "portal": None,
    "public": None,  # /apply/: the request form (its GET), the confirmation and the status lookup
    "api": frozenset(
        {"catalogue", "catalogue_detail", "categories", "units", "request_status", "feed"}
    ),
}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Who is asking: always the primary's answer (see above).
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "authtoken", "axes", "guardian"})
# A replica that cannot be reached is not tried again for this long (per process): meanwhile the
# primary answers the public pages, so an outage of the replica costs capacity, not the portal.
RETRY_SECONDS = 30.0


class _Reads:
    """One request's state, mutable so that a write anywhere in the request unmarks it."""

    __slots__ = ("public",)

    def __init__(self, public: bool):
        self.public = public


_reads: ContextVar[_Reads | None] = ContextVar("replica_reads", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def public_reads() -> Iterator[None]:
    """Mark the block's ORM reads as public ones, which the router may send to the replica."""
    token = _reads.set(_Reads(True))
    try:
        yield
    finally:
        _reads.reset(token)


_replica_down_until = 0.0


def replica_reachable() -> bool:
    """Connects to the replica unless it failed in the last RETRY_SECONDS (a no-op when this
    process already holds a connection, as it does between requests with CONN_MAX_AGE)."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError as error:
        _replica_down_until = time.monotonic() + RETRY_SECONDS
        logger.warning(
            "Read replica unreachable; public pages read the primary for %ss: %s",
            RETRY_SECONDS,
            error,
        )
        return False
    return True


def reading_public() -> bool:
    """Whether reads here may go to the replica (marked public, nothing written yet)."""
    state = _reads.get()
    return state is not None and state.public


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            reading_public()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        state = _reads.get()
        if state is not None:
            # Read your own writes: the replica has not replayed this one yet.
            state.public = False
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from one may refer to the other's.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is read-only and replays the primary's schema.
        return db == DEFAULT_DB_ALIAS


def _is_public_view(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or request.method not in SAFE_METHODS:
        return False
    names = PUBLIC_VIEWS.get(match.namespace, frozenset())
    return names is None or match.url_name in names


def _signed_in(request) -> bool:
    # Without a session cookie nobody is signed in, and looking would cost a query for nothing.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PublicReadsMiddleware:
    """Marks an anonymous visitor's safe request to a public view (`PUBLIC_VIEWS`) for the router.

    The mark is set once the URL is resolved (`process_view`) and removed when the response
    leaves this middleware, so the other middleware's work (sessions, messages) stays unmarked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reads.set(_Reads(False))
        try:
            return self.get_response(request)
        finally:
            _reads.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _reads.get()
        if (
            state is not None
            and replica_configured()
            and _is_public_view(request)
            and not _signed_in(request)
            # Inside a transaction every read is the primary's anyway (ATOMIC_REQUESTS, a test).
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
            and replica_reachable()
        ):
            state.public = True
        return None
