"""Notifications reach people as they asked: at once, in a daily digest, or not on a channel;
failures are retried, counted and finally recorded; a broker outage loses nothing."""

import datetime as dt

import pytest
from celery import shared_task
from django.core import mail

from notifications import delivery
from notifications.models import Delivery, Digest, Notification, OutboxMessage, TaskFailure
from notifications.services import notify, preferences_set
from tests.factories import UserFactory

from .conftest import celery_broker

pytestmark = pytest.mark.django_db


def tell(user_ids, subject="2026年城乡低保标准调整的通知", days=3):
    return notify(
        recipient_ids=user_ids,
        verb="reminder",
        params={
            "deadline": "item_publication",
            "due_on": "2026-11-09",
            "days": days,
            "subject": subject,
        },
        url="/items/1/",
    )


def test_each_person_is_reached_as_they_asked(django_capture_on_commit_callbacks):
    at_once = UserFactory(username="at_once", email="a@example.gov.cn")
    digest = UserFactory(username="digest", email="d@example.gov.cn")
    off = UserFactory(username="off", email="o@example.gov.cn")
    no_address = UserFactory(username="no_address", email="")
    preferences_set(user=digest, modes={"email": "digest"})
    preferences_set(user=off, modes={"email": "off"})

    with django_capture_on_commit_callbacks(execute=True):
        tell([at_once.pk, digest.pk, off.pk, no_address.pk])

    # Everyone has it in the notification centre.
    assert Notification.objects.count() == 4
    statuses = dict(Delivery.objects.values_list("notification__recipient__username", "status"))
    assert statuses == {"at_once": "sent", "digest": "for_digest", "no_address": "skipped"}
    assert [m.to for m in mail.outbox] == [["a@example.gov.cn"]]
    assert "3 个工作日" in mail.outbox[0].subject or "3 working days" in mail.outbox[0].subject
    assert "http://127.0.0.1:8000/items/1/" in mail.outbox[0].body


def test_the_daily_digest_collects_the_day_once(django_capture_on_commit_callbacks):
    user = UserFactory(username="digest", email="d@example.gov.cn")
    preferences_set(user=user, modes={"email": "digest"})
    with django_capture_on_commit_callbacks(execute=True):
        tell([user.pk], subject="通知甲")
        tell([user.pk], subject="通知乙", days=1)
    assert mail.outbox == []

    day = dt.date(2026, 11, 23)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.digests_build(day=day)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "通知甲" in body and "通知乙" in body
    assert Digest.objects.get().status == "sent"
    assert set(Delivery.objects.values_list("status", flat=True)) == {"in_digest"}

    # Built again the same day: nothing new, nothing sent twice.
    with django_capture_on_commit_callbacks(execute=True):
        delivery.digests_build(day=day)
        delivery.digest_send(digest_id=Digest.objects.get().pk)
    assert len(mail.outbox) == 1
    # A later notification waits for the next day's digest.
    with django_capture_on_commit_callbacks(execute=True):
        tell([user.pk], subject="通知丙")
        delivery.digests_build(day=day)
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        delivery.digests_build(day=day + dt.timedelta(days=1))
    assert len(mail.outbox) == 2 and "通知丙" in mail.outbox[1].body


def test_a_failing_channel_is_retried_then_recorded_as_failed(
    channels_setting, settings, django_capture_on_commit_callbacks
):
    channels_setting({"failing": "tests.notifications.recording.FailingChannel"})
    settings.NOTIFICATION_DEFAULT_MODES = {"failing": "immediate"}
    user = UserFactory(username="someone")
    with django_capture_on_commit_callbacks(execute=True):
        tell([user.pk])
    row = Delivery.objects.get()
    assert row.status == "failed"
    assert row.attempts == settings.NOTIFICATION_MAX_ATTEMPTS
    assert row.last_error == "OSError: gateway unreachable"
    # The in-app notification is there regardless.
    assert Notification.objects.filter(recipient=user).exists()


@shared_task(name="tests.notifications.always_fails")
def always_fails(n):
    raise ValueError(f"bad input {n}")


def test_a_task_that_gives_up_leaves_a_failure_record():
    always_fails.apply(args=[7])
    failure = TaskFailure.objects.get()
    assert failure.task_name == "tests.notifications.always_fails"
    assert failure.error == "ValueError: bad input 7"
    assert "bad input 7" in failure.traceback


def test_with_the_broker_away_work_goes_on_and_the_message_waits(
    org, make_item, client, django_capture_on_commit_callbacks
):
    """Redis is down: submitting answers normally, the task notice waits in the outbox."""
    from config.embedded_redis import free_port

    item = make_item()
    client.force_login(org.users.drafter)
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/items/{item.pk}/submit/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "in_review"
    waiting = OutboxMessage.objects.get(task_name="notifications.tasks.notify_task_available")
    assert waiting.sent_at is None and waiting.attempts == 1
    assert "Error" in waiting.error


def test_the_flush_forgets_published_rows_after_a_day_and_keeps_the_unsent(settings):
    from django.utils import timezone

    from notifications.dispatch import outbox_prune

    now = timezone.now()
    old = OutboxMessage.objects.create(task_name="x", sent_at=now - dt.timedelta(days=2))
    recent = OutboxMessage.objects.create(task_name="x", sent_at=now - dt.timedelta(hours=1))
    unsent = OutboxMessage.objects.create(task_name="x")
    assert outbox_prune() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, unsent.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
