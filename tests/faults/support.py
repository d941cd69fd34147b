"""What the fault tests share: dropping the database connection at a chosen statement, a
fingerprint of everything stored, and calls started at the same instant in threads."""

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterator

from django.apps import apps
from django.db import connection
from django.utils import timezone

# Written outside the request under test (the login's session), or not ours to watch.
NOT_FINGERPRINTED = {"sessions", "axes", "admin"}


def _terminate(wrapper) -> None:
    """Ask the server, from a second connection, to end the backend serving `wrapper`, and wait
    until it has: the open transaction is rolled back by the server, as after a network drop, a
    failover or a restart of PostgreSQL."""
    import psycopg

    pid = wrapper.connection.info.backend_pid
    db = wrapper.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    ) as killer:
        (gone,) = killer.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()
    assert gone, f"backend {pid} did not end"


@contextlib.contextmanager
def connection_dropped(at: Callable[[str, tuple], bool]) -> Iterator[list[str]]:
    """Kill this thread's database connection right before the first statement for which
    `at(sql, params)` is true; yields the list that receives that statement once it happened."""
    dropped: list[str] = []

    def drop_first_match(execute, sql, params, many, context):
        if not dropped and at(sql, params or ()):
            dropped.append(sql)
            _terminate(context["connection"])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop_first_match):
        yield dropped


def inserting(table: str, *values) -> Callable[[str, tuple], bool]:
    """The INSERT into `table` whose parameters include every one of `values`."""

    def match(sql: str, params: tuple) -> bool:
        # A bulk insert on PostgreSQL sends one array per column (INSERT ... SELECT ... UNNEST).
        flat = [
            value
            for param in params or ()
            for value in (param if isinstance(param, list | tuple) else [param])
        ]
        return sql.startswith(f'INSERT INTO "{table}"') and all(v in flat for v in values)

    return match


def updating(table: str) -> Callable[[str, tuple], bool]:
    return lambda sql, params: sql.startswith(f'UPDATE "{table}"')


def selecting(table: str) -> Callable[[str, tuple], bool]:
    return lambda sql, params: sql.startswith("SELECT") and f'FROM "{table}"' in sql


@contextlib.contextmanager
def lock_timeout(seconds: int) -> Iterator[None]:
    """Statements of this connection that wait longer than this for a row lock fail instead."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{int(seconds)}s'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")


def waiting_for_a_lock() -> bool:
    """Whether some connection to the test database is blocked on a lock right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@contextlib.contextmanager
def broker_away() -> Iterator[None]:
    """Publish to a port where nothing listens, failing at the first refusal instead of after the
    2 s kombu sleeps before its second try: for setting up work that waits in the outbox."""
    from config.celery_app import app
    from config.embedded_redis import free_port
    from tests.notifications.conftest import celery_broker

    old = app.conf.broker_transport_options
    app.conf.broker_transport_options = {**old, "max_retries": 0}
    try:
        with celery_broker(f"redis://127.0.0.1:{free_port()}/0"):
            yield
    finally:
        app.conf.broker_transport_options = old


def backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def fingerprint(*rows) -> dict:
    """How many rows every model holds, plus the full values of `rows` (model instances, re-read):
    equal fingerprints before and after a failed request mean it wrote nothing at all."""
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in NOT_FINGERPRINTED
    }
    values = {
        f"{row._meta.label}:{row.pk}": type(row)._default_manager.filter(pk=row.pk).values().first()
        for row in rows
    }
    return {"counts": counts, "rows": values}


def changed(before: dict, after: dict) -> dict:
    """The parts of two fingerprints that differ, for a readable assertion message."""
    diff = {
        label: (count, after["counts"].get(label))
        for label, count in before["counts"].items()
        if after["counts"].get(label) != count
    }
    for key, value in before["rows"].items():
        if after["rows"].get(key) != value:
            diff[key] = {
                name: (old, after["rows"][key].get(name))
                for name, old in value.items()
                if after["rows"][key].get(name) != old
            }
    return diff


def run_together(*calls, timeout: float = 60) -> list:
    """Start the calls in threads at the same instant; each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the tests assert on
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "a call did not finish"
    return results


def start_due_timers(flow_class, count: int = 2) -> list:
    """Processes of the test timer flow whose timers are already due."""
    past = timezone.now() - dt.timedelta(minutes=1)
    return [flow_class.start.run(due=past) for _ in range(count)]


def fired(process) -> tuple:
    """(status, times its timer fired, `fired` tasks): ("DONE", 1, 1) is exactly once."""
    process.refresh_from_db()
    tasks = [t for t in process.task_set.all() if t.flow_task.name == "fired"]
    return process.status, process.data.get("fired", 0), len(tasks)
