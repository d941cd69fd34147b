"""SMS gateways: what the SMS channel (channels.SmsChannel) hands a message to.

SMS_GATEWAY names the class. A real one wraps the operator's SMS platform (a government SMS
platform, or a carrier's or cloud provider's service): in China those send only texts under a
registered signature (短信签名) and, usually, templates approved in advance, so `send` receives
the event's code (`template`: received, correction, ..., or "staff") besides the finished text,
and a gateway maps it to its approved template. `send` raises ChannelError or OSError for a
failure worth retrying.

ConsoleGateway prints each message (make run, like the console e-mail backend); MemoryGateway
keeps them in `outbox` (tests, like Django's locmem e-mail backend).
"""

import sys
import threading
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str
    ref: str
    template: str = ""
    params: dict = field(default_factory=dict)


class Gateway:
    def send(
        self, *, phone: str, text: str, ref: str, template: str = "", params: dict | None = None
    ) -> None:
        raise NotImplementedError


_lock = threading.Lock()


class ConsoleGateway(Gateway):
    """Writes each SMS to standard output: the demo's stand-in for a real platform."""

    def send(self, *, phone, text, ref, template="", params=None) -> None:
        block = (
            f"SMS to: {phone}\nRef: {ref}\nTemplate: {template or '-'}\n\n{text}\n"
            + "-" * 79
            + "\n"
        )
        with _lock:
            sys.stdout.write(block)
            sys.stdout.flush()


outbox: list[Sms] = []


class MemoryGateway(Gateway):
    """Keeps each SMS in `outbox`, for tests."""

    def send(self, *, phone, text, ref, template="", params=None) -> None:
        outbox.append(Sms(phone, text, ref, template, dict(params or {})))


@cache
def _load(path: str) -> Gateway:
    return import_string(path)()


def gateway() -> Gateway | None:
    """The configured gateway, or None when SMS_GATEWAY is empty."""
    return _load(settings.SMS_GATEWAY) if settings.SMS_GATEWAY else None
