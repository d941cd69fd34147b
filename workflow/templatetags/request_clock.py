"""The request clock's warnings, for every page that shows a request's facts."""

from django import template

from ..services.request_clock import receipt_confirmation_warning

register = template.Library()


@register.filter
def receipt_warning(req) -> str:
    """Art. 31: receipt confirmed later than it was due (an ordinary letter on the day it
    arrived), or ""."""
    return receipt_confirmation_warning(req)
