"""A worker crashing: SIGKILL to the whole worker (pool children included) at a chosen point inside
a task, then a new worker. The message comes back (acks_late: it was never acknowledged) and the
work ends up done exactly once. A delivery killed mid-send is in
tests/notifications/test_worker.py; here the deadline sweep and the viewflow timer dispatcher.

Real Celery workers against a real Redis and PostgreSQL (the harness of test_worker.py); the
workers load tests.faults.worker_settings, whose test app can stall a function (FAULT_STALL_AT)
so the kill lands exactly there.
"""

import datetime as dt
import re

import pytest
from django.conf import settings as django_settings

from notifications.models import DeadlineAlert, Delivery, Notification, OutboxMessage
from tests.notifications.conftest import celery_broker
from tests.notifications.test_worker import drain, sent_once, wait_for

from .support import fired, start_due_timers

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]
WORKER_SETTINGS = {"DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings"}


def stalling_at(target: str, flag, call: int = 1) -> dict:
    return {
        **WORKER_SETTINGS,
        "FAULT_STALL_AT": target,
        "FAULT_STALL_CALL": str(call),
        "FAULT_STALL_FLAG": str(flag),
    }


def ran(worker, task: str) -> bool:
    pattern = rf"{re.escape(task)}\[[^\]]+\] succeeded".encode()
    return bool(re.search(pattern, worker.log.read_bytes()))


def test_a_sweep_killed_after_its_commit_tells_everyone_once(org, req, harness, tmp_path):
    # Set up with inline tasks: the worker's first publish is then the sweep's own.
    request = req.register(received=dt.date(2026, 9, 30))
    req.to_drafting(request, today=dt.date(2026, 10, 9))
    flag = tmp_path / "stalled"
    broker = django_settings.REDIS_URL
    with celery_broker(broker):
        # Killed after the sweep committed its steps, before it handed their sends to Redis.
        env = stalling_at("notifications.dispatch:_publish_after_commit", flag)
        first = harness.worker(broker, concurrency=1, **env)
        harness.send("notifications.tasks.sweep_deadlines", "2026-11-12")
        wait_for(flag.exists, what="the sweep to commit")
        first.kill()

        escalations = Notification.objects.filter(verb="escalation")
        assert DeadlineAlert.objects.filter(request=request).count() == 4
        assert escalations.count() == 1 + 2 + 2 + 3
        assert not Delivery.objects.filter(notification__in=escalations, status="sent").exists()
        assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 8

        second = harness.worker(broker, concurrency=1, **env)  # the flag is there: no stall
        # The unacknowledged sweep comes back, finds every step recorded, records nothing more.
        wait_for(lambda: ran(second, "sweep_deadlines"), 60, "the sweep to be redelivered")
        harness.send("notifications.tasks.flush_outbox")  # beat's next flush
        drain(harness, Delivery.objects.count())

    assert DeadlineAlert.objects.filter(request=request).count() == 4
    assert escalations.count() == 8
    assert escalations.filter(recipient=org.users.supervisor).count() == 1
    sent_once(harness)


def test_timers_killed_mid_firing_fire_each_once(timer_flow, harness, tmp_path):
    processes = start_due_timers(timer_flow, 2)
    flag = tmp_path / "stalled"
    broker = django_settings.REDIS_URL
    with celery_broker(broker):
        # Killed while firing the second timer: the first one's transaction has committed.
        env = stalling_at("tests.faults.app.flows:record_firing", flag, call=2)
        first = harness.worker(broker, concurrency=1, **env)
        harness.send("notifications.tasks.fire_due_timers")
        wait_for(flag.exists, what="the second timer to fire")
        first.kill()
        assert sorted(fired(p) for p in processes) == [("DONE", 1, 1), ("NEW", 0, 0)]

        second = harness.worker(broker, concurrency=1, **env)
        wait_for(lambda: ran(second, "fire_due_timers"), 60, "the dispatch to be redelivered")

    assert [fired(p) for p in processes] == [("DONE", 1, 1)] * 2
