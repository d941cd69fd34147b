"""Counters that limit what one client (or everyone at once) may cost, kept where every process
sees them: the Django cache, which production points at Redis. Used by the API's throttles
(api.throttles) and the public portal's limits (security.limits).
"""

import logging
import time

from django.core.cache import cache as shared_cache
from django.core.cache.backends.locmem import LocMemCache

log = logging.getLogger(__name__)


class FailoverCache:
    """Counters of limits: the shared cache, or this process's memory while it is away.

    Answering 503 would take the public catalogue and the request form down with Redis, though
    neither needs it; ignoring the limits would open the request registry to flooding exactly
    when the system is weakest. Counting per process keeps a limit (each gunicorn worker allows
    the full rate: a looser limit for a while, not none) and keeps answering. After a failure the
    shared cache is left alone for `retry_seconds`, so a Redis that hangs rather than refuses costs
    one timeout per process and pause, not one per call."""

    def __init__(self, shared=shared_cache, *, retry_seconds: float = 30.0, clock=time.monotonic):
        self.shared, self.retry_seconds, self.clock = shared, retry_seconds, clock
        self.local = LocMemCache("limits-failover", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self.away_until: float | None = None

    def reset(self) -> None:
        self.away_until = None
        self.local.clear()

    def _call(self, method: str, *args):
        if self.away_until is None or self.clock() >= self.away_until:
            try:
                result = getattr(self.shared, method)(*args)
            except ValueError:
                raise  # incr of a key that is gone: an answer, not an outage
            except Exception as exc:  # noqa: BLE001 - whatever the backend raises when it is away
                if self.away_until is None:
                    log.warning(
                        "limits: the shared cache is unreachable (%s: %s); counting in this "
                        "process until it answers again",
                        type(exc).__name__,
                        exc,
                    )
                self.away_until = self.clock() + self.retry_seconds
            else:
                if self.away_until is not None:
                    log.info("limits: the shared cache answers again")
                    self.away_until = None
                return result
        return getattr(self.local, method)(*args)

    def get(self, key, default=None):
        return self._call("get", key, default)

    def set(self, key, value, timeout=None):
        return self._call("set", key, value, timeout)

    def add(self, key, value, timeout=None):
        return self._call("add", key, value, timeout)

    def incr(self, key, delta=1):
        return self._call("incr", key, delta)

    def delete(self, key):
        return self._call("delete", key)
