"""Absolute links in API answers, so a CMS or an app can follow them as they are."""

from django.urls import reverse


def absolute(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))
