"""Whether the viewer may open a disclosure request, for pages that name another request."""

from django import template

from review.permissions import requests_visible_to

register = template.Library()


@register.filter
def request_openable_by(request_id, user) -> bool:
    """A tracking code is the applicant's key to the public status page: a page names another
    request by it only to someone who may open that request (one query)."""
    if not request_id or user is None or not user.is_authenticated:
        return False
    return requests_visible_to(user).filter(pk=request_id).exists()
