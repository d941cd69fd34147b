"""Tests: SQLite unless DATABASE_URL points at PostgreSQL (CI does)."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default=BASE_DIR / ".test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {
        "NAME": env("TEST_SQLITE_PATH", default=str(BASE_DIR / ".test-db.sqlite3"))
    }
if "replica" in DATABASES:
    # The test run neither creates nor migrates a database on the replica: the alias reads the
    # primary's test database by its name (MIRROR sets NAME, and keeps HOST and PORT). On a real
    # streaming replica that database is the one the primary made, replayed; a replica URL that
    # names the primary's own server reads the very same database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# Unit tests run task bodies inline; tests marked `redis` switch this off and use a real worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# The whole suite browses the portal from one address: the limits are tested on their own
# (tests/security/test_public_limits.py), with their own rates.
PUBLIC_RATE_LIST = PUBLIC_RATE_SEARCH = "1000000/minute"
# Likewise the request form's submissions (tests/workflow/test_public_requests.py sets its own).
# Its CAPTCHA stays on: a test that does not solve it switches it off itself.
REQUEST_FORM_RATE = "1000000/hour"
