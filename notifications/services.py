"""Writes: creating notifications with their deliveries, reading them, preferences."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_log

from .channels import channels
from .dispatch import enqueue_many
from .models import DeadlineAlert, Delivery, Notification, Preference

DELIVER_TASK = "notifications.tasks.deliver"
NOTICE_TASK = "notifications.tasks.deliver_applicant_notice"  # applicants' messages


def modes_for(user_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """(user id, channel) -> mode, defaults filled in; one query."""
    user_ids = list(user_ids)
    defaults = settings.NOTIFICATION_DEFAULT_MODES
    modes = {
        (uid, code): defaults.get(code, Preference.Mode.OFF)
        for uid in user_ids
        for code in channels()
    }
    for uid, code, mode in Preference.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "channel", "mode"
    ):
        if (uid, code) in modes:
            modes[(uid, code)] = mode
    return modes


def _deliveries_for(notifications: list[Notification]) -> list[Delivery]:
    modes = modes_for({n.recipient_id for n in notifications})
    now = timezone.now()
    held: dict[str, dt.datetime | None] = {}  # per channel, computed once, only when needed
    rows = []
    for notification in notifications:
        for code, target in channels().items():
            mode = modes[(notification.recipient_id, code)]
            if mode == Preference.Mode.OFF:
                continue
            if mode == Preference.Mode.DIGEST and mode in target.modes:
                rows.append(
                    Delivery(
                        notification=notification,
                        channel=code,
                        status=Delivery.Status.FOR_DIGEST,
                    )
                )
                continue
            # At once, unless the channel keeps hours (staff SMS: working time only); then held
            # until they open and handed over by the beat's send_scheduled.
            if code not in held:
                held[code] = target.held_until(now=now, staff=True)
            rows.append(
                Delivery(
                    notification=notification,
                    channel=code,
                    status=Delivery.Status.SCHEDULED if held[code] else Delivery.Status.PENDING,
                    not_before=held[code],
                )
            )
    deliveries = Delivery.objects.bulk_create(rows)
    enqueue_many(
        (DELIVER_TASK, [d.pk], {}) for d in deliveries if d.status == Delivery.Status.PENDING
    )
    return deliveries


@transaction.atomic(savepoint=False)  # inside a caller's step, no savepoint of its own
def notify(
    *,
    recipient_ids: Iterable[int],
    verb: str,
    params: dict,
    url: str = "",
    alert: DeadlineAlert | None = None,
    key: str = "",
) -> list[Notification]:
    """Tell each recipient once: an in-app notification, plus a delivery on every channel the
    recipient has not switched off (sent at once after commit, or kept for the daily digest).

    With a `key`, a recipient who already has a notification under that key is skipped, so a task
    that runs twice does not notify twice; the unique constraint decides, not a prior read.
    """
    recipient_ids = sorted(set(recipient_ids))
    if not recipient_ids:
        return []
    if not key:
        created = Notification.objects.bulk_create(
            Notification(recipient_id=uid, verb=verb, params=params, url=url, alert=alert)
            for uid in recipient_ids
        )
    else:
        taken = set(
            Notification.objects.filter(recipient_id__in=recipient_ids, key=key).values_list(
                "recipient_id", flat=True
            )
        )
        created = []
        for uid in recipient_ids:
            if uid in taken:
                continue
            try:
                with transaction.atomic():
                    created.append(
                        Notification.objects.create(
                            recipient_id=uid,
                            verb=verb,
                            params=params,
                            url=url,
                            alert=alert,
                            key=key,
                        )
                    )
            except IntegrityError:
                continue  # a concurrent run created it first
    _deliveries_for(created)
    return created


def notification_open(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_set(
    *, user, modes: dict[str, str], addresses: dict[str, str] | None = None
) -> None:
    """Save a user's mode per channel and, for channels that need one (SMS), the address; audited
    with old and new values (a mobile number shown only by its last four digits)."""
    known = channels()
    addresses = addresses or {}
    rows = {p.channel: p for p in Preference.objects.filter(user=user)}
    old = {code: row.mode for code, row in rows.items()}
    old_addresses = {code: row.address for code, row in rows.items() if row.address}
    for code, mode in modes.items():
        if code not in known or mode not in Preference.Mode.values or mode not in known[code].modes:
            raise ValueError(f"unknown channel or mode: {code}={mode}")
    for code in addresses:
        if code not in known:
            raise ValueError(f"unknown channel: {code}")
    for code in {*modes, *addresses}:
        defaults = {}
        if code in modes:
            defaults["mode"] = modes[code]
        if code in addresses:
            defaults["address"] = addresses[code]
        if code not in rows and "mode" not in defaults:
            defaults["mode"] = settings.NOTIFICATION_DEFAULT_MODES.get(code, Preference.Mode.OFF)
        Preference.objects.update_or_create(user=user, channel=code, defaults=defaults)
    changed = {c: m for c, m in modes.items() if old.get(c) != m}
    moved = {c: a for c, a in addresses.items() if old_addresses.get(c, "") != a}
    if changed or moved:
        audit_log(
            actor=user,
            action="notifications.preferences.changed",
            subject=user,
            data={
                "old": old,
                "new": modes,
                "addresses": {
                    c: {"old": _masked(old_addresses.get(c, "")), "new": _masked(a)}
                    for c, a in moved.items()
                },
            },
        )


def _masked(address: str) -> str:
    # The audit trail proves that a number changed without spreading it (Art. 15 personal data).
    return f"…{address[-4:]}" if address else ""
