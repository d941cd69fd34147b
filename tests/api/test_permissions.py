"""Items, requests and the feed for authenticated users: the workbench's object permissions, with
three users (the owner, a colleague with a grant, an outsider) and anonymous callers."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

STAFF_URLS = ("/api/v1/items/", "/api/v1/requests/", "/api/v1/feed/")


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("url", [*STAFF_URLS, "/api/v1/items/1/", "/api/v1/requests/1/"])
def test_anonymous_callers_get_401_with_a_token_challenge(api, url):
    response = api.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "身份认证信息未提供。"}


def test_a_wrong_token_is_401(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get("/api/v1/items/")
    assert response.status_code == 401 and response.json()["detail"]


def test_items_follow_the_workbench_permissions(org, make_item, token_client):
    draft = make_item(title="民政局草稿")
    body = draft.body
    owner, colleague, outsider = (
        token_client(u) for u in (org.users.drafter, org.users.reviewer, org.users.outsider)
    )

    for client in (owner, colleague):
        rows = client.get("/api/v1/items/").json()["results"]
        assert [r["body"] for r in rows if r["id"] == draft.pk] == [body]
        detail = client.get(f"/api/v1/items/{draft.pk}/")
        assert detail.status_code == 200
        assert detail.json()["body"] == body  # the original: the user reads it in the workbench
        assert detail.json()["status"] == "draft" and detail.json()["status_label"] == "草稿"

    assert draft.pk not in _ids(outsider.get("/api/v1/items/"))
    hidden = outsider.get(f"/api/v1/items/{draft.pk}/")
    missing = outsider.get("/api/v1/items/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()  # "not yours" reads exactly like "missing"


def test_requests_follow_the_workbench_permissions(org, registered, token_client):
    owner, colleague, outsider = (
        token_client(u)
        for u in (org.users.officer, org.users.disclosure_head, org.users.outsider_officer)
    )
    for client in (owner, colleague):
        assert _ids(client.get("/api/v1/requests/")) == {registered.pk}
        detail = client.get(f"/api/v1/requests/{registered.pk}/").json()
        assert detail["tracking_code"] == registered.tracking_code
        assert detail["applicant_name"] == "张三"
        assert detail["receiving_unit"]["name"] == "民政局"

    assert _ids(outsider.get("/api/v1/requests/")) == set()
    assert outsider.get(f"/api/v1/requests/{registered.pk}/").status_code == 404


def test_session_authentication_works_too(org, make_item, api):
    draft = make_item()
    api.force_login(org.users.drafter)
    assert api.get(f"/api/v1/items/{draft.pk}/").status_code == 200


def test_api_token_command_prints_one_token_per_user(org, capsys):
    call_command("api_token", "drafter")
    first = capsys.readouterr().out.strip()
    assert first == Token.objects.get(user=org.users.drafter).key
    call_command("api_token", "drafter")
    assert capsys.readouterr().out.strip() == first
    call_command("api_token", "drafter", "--rotate")
    rotated = capsys.readouterr().out.strip()
    assert rotated != first and Token.objects.filter(user=org.users.drafter).count() == 1
    with pytest.raises(CommandError):
        call_command("api_token", "nobody")


def test_a_token_from_the_command_authenticates(org, make_item, api, capsys):
    draft = make_item()
    call_command("api_token", "drafter")
    api.credentials(HTTP_AUTHORIZATION=f"Token {capsys.readouterr().out.strip()}")
    assert draft.pk in _ids(api.get("/api/v1/items/"))
