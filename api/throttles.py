"""Throttles. Rates are in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (env-overridable);
the counters live in the Django cache, which production points at Redis so that all gunicorn
workers share them. Anonymous callers are counted per IP address (security.client_ip, TRUSTED_PROXY_COUNT), authenticated
ones per user. DRF checks permissions first, so an anonymous call to a staff endpoint gets its 401
without touching a budget.

When the shared cache is unreachable (Redis down or restarting), the API neither answers 500 nor
stops limiting: the counters move to this process's memory until Redis answers again
(security.counters.FailoverCache), with one warning in the log per outage.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from rest_framework import throttling
from rest_framework.settings import api_settings

from security.client_ip import client_ip
from security.counters import FailoverCache

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
