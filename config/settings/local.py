"""The embedded default: SQLite, a Redis that `make run` starts, console e-mail."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# SMS printed on the console like the e-mail (notifications.sms.ConsoleGateway).
SMS_GATEWAY = env("SMS_GATEWAY", default="notifications.sms.ConsoleGateway")
NOTIFICATION_CHANNELS = env.dict(
    "NOTIFICATION_CHANNELS",
    default={
        "email": "notifications.channels.EmailChannel",
        **({"sms": "notifications.channels.SmsChannel"} if SMS_GATEWAY else {}),
    },
)
