"""A message delivered twice: Celery's delivery is at-least-once (acks_late, a redelivery after a
lost acknowledgement, two beat instances), so every task is run twice with the same arguments, one
after the other and at the same moment, and must not do anything twice.

Tasks here run their bodies in this process (eager publishing, so a task's follow-up tasks run
inline too). The concurrent cases use real PostgreSQL transactions in threads and force the worst
interleaving every time: both runs hold until both have read the same state, or the first run
hangs inside its send (a stalled mail server) while the copy arrives.
The sweep and the delivery task are run twice through a real worker in
tests/notifications/test_worker.py and tests/notifications/test_concurrent_sweeps.py.
"""

import contextlib
import datetime as dt
import json
import threading
import time
from collections import Counter
from types import SimpleNamespace

import pytest
from django.db import connection
from viewflow.workflow.models import Task

from notifications import dispatch, tasks
from notifications.models import Delivery, Digest, Notification, OutboxMessage
from notifications.services import notify, preferences_set
from tests.notifications.recording import RecordingChannel

from .support import (
    broker_away,
    fired,
    lock_timeout,
    run_together,
    start_due_timers,
    waiting_for_a_lock,
)

pytestmark = pytest.mark.django_db(transaction=True)
DAY = dt.date(2026, 11, 23)


@pytest.fixture
def recording(settings, channels_setting, monkeypatch, tmp_path):
    """Every outside send is one line in a file: what went out, counted per notification."""
    record = tmp_path / "sent.jsonl"
    record.touch()
    monkeypatch.setenv("RECORDING_CHANNEL_PATH", str(record))
    settings.NOTIFICATION_DEFAULT_MODES = {"record": "immediate"}
    settings.OUTBOX_FLUSH_MIN_AGE_SECONDS = 0
    channels_setting({"record": "tests.notifications.recording.RecordingChannel"})

    def sent() -> Counter:
        lines = [json.loads(line) for line in record.read_text().splitlines() if line]
        return Counter(ref for line in lines for ref in line["refs"])

    return sent


def run(task, *args):
    """Run a task's body here, as a worker would; its result, or the test fails with its error."""
    result = task.apply(args=args)
    assert result.successful(), result.traceback
    return result.result


def refs(notifications) -> Counter:
    return Counter(f"notification-{n.pk}" for n in notifications)


# --- fire_due_timers -------------------------------------------------------------------------


def test_timers_fired_twice_in_a_row_fire_once(timer_flow):
    processes = start_due_timers(timer_flow)
    assert run(tasks.fire_due_timers) == 2
    assert run(tasks.fire_due_timers) == 0
    assert [fired(p) for p in processes] == [("DONE", 1, 1)] * 2


@pytest.mark.postgres
def test_timers_fired_twice_at_once_fire_once(timer_flow, monkeypatch):
    processes = start_due_timers(timer_flow)
    both_listed = threading.Barrier(2, timeout=30)
    waited = threading.local()
    original = Task.activation

    @contextlib.contextmanager
    def after_both_listed(self):
        # Both dispatchers have read the same due timers before either takes a lock.
        if not getattr(waited, "done", False):
            waited.done = True
            both_listed.wait()
        with original(self) as activation:
            yield activation

    monkeypatch.setattr(Task, "activation", after_both_listed)
    results = run_together(lambda: run(tasks.fire_due_timers), lambda: run(tasks.fire_due_timers))
    assert sorted(results) in ([0, 2], [1, 1]), results
    assert [fired(p) for p in processes] == [("DONE", 1, 1)] * 2


# --- flush_outbox (and the notify_task_available and deliver tasks it publishes) ---------------


@pytest.fixture
def waiting_in_the_outbox(org, make_item, flow_steps, recording):
    """A review task's notice and a reminder's delivery, kept in the outbox while Redis was away."""
    with broker_away():
        item = make_item()
        flow_steps.submit(item)
        reminder = notify(recipient_ids=[org.users.drafter.pk], verb="reminder", params={"days": 1})
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2
    assert not Notification.objects.filter(verb="task_available").exists()
    return reminder[0]


def assert_everyone_told_once(org, recording) -> None:
    notices = Notification.objects.filter(verb="task_available")
    assert sorted(n.recipient.username for n in notices) == ["reviewer"]
    assert recording() == refs(Notification.objects.all())
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_the_outbox_flushed_twice_in_a_row_tells_everyone_once(
    org, waiting_in_the_outbox, recording
):
    assert run(tasks.flush_outbox) == 2
    assert run(tasks.flush_outbox) == 0
    task_id = OutboxMessage.objects.get(task_name=tasks.notify_task_available.name).args[0]
    assert run(tasks.notify_task_available, task_id) == 0  # the notice again
    assert run(tasks.deliver, Delivery.objects.first().pk) == "sent"
    assert_everyone_told_once(org, recording)


