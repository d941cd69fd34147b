"""Security headers, cookie flags and `manage.py check --deploy` with the production settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

PAGES = ["/open/", "/catalogue/", "/accounts/login/", "/apply/", "/guide/"]


def directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(client, org):
    client.force_login(org.users.unit_head)
    for url in [*PAGES, "/", "/items/", "/requests/", "/approvals/", "/admin/"]:
        response = client.get(url, follow=True)
        policy = directives(response.headers["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'self'"]
        assert not any("unsafe" in s for sources in policy.values() for s in sources), url


def test_our_templates_have_no_inline_script_or_style():
    # The policy forbids them, so one would silently stop working: keep them out at the source.
    root = Path(settings.BASE_DIR)
    offenders = []
    for template in root.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son\w+\s*=", text):
            offenders.append(str(template.relative_to(root)))
        if re.search(r"<style\b|\sstyle\s*=", text):
            offenders.append(str(template.relative_to(root)))
    assert not offenders, offenders


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/open/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_httponly_samesite_and_short_lived(org):
    client = Client()
    client.get("/accounts/login/")
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    org.users.drafter.set_password("Zhengwu-2026!")
    org.users.drafter.save()
    client.post("/accounts/login/", {"username": "drafter", "password": "Zhengwu-2026!"})
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    # Ends with the browser, and after a working day without use on the server side.
    assert session["max-age"] == "" and settings.SESSION_COOKIE_AGE <= 8 * 3600


@pytest.mark.django_db
@override_settings(
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_with_the_production_switches_http_is_redirected_and_https_is_pinned():
    client = Client()
    plain = client.get("/open/")
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
    secure = client.get("/open/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    secure = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert client.cookies[settings.CSRF_COOKIE_NAME]["secure"]


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "gongkai.example.gov.cn",
        # check --deploy does not connect; any URL of the right shape will do.
        "DATABASE_URL": "postgres://disclosure@127.0.0.1:5432/disclosure",
        "MEDIA_ROOT": str(tmp_path),
    }
    # Set for the browser tests in this same process; production must never have it.
    for name in ("DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
