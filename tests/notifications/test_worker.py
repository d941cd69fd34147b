"""Delivery through a real Celery worker against a real Redis, on PostgreSQL (the worker is a
separate process, so it needs a database both can see and committed data: transactional tests).

What is counted is what the worker really sent: the recording channel appends one JSON line per
send, naming each notification it carried.
"""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from config.embedded_redis import free_port, start_embedded_redis, stop_embedded_redis
from notifications.models import DeadlineAlert, Delivery, Notification, OutboxMessage
from notifications.services import notify

from .conftest import celery_broker

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]
D = dt.date
BASE_DIR = Path(django_settings.BASE_DIR)


def wait_for(predicate, timeout=45.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Worker:
    """`celery worker` in its own process group, so a kill takes the pool children with it."""

    def __init__(self, env: dict, log: Path, concurrency: int = 2):
        self.env, self.log, self.concurrency = env, log, concurrency
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Worker":
        out = open(self.log, "ab")  # noqa: SIM115 - handed to the child
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config.celery_app",
                "worker",
                "-l",
                "info",
                "-c",
                str(self.concurrency),
                "-P",
                "prefork",
                "-n",
                f"test-{uuid.uuid4().hex[:8]}@%h",
                "-Q",
                self.env["CELERY_TASK_DEFAULT_QUEUE"],
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
            ],  # fmt: skip
            cwd=BASE_DIR,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()
        wait_for(lambda: b"ready." in self.log.read_bytes(), 60, "the worker to be ready")
        return self

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def harness(tmp_path, settings, channels_setting):
    """A unique queue, the recording channel on both sides, and a way to start workers."""
    queue = f"test-{uuid.uuid4().hex[:10]}"
    record = tmp_path / "sent.jsonl"
    record.touch()
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    settings.NOTIFICATION_DEFAULT_MODES = {"record": "immediate"}
    channels_setting({"record": "tests.notifications.recording.RecordingChannel"})
    os.environ["RECORDING_CHANNEL_PATH"] = str(record)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "NOTIFICATION_CHANNELS": "record=tests.notifications.recording.RecordingChannel",
        "NOTIFICATION_DEFAULT_MODES": "record=immediate",
        "RECORDING_CHANNEL_PATH": str(record),
        "NOTIFICATION_RETRY_BASE_SECONDS": "1",
        "OUTBOX_FLUSH_MIN_AGE_SECONDS": "0",
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "TEST_MEDIA_ROOT": str(tmp_path / "media"),
    }
    workers: list[Worker] = []

    class Harness:
        def worker(self, broker: str, concurrency: int = 2, **extra) -> Worker:
            log = tmp_path / f"worker-{len(workers)}.log"
            worker = Worker({**env, "CELERY_BROKER_URL": broker, **extra}, log, concurrency)
            workers.append(worker)
            return worker.start()

        def sent(self) -> list[dict]:
            return [json.loads(line) for line in record.read_text().splitlines() if line]

        def refs(self) -> Counter:
            return Counter(ref for line in self.sent() for ref in line["refs"])

        def send(self, name: str, *args):
            from config.celery_app import app

            app.send_task(name, args=list(args), queue=queue)

    yield Harness()
    for worker in workers:
        worker.stop()
    os.environ.pop("RECORDING_CHANNEL_PATH", None)
    os.environ.pop("RECORDING_CHANNEL_STALL", None)


def sent_once(harness) -> None:
    """Every delivery marked sent went out exactly once, and nothing else went out."""
    refs = harness.refs()
    sent = {
        f"notification-{pk}"
        for pk in Delivery.objects.filter(status="sent").values_list("notification_id", flat=True)
    }
    assert set(refs) == sent
    assert all(count == 1 for count in refs.values()), refs.most_common(3)


def notes_to(username: str, verb: str) -> int:
    return Notification.objects.filter(recipient__username=username, verb=verb).count()


