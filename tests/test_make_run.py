"""`make run` tried as a new user would: it comes up on the embedded default (SQLite, a Redis it
starts itself), the login page answers, and every demo user it prints can log in."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

BASE_DIR = Path(settings.BASE_DIR)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _new_user_env(tmp_path, port):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        PORT=str(port),
        SQLITE_PATH=str(tmp_path / "demo.sqlite3"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
    )
    return env


def _log_in(base_url, username, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base_url + "accounts/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        base_url + "accounts/login/", data=data, headers={"Referer": base_url + "accounts/login/"}
    )
    response = opener.open(request, timeout=10)  # follows the redirect to the inbox
    return response.geturl(), response.read().decode()


def test_make_run_comes_up_and_the_printed_demo_users_can_log_in(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        ["make", "run"],
        cwd=BASE_DIR,
        env=_new_user_env(tmp_path, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("Ready: "):
                break
        output = "".join(lines)
        assert any(x.startswith("Ready: ") for x in lines), output[-3000:]
        base_url = lines[-1].split("Ready: ", 1)[1].strip()
        assert base_url == f"http://127.0.0.1:{port}/"

        password = re.search(r"password \(all users\): (\S+)", output).group(1)
        usernames = re.findall(r"^  ([a-z_]+)\s{2,}", output, re.M)
        assert {
            "drafter",
            "reviewer",
            "section_head",
            "unit_head",
            "district_approver",
            "supervisor",
            "secrecy_reviewer",
        } <= set(usernames)

        login_page = urllib.request.urlopen(base_url + "accounts/login/", timeout=10)  # noqa: S310 - loopback
        assert login_page.status == 200
        assert "政府信息公开工作平台" in login_page.read().decode()

        for username in usernames:
            url, inbox = _log_in(base_url, username, password)
            assert url.rstrip("/") == base_url.rstrip("/"), (username, url)
            assert "退出登录" in inbox, username
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
