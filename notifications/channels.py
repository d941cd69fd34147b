"""Outside channels. In-app notifications are the rows themselves; every other way of reaching
someone is a Channel listed in settings.NOTIFICATION_CHANNELS (code -> dotted class path).

To plug in SMS or a government messaging platform, subclass Channel, implement `address` and
`send`, and add it to NOTIFICATION_CHANNELS. `send` raises ChannelError (or any OSError) for a
failure worth retrying; the delivery task retries with backoff and records a failure at the end.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


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

    def address(self, user) -> str | None:
        """Where this user is reached on this channel, or None (the delivery is skipped)."""
        raise NotImplementedError

    def send(self, *, user, address: str, messages: list[Message], digest: bool) -> None:
        """Send one message, or a digest of several, to `address`."""
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