def drain(harness, expected_sent: int) -> None:
    wait_for(
        lambda: (
            Delivery.objects.filter(status="sent").count() >= expected_sent
            and not Delivery.objects.filter(status="pending").exists()
        ),
        what=f"{expected_sent} deliveries to be sent",
    )
    time.sleep(1.0)  # room for a duplicate to show up, if there were one


def test_reminders_and_each_escalation_rung_through_a_real_worker(org, req, harness):
    with celery_broker(django_settings.REDIS_URL):
        request = req.register(received=D(2026, 9, 30))
        req.to_drafting(request, today=D(2026, 10, 9))
        harness.worker(django_settings.REDIS_URL)
        expected = {
            "2026-10-27": ("reminder", {"drafter"}),
            "2026-10-29": ("reminder", {"drafter"}),
            "2026-11-02": ("reminder", {"drafter"}),
            "2026-11-03": ("reminder", {"drafter"}),
            "2026-11-04": ("escalation", {"drafter"}),
            "2026-11-06": ("escalation", {"drafter", "section_head"}),
            "2026-11-10": ("escalation", {"drafter", "unit_head"}),
            "2026-11-12": ("escalation", {"drafter", "district_approver", "supervisor"}),
        }
        total = Delivery.objects.count()
        for day, (verb, people) in expected.items():
            before = Notification.objects.filter(verb=verb).count()
            harness.send("notifications.tasks.sweep_deadlines", day)
            wait_for(
                lambda before=before, people=people, verb=verb: (
                    Notification.objects.filter(verb=verb).count() == before + len(people)
                ),
                what=f"the sweep of {day}",
            )
            total += len(people)
        drain(harness, total)
    assert DeadlineAlert.objects.filter(request=request).count() == 8
    assert notes_to("drafter", "reminder") == 4 and notes_to("drafter", "escalation") == 4
    assert notes_to("supervisor", "escalation") == 1
    sent_once(harness)


def test_no_duplicates_under_double_delivery_and_concurrent_sweeps(org, req, harness):
    with celery_broker(django_settings.REDIS_URL):
        request = req.register(received=D(2026, 9, 30))
        req.to_drafting(request, today=D(2026, 10, 9))
        harness.worker(django_settings.REDIS_URL, concurrency=4)
        # Two beat instances fire the same sweep; each message is also delivered twice.
        for _ in range(2):
            harness.send("notifications.tasks.sweep_deadlines", "2026-11-12")
            harness.send("notifications.tasks.sweep_deadlines", "2026-11-12")
        wait_for(lambda: notes_to("supervisor", "escalation") == 1, what="the sweeps")
        note = notify(recipient_ids=[org.users.reviewer.pk], verb="reminder", params={"days": 1})[0]
        delivery = note.deliveries.get()
        for _ in range(3):  # the same message redelivered
            harness.send("notifications.tasks.deliver", delivery.pk)
        drain(harness, Delivery.objects.count())
    assert DeadlineAlert.objects.filter(request=request).count() == 4
    assert notes_to("drafter", "escalation") == 4
    sent_once(harness)


def test_a_worker_killed_mid_send_sends_once_after_restart(org, harness, tmp_path):
    stall = tmp_path / "stalled"
    with celery_broker(django_settings.REDIS_URL):
        first = harness.worker(
            django_settings.REDIS_URL, concurrency=1, RECORDING_CHANNEL_STALL=str(stall)
        )
        note = notify(recipient_ids=[org.users.reviewer.pk], verb="reminder", params={"days": 0})[0]
        wait_for(stall.exists, what="the send to start")
        first.kill()
        delivery = note.deliveries.get()
        delivery.refresh_from_db()
        assert delivery.status == "pending" and harness.sent() == []
        # The restarted worker gets the unacknowledged message back (acks_late) and sends it.
        harness.worker(django_settings.REDIS_URL, concurrency=1, RECORDING_CHANNEL_STALL=str(stall))
        wait_for(
            lambda: Delivery.objects.get(pk=delivery.pk).status == "sent", 60, "the redelivery"
        )
        time.sleep(4)  # past the visibility timeout: a second redelivery would show now
    assert harness.refs() == Counter({f"notification-{note.pk}": 1})


