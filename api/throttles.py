"""Throttles. Rates are in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (env-overridable);
the counters live in the Django cache, which production points at Redis so that all gunicorn
workers share them. Anonymous callers are counted per IP address (security.client_ip, TRUSTED_PROXY_COUNT), authenticated
ones per user. DRF checks permissions first, so an anonymous call to a staff endpoint gets its 401
without touching a budget.

When the shared cache is unreachable (Redis down or restarting), the API neither answers 500 nor
stops limiting: the counters move to this process's memory until Redis answers again (see
FailoverCache), with one warning in the log per outage.
"""

import logging
import time

from django.core.cache import cache as shared_cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from rest_framework import throttling
from rest_framework.settings import api_settings

from security.client_ip import client_ip

log = logging.getLogger(__name__)


class FailoverCache:
    """The throttle counters: the shared cache, or this process's memory while it is away.

    Answering 503 would take the public catalogue and the request form down with Redis, though
    neither needs it; ignoring the limits would open the request registry to flooding exactly
    when the system is weakest. Counting per process keeps a limit (each gunicorn worker allows
    the full rate: a looser limit for a while, not none) and keeps answering. After a failure the
    shared cache is left alone for `retry_seconds`, so a Redis that hangs rather than refuses costs
    one timeout per process and pause, not one per call."""

    def __init__(self, shared=shared_cache, *, retry_seconds: float = 30.0, clock=time.monotonic):
        self.shared, self.retry_seconds, self.clock = shared, retry_seconds, clock
        self.local = LocMemCache("api-throttles-failover", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self.away_until: float | None = None

    def reset(self) -> None:
        self.away_until = None
        self.local.clear()

    def _call(self, method: str, *args):
        if self.away_until is None or self.clock() >= self.away_until:
            try:
                result = getattr(self.shared, method)(*args)
            except Exception as exc:  # noqa: BLE001 - whatever the backend raises when it is away
                if self.away_until is None:
                    log.warning(
                        "API throttles: the shared cache is unreachable (%s: %s); counting in "
                        "this process until it answers again",
                        type(exc).__name__,
                        exc,
                    )
                self.away_until = self.clock() + self.retry_seconds
            else:
                if self.away_until is not None:
                    log.info("API throttles: the shared cache answers again")
                    self.away_until = None
                return result
        return getattr(self.local, method)(*args)

    def get(self, key, default=None):
        return self._call("get", key, default)

    def set(self, key, value, timeout=None):
        return self._call("set", key, value, timeout)


counters = FailoverCache()


@receiver(setting_changed)
def _caches_changed(*, setting, **kwargs):
    # Another cache configuration (tests, a reload): what was learnt about the old one is void.
    if setting == "CACHES":
        counters.reset()


class _LiveRate:
    cache = counters  # every throttle counts through the failover, not the bare shared cache

    def get_rate(self):
        # DRF copies the rates into a class attribute once, at import; reading them per request
        # lets overridden settings (tests, a different deployment) take effect.
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as exc:
            raise ImproperlyConfigured(f"No throttle rate for scope {self.scope!r}.") from exc

    def get_ident(self, request):
        # The one reading of the client's address behind TRUSTED_PROXY_COUNT proxies, shared with
        # login throttling (django-axes), rather than DRF's copy of the same rule.
        return client_ip(request)


class AnonThrottle(_LiveRate, throttling.AnonRateThrottle):
    pass


class UserThrottle(_LiveRate, throttling.UserRateThrottle):
    pass


class ScopedThrottle(_LiveRate, throttling.ScopedRateThrottle):
    """The view's own `throttle_scope` (request_submit, request_status)."""


# The public endpoints take no credentials: only the anonymous budget (and a scope) applies.
PUBLIC = [AnonThrottle]
PUBLIC_SCOPED = [AnonThrottle, ScopedThrottle]
AUTHENTICATED = [UserThrottle]
