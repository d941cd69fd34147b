"""CSRF protection on every form: each POST route of the site refuses a request without the
token, found by walking the URL configuration so that a new view is covered the day it appears."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from audit.models import AuditEntry

ROOT = Path(settings.BASE_DIR)
# DRF views are csrf_exempt for token clients; SessionAuthentication enforces CSRF for browser
# sessions itself (tested below). Django's admin is reached through its own login.
DRF_PREFIX = "api/"


def routes(resolver=None, prefix=""):
    """(route, callback) for every URL pattern, with sample arguments filled in."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def sample_path(route: str) -> str:
    path = re.sub(r"<int:\w+>", "1", route)
    path = re.sub(r"<(?:str|slug|path):\w+>", "x", path)
    path = re.sub(r"<\w+>", "x", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)  # admin's regex routes
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path


@pytest.mark.django_db
def test_every_post_route_refuses_a_request_without_the_token(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.users.unit_head)
    audit_rows = AuditEntry.objects.count()
    exempt, checked = [], 0
    for route, callback in routes():
        if route.startswith(DRF_PREFIX):
            continue
        if getattr(callback, "csrf_exempt", False):
            exempt.append(route)
            continue
        response = client.post(sample_path(route), {"title": "无令牌"})
        checked += 1
        assert response.status_code == 403, (route, response.status_code)
        assert "表单已过期" in response.content.decode(), route
    assert checked > 50
    # No view of ours opts out of the check.
    assert exempt == [], exempt
    assert AuditEntry.objects.count() == audit_rows


@pytest.mark.django_db
def test_the_login_form_needs_the_token_too(org):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "drafter", "password": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_api_enforces_csrf_for_browser_sessions_but_not_for_tokens(org):
    # A browser session is checked before anything else, so even a read-only endpoint refuses a
    # POST without the token with 403, not 405: any write endpoint added later inherits this.
    session = Client(enforce_csrf_checks=True)
    session.force_login(org.users.officer)
    assert session.get("/api/v1/items/").status_code == 200
    response = session.post("/api/v1/items/", {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]

    # An integration's token is not a cookie a third-party page could ride on: no CSRF check.
    token = Token.objects.create(user=org.users.officer)
    tokened = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert tokened.post("/api/v1/items/", {}, content_type="application/json").status_code == 405


@pytest.mark.django_db
def test_the_only_api_write_without_credentials_is_the_public_request_submission(client):
    # Like the public web form it is anonymous, so there is no session to forge; it is throttled
    # per address instead (tests/api).
    writes = []
    for route, callback in routes():
        view = getattr(callback, "cls", None)
        if not route.startswith(DRF_PREFIX) or view is None:
            continue
        methods = {m for m in view.http_method_names if hasattr(view, m)} - {
            "get",
            "head",
            "options",
        }
        if methods - {"trace"}:
            writes.append(route)
    assert writes == ["api/v1/requests/"], writes


def test_every_form_that_posts_carries_the_token():
    missing = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        for form in re.finditer(r"<form\b[^>]*>(.*?)</form>", text, flags=re.S | re.I):
            if re.search(r'method\s*=\s*"?post', form.group(0), flags=re.I) and (
                "{% csrf_token %}" not in form.group(1)
            ):
                missing.append(f"{template.relative_to(ROOT)}: {form.group(0)[:80]}")
    assert not missing, "\n".join(missing)
