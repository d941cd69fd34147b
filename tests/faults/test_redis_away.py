"""Redis goes away: both its jobs, the Celery broker and (in production) the cache that holds the
API's throttle counters, point at a port where nothing listens. The web keeps working: logging in,
pages, submitting an item, the public request form, the API; the task notices wait in the outbox
(their later delivery is tests/notifications/test_worker.py); the API still limits submissions.

Transactional, so that the publish-after-commit really runs inside each request.
"""

import contextlib
import logging
import runpy
import socket
import threading

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from config.embedded_redis import free_port
from notifications.models import OutboxMessage
from security.counters import FailoverCache
from tests.applicants import captcha_code
from tests.notifications.conftest import celery_broker
from workflow.models import DisclosureRequest, Item

pytestmark = pytest.mark.django_db(transaction=True)

NOTICE = "notifications.tasks.notify_task_available"
APPLICANT = {
    "applicant_name": "王小明",
    "id_number": "110101199003071233",
    "phone": "13912345678",
    "email": "wang@example.com",
    "description": "2026年第三季度城乡低保资金发放明细",
}


def production_caches(monkeypatch, location: str) -> dict:
    """CACHES as config/settings/production.py builds them, with the cache at `location`."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "fault-test-" * 5)
    monkeypatch.setenv("DATABASE_URL", "postgres://nobody@127.0.0.1:1/unused")
    monkeypatch.setenv("REDIS_CACHE_URL", location)
    return runpy.run_module("config.settings.production")["CACHES"]


@pytest.fixture
def redis_away(settings, monkeypatch):
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = production_caches(monkeypatch, nowhere)
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    with celery_broker(nowhere):
        yield nowhere


def _submit_rate(settings, rate: str) -> None:
    framework = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = {
        **framework,
        "DEFAULT_THROTTLE_RATES": {**framework["DEFAULT_THROTTLE_RATES"], "request_submit": rate},
    }


def test_the_web_and_the_api_keep_working_with_redis_away(
    org, make_item, redis_away, settings, caplog
):
    caplog.set_level(logging.WARNING)

    staff = Client()
    login = staff.post(reverse("login"), {"username": "drafter", "password": "Secret-pass-123"})
    assert login.status_code == 302, login.content.decode()[:300]
    assert staff.get(reverse("workflow:inbox")).status_code == 200
    item = make_item()
    assert staff.get(reverse("workflow:item_detail", args=[item.pk])).status_code == 200
    assert staff.post(reverse("workflow:item_submit", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.IN_REVIEW

    public = Client()
    assert public.get(reverse("portal:catalogue")).status_code == 200
    applied = public.post(
        reverse("public:apply"),
        {
            **APPLICANT,
            "unit": org.civil.pk,
            "applicant_kind": "natural_person",
            "delivery_form": "electronic",
            "delivery_method": "email",
            # The CAPTCHA lives in the session (the database): it works with Redis away too.
            "captcha": captcha_code(public),
        },
    )
    assert applied.status_code == 302 and applied.url == reverse("public:applied")

    api = APIClient()
    assert api.get("/api/v1/catalogue/").status_code == 200
    _submit_rate(settings, "2/hour")
    answers = [
        api.post("/api/v1/requests/", {**APPLICANT, "unit": org.civil.pk}, format="json")
        for _ in range(3)
    ]
    # Still limited, though the counters could not reach Redis.
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert DisclosureRequest.objects.count() == 3

    # Every task that reached someone has its notice waiting in the outbox, none went missing.
    open_tasks = set(
        Task.objects.filter(flow_task_type="HUMAN", status=STATUS.NEW).values_list("pk", flat=True)
    )
    waiting = OutboxMessage.objects.filter(task_name=NOTICE, sent_at__isnull=True)
    assert len(open_tasks) == 4  # the item's review, three requests' checks
    assert {m.args[0] for m in waiting} == open_tasks
    # The API's throttles and the portal's limits each say it once, and go on counting locally.
    throttle_warnings = [r for r in caplog.records if r.name == "security.counters"]
    assert len(throttle_warnings) == 2
    assert all("unreachable" in warning.getMessage() for warning in throttle_warnings)


@pytest.mark.django_db
def test_a_redis_that_hangs_holds_no_api_call_for_long(org, settings, monkeypatch):
    """Redis accepts connections but never answers (a hung server, a half-open firewall): the
    production timeouts give up on it, the throttles count in the process, and the next call
    does not try Redis again."""
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(16)  # the kernel completes the handshakes; nothing ever reads or answers
    hung.setblocking(False)
    try:
        port = hung.getsockname()[1]
        settings.CACHES = production_caches(monkeypatch, f"redis://127.0.0.1:{port}/0")
        api = APIClient()

        def call() -> int:
            answers = []
            caller = threading.Thread(
                target=lambda: answers.append(api.get("/api/v1/catalogue/").status_code),
                daemon=True,
            )
            caller.start()
            caller.join(30)
            assert not caller.is_alive(), "an API call is stuck on the hung Redis"
            return answers[0]

        def connections_made() -> int:
            made = 0
            with contextlib.suppress(BlockingIOError):
                while True:
                    hung.accept()[0].close()
                    made += 1
            return made

        assert call() == 200
        assert connections_made() >= 1
        assert call() == 200
        assert connections_made() == 0  # the second call counted in the process at once
    finally:
        hung.close()


class FlakyCache:
    """A shared cache that can be switched off, counting the calls that reach it."""

    def __init__(self):
        self.up, self.calls, self.data = False, 0, {}

    def get(self, key, default=None):
        self.calls += 1
        if not self.up:
            raise ConnectionError("Redis is away")
        return self.data.get(key, default)

    def set(self, key, value, timeout=None):
        self.calls += 1
        if not self.up:
            raise ConnectionError("Redis is away")
        self.data[key] = value


def test_the_counters_fall_back_to_the_process_and_return_to_redis():
    shared, now = FlakyCache(), [1000.0]
    counters = FailoverCache(shared, retry_seconds=30, clock=lambda: now[0])
    counters.reset()

    counters.set("throttle_anon_1.2.3.4", [1.0], 60)
    assert counters.get("throttle_anon_1.2.3.4") == [1.0]  # counted in the process
    assert shared.calls == 1  # and Redis left alone during the pause

    shared.up = True
    now[0] += 31
    counters.set("throttle_anon_1.2.3.4", [2.0, 1.0], 60)
    assert shared.data == {"throttle_anon_1.2.3.4": [2.0, 1.0]}
    assert counters.get("throttle_anon_1.2.3.4") == [2.0, 1.0]
