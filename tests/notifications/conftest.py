import contextlib

import pytest

from config.celery_app import app


@contextlib.contextmanager
def celery_broker(url: str):
    """Publish for real to `url` (not eagerly) for the duration; restores the test defaults."""
    old = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    _reset_pools()
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.task_always_eager = old
        _reset_pools()


def _reset_pools():
    from kombu import pools

    pools.reset()  # kombu keeps connection pools globally, keyed by connection
    app._after_fork()


@pytest.fixture
def channels_setting(settings):
    """Switch the configured outside channels for one test."""
    from notifications import channels

    def use(mapping: dict[str, str]):
        settings.NOTIFICATION_CHANNELS = mapping
        channels.reset()

    yield use
    channels.reset()
