"""Settings for bench/lifecycle.py: the test settings plus the bare viewflow flow's app."""

from config.settings.test import *  # noqa: F403
from config.settings.test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.bareflow"]
