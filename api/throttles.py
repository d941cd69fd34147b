"""Throttles. Rates are in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (env-overridable);
the counters live in the Django cache, which production points at Redis so that all gunicorn
workers share them. Anonymous callers are counted per IP address (see NUM_PROXIES), authenticated
ones per user. DRF checks permissions first, so an anonymous call to a staff endpoint gets its 401
without touching a budget.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling
from rest_framework.settings import api_settings


class _LiveRate:
    def get_rate(self):
        # DRF copies the rates into a class attribute once, at import; reading them per request
        # lets overridden settings (tests, a different deployment) take effect.
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as exc:
            raise ImproperlyConfigured(f"No throttle rate for scope {self.scope!r}.") from exc


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
