"""Sending deliveries and digests. Each send happens while holding the row lock of a row that is
still pending, and marks it sent in the same transaction: a duplicated or retried message finds
it sent and does nothing. A worker killed mid-send rolls the transaction back, so the redelivered
message sends it again, once."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .channels import Message, channel
from .dispatch import enqueue, enqueue_many
from .messages import render
from .models import ApplicantNotice, Delivery, Digest, Notification
from .services import DELIVER_TASK, NOTICE_TASK

DIGEST_TASK = "notifications.tasks.deliver_digest"


def _message(notification: Notification) -> Message:
    with translation.override(settings.LANGUAGE_CODE):
        text = render(notification)
    return Message(
        text.title,
        text.body,
        settings.SITE_URL.rstrip("/") + notification.url,
        ref=f"notification-{notification.pk}",
    )


def delivery_send(*, delivery_id: int) -> str:
    """Send one pending delivery; returns its status afterwards. Raises what the channel raised."""
    with transaction.atomic():
        # Only the delivery row: the joined recipient row stays unlocked, or every write that
        # refers to that user (an audit row, a task taken, a notification) waits for the send.
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("notification__recipient")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return delivery.status if delivery else "missing"
        target = channel(delivery.channel)
        user = delivery.notification.recipient
        address = target.address(user) if target else None
        if target is None:
            delivery.status = Delivery.Status.FAILED
            delivery.last_error = f"channel {delivery.channel!r} is not configured"
        elif not address:
            delivery.status = Delivery.Status.SKIPPED
        else:
            target.send(
                user=user, address=address, messages=[_message(delivery.notification)], digest=False
            )
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
        delivery.attempts += 1
        delivery.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        return delivery.status


def record_failure(model, pk: int, error: str) -> bool:
    """Count a failed attempt; after NOTIFICATION_MAX_ATTEMPTS mark the row failed. Counting in
    the row (not in the Celery message) keeps the limit across redeliveries and requeues.
    Returns True when it has given up."""
    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk, status="pending").first()
        if row is None:
            return True
        row.attempts += 1
        row.last_error = error[:2000]
        final = row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        if final:
            row.status = "failed"
        row.save(update_fields=["attempts", "last_error", "status"])
        return final


def delivery_record_failure(*, delivery_id: int, error: str) -> bool:
    return record_failure(Delivery, delivery_id, error)


def digests_build(*, day: dt.date) -> list[int]:
    """Gather each user's deliveries waiting for the digest into that day's digest, one per user
    and channel, and enqueue the pending ones. Safe to run twice: the digest row is unique."""
    waiting = (
        Delivery.objects.filter(status=Delivery.Status.FOR_DIGEST, digest__isnull=True)
        .values_list("notification__recipient_id", "channel")
        .distinct()
    )
    built = []
    for user_id, code in waiting:
        with transaction.atomic():
            # Locked: a digest being sent holds this row until it is marked sent, and a delivery
            # tied to it after the sender read its list would never go out.
            digest, _created = Digest.objects.select_for_update().get_or_create(
                user_id=user_id, channel=code, day=day
            )
            if digest.status != Digest.Status.PENDING:
                continue  # today's digest already went out; these wait for tomorrow's
            Delivery.objects.filter(
                status=Delivery.Status.FOR_DIGEST,
                digest__isnull=True,
                channel=code,
                notification__recipient_id=user_id,
            ).update(digest=digest)
            enqueue(DIGEST_TASK, digest.pk)
            built.append(digest.pk)
    return built


def digest_send(*, digest_id: int) -> str:
    with transaction.atomic():
        digest = (
            Digest.objects.select_for_update(of=("self",))  # not the user's row, as above
            .select_related("user")
            .filter(pk=digest_id)
            .first()
        )
        if digest is None or digest.status != Digest.Status.PENDING:
            return digest.status if digest else "missing"
        deliveries = list(
            digest.deliveries.filter(status=Delivery.Status.FOR_DIGEST)
            .select_related("notification")
            .order_by("notification__created_at", "pk")
        )
        target = channel(digest.channel)
        address = target.address(digest.user) if target else None
        now = timezone.now()
        if deliveries and target and address:
            target.send(
                user=digest.user,
                address=address,
                messages=[_message(d.notification) for d in deliveries],
                digest=True,
            )
            status = Delivery.Status.IN_DIGEST
        else:
            status = Delivery.Status.SKIPPED
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
            status=status, sent_at=now if status == Delivery.Status.IN_DIGEST else None
        )
        digest.status = Digest.Status.SENT
        digest.sent_at = now
        digest.attempts += 1
        digest.save(update_fields=["status", "sent_at", "attempts"])
        return digest.status


def digest_record_failure(*, digest_id: int, error: str) -> bool:
    return record_failure(Digest, digest_id, error)


def scheduled_release(*, now: dt.datetime | None = None, batch: int = 1000) -> int:
    """Hand over the messages held for their channel's hours (staff SMS outside working time,
    applicants' SMS at night) whose time has come: each becomes pending and is enqueued once.
    Rows another run holds are skipped, so two beats at once release each row once."""
    now = now or timezone.now()
    released = 0
    for model, task in ((Delivery, DELIVER_TASK), (ApplicantNotice, NOTICE_TASK)):
        with transaction.atomic():
            ids = list(
                model.objects.select_for_update(skip_locked=True)
                .filter(status="scheduled", not_before__lte=now)
                .order_by("not_before", "pk")
                .values_list("pk", flat=True)[:batch]
            )
            if ids:
                model.objects.filter(pk__in=ids).update(status="pending")
                enqueue_many((task, [pk], {}) for pk in ids)
        released += len(ids)
    return released


def deliveries_requeue_stale(*, older_than: dt.timedelta) -> int:
    """Re-enqueue deliveries still pending long after they were made: their message may have
    been lost (a Redis restart without persistence). Sending is idempotent, so a duplicate is
    harmless."""
    cutoff = timezone.now() - older_than
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, created_at__lt=cutoff)
        # One held for working hours counts from its release (scheduled_release), not its making.
        .exclude(not_before__gt=cutoff)
        .values_list("pk", flat=True)[:1000]
    )
    enqueue_many((DELIVER_TASK, [pk], {}) for pk in ids)
    return len(ids) + _notices_requeue_stale(cutoff=cutoff)


def _notices_requeue_stale(*, cutoff: dt.datetime) -> int:
    """The same for messages to applicants; a released one counts from its release."""
    ids = list(
        ApplicantNotice.objects.filter(status=ApplicantNotice.Status.PENDING, created_at__lt=cutoff)
        .exclude(not_before__gt=cutoff)
        .values_list("pk", flat=True)[:1000]
    )
    enqueue_many((NOTICE_TASK, [pk], {}) for pk in ids)
    return len(ids)