@pytest.mark.postgres
def test_the_outbox_flushed_twice_at_once_tells_everyone_once(
    org, waiting_in_the_outbox, recording, monkeypatch
):
    both_read = threading.Barrier(2, timeout=30)
    waited = threading.local()
    original = dispatch._publish

    def after_both_read(message):
        # Both flushes have read the same unsent rows: each publishes both, so every task runs
        # twice. (Later calls are the tasks' own publishing after commit, inline: not held.)
        if not getattr(waited, "done", False):
            waited.done = True
            both_read.wait()
        return original(message)

    monkeypatch.setattr(dispatch, "_publish", after_both_read)
    results = run_together(lambda: run(tasks.flush_outbox), lambda: run(tasks.flush_outbox))
    assert results == [2, 2]
    assert_everyone_told_once(org, recording)


# --- deliver, deliver_digest and send_digests while a send hangs -------------------------------


@pytest.fixture
def held_send(monkeypatch):
    """The next send of the recording channel hangs until released, like a mail server that
    stalls mid-conversation; later sends go through."""
    started, release = threading.Event(), threading.Event()
    original = RecordingChannel.send

    def send(self, **kwargs):
        if not started.is_set():
            started.set()
            assert release.wait(30)
        return original(self, **kwargs)

    monkeypatch.setattr(RecordingChannel, "send", send)
    yield SimpleNamespace(started=started, release=release)
    release.set()


def in_thread(call) -> threading.Thread:
    def run_and_close():
        try:
            call()
        finally:
            connection.close()

    thread = threading.Thread(target=run_and_close)
    thread.start()
    return thread


def until_blocked(thread: threading.Thread, timeout: float = 15) -> None:
    """Wait until `thread` waits on a row lock (or has finished without needing to)."""
    deadline = time.monotonic() + timeout
    while thread.is_alive() and not waiting_for_a_lock():
        assert time.monotonic() < deadline, "the second run neither waited nor finished"
        time.sleep(0.05)


def finish(*threads: threading.Thread) -> None:
    for thread in threads:
        thread.join(30)
    assert not any(t.is_alive() for t in threads)


def tell(user, subject: str) -> list[Notification]:
    return notify(recipient_ids=[user.pk], verb="reminder", params={"days": 1, "subject": subject})


@pytest.mark.postgres
def test_a_delivery_delivered_again_while_its_send_hangs_goes_out_once(org, recording, held_send):
    reviewer = org.users.reviewer
    with broker_away():
        note = tell(reviewer, "通知甲")
    delivery = Delivery.objects.get(notification__in=note)

    first = in_thread(lambda: run(tasks.deliver, delivery.pk))
    assert held_send.started.wait(30)
    # The recipient's row is not locked by the hanging send: writes about them go on.
    with lock_timeout(3):
        other = tell(reviewer, "通知乙")
    second = in_thread(lambda: run(tasks.deliver, delivery.pk))  # the same message again
    until_blocked(second)
    held_send.release.set()
    finish(first, second)

    assert recording() == refs(note + other)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.postgres
def test_a_digest_built_again_while_it_goes_out_loses_nothing(org, recording, held_send):
    """The day's send_digests runs twice (beat twice, or a redelivery) while the first run's digest
    is being sent, and a notification arrived in between: it goes out once, in the next day's
    digest, instead of being tied to a digest that has already left."""
    reviewer = org.users.reviewer
    preferences_set(user=reviewer, modes={"record": "digest"})
    first_note = tell(reviewer, "通知甲")

    first = in_thread(lambda: run(tasks.send_digests, DAY.isoformat()))
    assert held_send.started.wait(30)  # the digest is going out, its row locked
    with lock_timeout(3):
        late_note = tell(reviewer, "通知乙")
    second = in_thread(lambda: run(tasks.send_digests, DAY.isoformat()))
    until_blocked(second)
    held_send.release.set()
    finish(first, second)

    run(tasks.send_digests, (DAY + dt.timedelta(days=1)).isoformat())
    assert recording() == refs(first_note + late_note)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"in_digest"}
    assert sorted(Digest.objects.values_list("day", "status")) == [
        (DAY, "sent"),
        (DAY + dt.timedelta(days=1), "sent"),
    ]
