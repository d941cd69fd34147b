"""The pages security answers with speak Chinese too: lockout, expired form, server error, password
change."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.views.defaults import bad_request, permission_denied, server_error

from tests.chinese import english_in_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user(
        "wangwu", password="Zhengwu-2026!", last_name="王五"
    )


def test_lockout_page(user, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"username": "wangwu", "password": "x"})
    assert response.status_code == 429
    assert english_in_html(response.content.decode()) == []


def test_expired_form_page(user):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {})
    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()
    assert english_in_html(response.content.decode()) == []


def test_error_pages_render_without_a_request_context_or_database():
    # A 500 may come from the database itself: the page must not need it.
    request = RequestFactory().get("/")
    for view, status, args in (
        (server_error, 500, ()),
        (bad_request, 400, (Exception(),)),
        (permission_denied, 403, (Exception(),)),
    ):
        response = view(request, *args)
        assert response.status_code == status
        page = response.content.decode()
        assert english_in_html(page) == [], status
        assert "政府信息公开" in page


def test_password_change_page(user):
    client = Client()
    client.force_login(user)
    response = client.get("/accounts/password/")
    assert response.status_code == 200
    assert english_in_html(response.content.decode()) == []
