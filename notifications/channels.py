"""Outside channels. In-app notifications are the rows themselves; every other way of reaching
someone is a Channel listed in settings.NOTIFICATION_CHANNELS (code -> dotted class path).

To plug in a government messaging platform, subclass Channel, implement `address` and `send`
(staff) and, to reach applicants too, `applicant_address` and `send_one`, and add it to
NOTIFICATION_CHANNELS. `send` raises ChannelError (or any OSError) for a failure worth retrying;
the delivery task retries with backoff and records a failure at the end. A channel with hours
(`held_until`) has its messages held until then (quiet_hours; the beat's send_scheduled).

SMS is such a channel (SmsChannel): the messages go to the gateway SMS_GATEWAY names
(notifications.sms).
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflow.validators import clean_mobile

from . import quiet_hours, sms


class ChannelError(Exception):
    """A delivery failed and may succeed later."""


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str  # absolute
    # Stable per notification: gateways that accept a client message id can drop repeats.
    ref: str = ""


class Channel:
    code: str = ""
    label = ""
    # The modes a user may choose (Preference.Mode); a digest makes no sense on every channel.
    modes: tuple[str, ...] = ("immediate", "digest", "off")
    # A channel that needs an address the account lacks asks for it under 通知设置.
    address_label = ""

    def address(self, user) -> str | None:
        """Where this user is reached on this channel, or None (the delivery is skipped)."""
        raise NotImplementedError

    def send(self, *, user, address: str, messages: list[Message], digest: bool) -> None:
        """Send one message, or a digest of several, to `address`."""
        raise NotImplementedError

    def clean_address(self, value: str) -> str:
        """The address a user typed, normalised; raises ValidationError."""
        return value.strip()

    def held_until(self, *, now: dt.datetime, staff: bool) -> dt.datetime | None:
        """None when a message made `now` may go at once; else when it may."""
        return None

    # Applicants (notifications.applicant) have no account: they are reached at what they gave
    # on their request.
    def applicant_address(self, request) -> str | None:
        """Where the applicant of `request` is reached on this channel, or None."""
        return None

    def send_one(self, *, address: str, subject: str, body: str, ref: str, event: str) -> None:
        """Send one finished message to an applicant's address."""
        raise NotImplementedError


class EmailChannel(Channel):
    """Django's e-mail backend: the console in the embedded default, SMTP from settings."""

    code = "email"
    label = gettext_lazy("E-mail")

    def address(self, user) -> str | None:
        return user.email or None

    def send(self, *, user, address: str, messages: list[Message], digest: bool) -> None:
        prefix = settings.NOTIFICATION_EMAIL_SUBJECT_PREFIX
        if digest:
            subject = _("Daily digest: %(count)d notifications") % {"count": len(messages)}
        else:
            subject = messages[0].title
        body = "\n\n".join(f"{m.title}\n{m.body}\n{m.url}" for m in messages)
        send_mail(
            f"{prefix}{subject}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
            fail_silently=False,
        )

    def applicant_address(self, request) -> str | None:
        return request.email or None

    def send_one(self, *, address: str, subject: str, body: str, ref: str, event: str) -> None:
        prefix = settings.NOTIFICATION_EMAIL_SUBJECT_PREFIX
        send_mail(
            f"{prefix}{subject}", body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False
        )


class SmsChannel(Channel):
    """SMS through the gateway SMS_GATEWAY names (notifications.sms).

    Staff give their mobile number under 通知设置 and choose at once or off (a digest of SMS is
    not a thing). Staff SMS keeps to working time: outside STAFF_SMS_QUIET_HOURS on working days
    of the calendar, or it waits for the next working morning. Applicants are sent SMS only when
    APPLICANT_SMS is on and they agreed on their request, and never in
    APPLICANT_SMS_QUIET_HOURS."""

    code = "sms"
    label = gettext_lazy("SMS")
    modes = ("immediate", "off")
    address_label = gettext_lazy("Mobile number for SMS")
    MAX_LENGTH = 300  # a gateway splits long texts; more than a few parts is not an SMS

    def address(self, user) -> str | None:
        from .models import Preference

        found = (
            Preference.objects.filter(user=user, channel=self.code)
            .values_list("address", flat=True)
            .first()
        )
        return found or None

    def clean_address(self, value: str) -> str:
        return clean_mobile(value)

    def held_until(self, *, now: dt.datetime, staff: bool) -> dt.datetime | None:
        if staff:
            from workflow.workdays import WorkCalendar

            return quiet_hours.held_until(
                now=now,
                window=quiet_hours.parse_window(settings.STAFF_SMS_QUIET_HOURS),
                calendar=WorkCalendar.load(),
            )
        return quiet_hours.held_until(
            now=now, window=quiet_hours.parse_window(settings.APPLICANT_SMS_QUIET_HOURS)
        )

    def _gateway(self) -> sms.Gateway:
        found = sms.gateway()
        if found is None:
            raise ChannelError("SMS_GATEWAY is not set")
        return found

    def send(self, *, user, address: str, messages: list[Message], digest: bool) -> None:
        for message in messages:
            text = f"{message.title} {message.body}".strip()[: self.MAX_LENGTH]
            self._gateway().send(phone=address, text=text, ref=message.ref, template="staff")

    def applicant_address(self, request) -> str | None:
        if not (settings.APPLICANT_SMS and request.sms_consent):
            return None
        return request.phone or None

    def send_one(self, *, address: str, subject: str, body: str, ref: str, event: str) -> None:
        self._gateway().send(phone=address, text=body[: self.MAX_LENGTH], ref=ref, template=event)


@cache
def _load() -> dict[str, Channel]:
    channels = {}
    for code, path in settings.NOTIFICATION_CHANNELS.items():
        channel = import_string(path)()
        channel.code = code
        channels[code] = channel
    return channels


def channels() -> dict[str, Channel]:
    return _load()


def channel(code: str) -> Channel | None:
    return _load().get(code)


def reset() -> None:
    """Forget loaded channels (settings changed, e.g. in tests)."""
    _load.cache_clear()
