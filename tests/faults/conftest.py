import pytest
from django.core.signals import request_finished
from django.db import close_old_connections

from tests.notifications.conftest import channels_setting  # noqa: F401 - a fixture
from tests.notifications.test_worker import harness  # noqa: F401 - a fixture: workers, a record


@pytest.fixture
def like_a_wsgi_server():
    """Django's test client unhooks close_old_connections from the request signals, because it
    shares the test's connection. A WSGI server keeps it, and it is what throws away a connection
    that broke during a request. Hook it back for the test."""

    def close(**kwargs):
        close_old_connections()

    request_finished.connect(close, weak=False, dispatch_uid="faults.close_old_connections")
    yield
    request_finished.disconnect(dispatch_uid="faults.close_old_connections")


@pytest.fixture
def timer_flow(settings):
    """The test-only flow with a database timer (tests.faults.app)."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "tests.faults.app"]
    from tests.faults.app.flows import TimerFlow

    return TimerFlow
