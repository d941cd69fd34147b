"""Settings of the Celery workers the fault tests start: the test settings plus the test-only app
(its timer flow, and the stall hook that FAULT_STALL_AT switches on)."""

from config.settings.test import *  # noqa: F403
from config.settings.test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.faults.app"]