def test_redis_down_from_submit_to_eventual_delivery(org, make_item, client, harness, tmp_path):
    port = free_port()
    redis_proc, broker = start_embedded_redis(tmp_path / "redis", port)
    try:
        with celery_broker(broker):
            item = make_item()
            stop_embedded_redis(redis_proc)  # the broker goes away

            client.force_login(org.users.drafter)
            started = time.monotonic()
            response = client.post(f"/items/{item.pk}/submit/")
            assert response.status_code == 302
            assert time.monotonic() - started < 10
            item.refresh_from_db()
            assert item.status == "in_review"
            client.force_login(org.users.officer)
            response = client.post(
                "/requests/new/",
                {
                    "channel": "in_person",
                    "submitted_on": "2026-11-20",
                    "applicant_kind": "natural_person",
                    "applicant_name": "李四",
                    "id_number": "110101199003077774",
                    "phone": "13800000001",
                    "description": "2026年城乡低保资金发放明细",
                    "delivery_form": "electronic",
                    "delivery_method": "email",
                    "receiving_unit": org.civil.pk,
                },
            )
            assert response.status_code == 302
            waiting = OutboxMessage.objects.filter(sent_at__isnull=True)
            assert waiting.filter(task_name="notifications.tasks.notify_task_available").exists()
            assert not Notification.objects.exists()

            # Redis returns; beat's next flush sends what waited.
            redis_proc, broker = start_embedded_redis(tmp_path / "redis", port)
            harness.worker(broker)
            harness.send("notifications.tasks.flush_outbox")
            wait_for(
                lambda: not OutboxMessage.objects.filter(sent_at__isnull=True).exists(),
                what="the outbox to empty",
            )
            wait_for(
                lambda: Delivery.objects.filter(
                    notification__recipient__username="reviewer", status="sent"
                ).exists(),
                what="the reviewer's notice",
            )
            drain(harness, Delivery.objects.count())
    finally:
        stop_embedded_redis(redis_proc)
    review_notes = Notification.objects.filter(recipient=org.users.reviewer, verb="task_available")
    assert review_notes.count() == 1
    assert review_notes.get().params["subject"] == item.title
    sent_once(harness)


def test_preferences_and_the_daily_digest_through_a_real_worker(org, harness):
    from notifications.models import Digest
    from notifications.services import preferences_set

    u = org.users
    preferences_set(user=u.section_head, modes={"record": "digest"})
    preferences_set(user=u.unit_head, modes={"record": "off"})
    people = [u.reviewer.pk, u.section_head.pk, u.unit_head.pk]
    with celery_broker(django_settings.REDIS_URL):
        harness.worker(django_settings.REDIS_URL)
        for subject, days in (("通知甲", 3), ("通知乙", 1)):
            notify(
                recipient_ids=people,
                verb="reminder",
                params={
                    "deadline": "item_publication",
                    "due_on": "2026-11-09",
                    "days": days,
                    "subject": subject,
                },
                url="/items/1/",
            )
        wait_for(lambda: len(harness.sent()) == 2, what="the immediate sends")
        harness.send("notifications.tasks.send_digests", "2026-11-23")
        wait_for(lambda: Digest.objects.filter(status="sent").exists(), what="the digest")
        harness.send("notifications.tasks.send_digests", "2026-11-23")  # beat fires twice
        time.sleep(2)
    lines = harness.sent()
    assert Counter(line["to"] for line in lines) == Counter({"reviewer": 2, "section_head": 1})
    digest = next(line for line in lines if line["digest"])
    assert digest["to"] == "section_head"
    assert [t.split("：")[-1] for t in digest["titles"]] == ["通知甲", "通知乙"]
    # Switched off on the channel, still told in the notification centre.
    assert Notification.objects.filter(recipient=u.unit_head).count() == 2
