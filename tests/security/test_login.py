"""Login throttling (django-axes), password strength and the password change, through the real
login form."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry

PASSWORD = "Zhengwu-2026!"
LOGIN = "/accounts/login/"


@pytest.fixture
def account(db):
    user = get_user_model().objects.create_user("zhangsan", password=PASSWORD)
    return user


def attempt(client, password, username="zhangsan", address="10.1.2.3"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_from_that_address(account, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "wrong")
        assert response.status_code == 200
        assert "请输入一个正确的" in response.content.decode()
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录失败次数过多" in page and "15" in page

    # Even the right password is refused now, and no session is made.
    assert attempt(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session

    # A colleague behind the same address, and the same user elsewhere, are not locked out.
    get_user_model().objects.create_user("lisi", password=PASSWORD)
    assert attempt(Client(), PASSWORD, username="lisi").status_code == 302
    assert attempt(Client(), PASSWORD, address="10.9.9.9").status_code == 302


def test_the_lock_lifts_after_the_cool_off(account, settings):
    client = Client()
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, "wrong")
        assert attempt(client, PASSWORD).status_code == 429
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 16, tzinfo=dt.UTC), tick=False):
        assert attempt(client, PASSWORD).status_code == 302


def test_a_success_resets_the_count(account, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200


def test_the_admin_login_is_throttled_as_well(account, settings):
    account.is_staff = True
    account.save()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/", {"username": "zhangsan", "password": "wrong"}, REMOTE_ADDR="10.1.2.3"
        )
    response = client.post(
        "/admin/login/", {"username": "zhangsan", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(account, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "zhangsan", "password": "wrong"},
            REMOTE_ADDR="172.18.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR="10.1.2.3",
        )
    # Another client behind the same proxy is not locked out...
    other = Client().post(
        LOGIN,
        {"username": "zhangsan", "password": PASSWORD},
        REMOTE_ADDR="172.18.0.2",
        HTTP_X_FORWARDED_FOR="10.4.4.4",
    )
    assert other.status_code == 302
    # ...and a spoofed header left of the proxy's entry does not free the locked one.
    spoofed = Client().post(
        LOGIN,
        {"username": "zhangsan", "password": PASSWORD},
        REMOTE_ADDR="172.18.0.2",
        HTTP_X_FORWARDED_FOR="1.1.1.1, 10.1.2.3",
    )
    assert spoofed.status_code == 429


@pytest.mark.parametrize(
    "weak",
    [
        "short1!",  # too short
        "zhangsan2026!",  # like the user name
        "abcdefghijkl",  # one kind of character
        "abcdefgh1234",  # two kinds
        "1234567890123",  # numeric
        "qwertyuiop",  # common
    ],
)
def test_weak_passwords_are_refused_in_chinese(weak, account):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password(weak, user=account)
    message = " ".join(refused.value.messages)
    assert any("\u4e00" <= c <= "\u9fff" for c in message), message


def test_strong_passwords_pass(account):
    validate_password("Gongkai#Banli2026", user=account)
    validate_password("minzheng-ju-9-hao", user=account)  # lower, digit, other


def test_changing_the_password_checks_strength_and_is_audited(account):
    client = Client()
    client.force_login(account)
    url = reverse("password_change")
    page = client.get(url).content.decode()
    assert "修改密码" in page and 'name="new_password1"' in page
    response = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert response.status_code == 200 and "密码" in response.content.decode()
    assert not AuditEntry.objects.filter(action="accounts.password.changed").exists()

    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Gongkai#Banli2026",
            "new_password2": "Gongkai#Banli2026",
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.check_password("Gongkai#Banli2026")
    entry = AuditEntry.objects.get(action="accounts.password.changed")
    assert entry.actor == account and entry.subject_id == str(account.pk)
    # The password itself is nowhere in the audit row.
    assert "Gongkai" not in str(entry.data) + entry.comment
