"""Benchmark: Celery workers draining one Redis queue of reminders, with no duplicates.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench REDIS_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python bench/reminders_drain.py [--requests 300] [--workers 1,2]

It creates a throw-away PostgreSQL database (Django's test database, `test_<name>`) and, for each
entry of --workers (default 1, then 2):

1. adds --requests open requests whose reply deadline is within the reminder horizon or overdue
   (the earlier round's requests are moved past the horizon), and runs the real sweep task
   (`notifications.tasks.sweep_deadlines`) in this process: it records the reminders and
   escalations, writes the notifications and one delivery each on a recording channel, and
   publishes one `notifications.tasks.deliver` message per delivery onto one Redis queue
   through the outbox. No worker listens to that queue yet;
2. starts that many `celery worker` processes (--concurrency each, default 1), waits until they
   are ready, tells them all at once to consume the queue, and waits until the queue is empty and
   every delivery is sent;
3. prints the messages, the wall time, messages per second, the sends per worker, and the
   duplicates counted in the database: deadline alerts per unique step, notifications per alert
   and recipient, deliveries per notification and channel, and sends per notification. The
   recording channel writes each send on its own autocommitted connection, like a message that
   has left the building: a send the delivery's transaction rolled back would still be counted.

It prints numbers and asserts no timing; it exits 1 if any duplicate was found. Workers are
stopped (their whole process group) whatever happens. Without PostgreSQL or Redis it says so and
exits 0 (the workers are separate processes and need a database both sides can see).
"""

import argparse
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from notifications.channels import Channel  # noqa: E402 - no model import; safe before setup

CHANNEL = "bench=bench.reminders_drain.RecordingChannel"
SENT_TABLE = "bench_drain_sent"


class RecordingChannel(Channel):
    """Records each send in SENT_TABLE on its own autocommitted connection, naming the
    notification (Message.ref) and the worker (BENCH_WORKER) that sent it."""

    code = "bench"
    label = "bench"
    _conn = None  # one per process, opened at the first send (after the pool forked)

    def address(self, user) -> str | None:
        return user.username

    def send(self, *, user, address, messages, digest):
        import psycopg

        if RecordingChannel._conn is None:
            RecordingChannel._conn = psycopg.connect(os.environ["BENCH_SENT_DSN"], autocommit=True)
        worker = os.environ.get("BENCH_WORKER", "?")
        with RecordingChannel._conn.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {SENT_TABLE} (ref, worker) VALUES (%s, %s)",  # noqa: S608
                [(m.ref, worker) for m in messages],
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=300, help="due requests per round (~3.4 messages each)"
    )
    parser.add_argument("--workers", default="1,2", help="worker processes per round, e.g. 1,2")
    parser.add_argument("--concurrency", type=int, default=1, help="pool processes per worker")
    parser.add_argument("--today", default="2026-11-16")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for a drain")
    args = parser.parse_args()
    rounds = [int(n) for n in args.workers.split(",") if n.strip()]

    # The bench publishes for real, onto a queue of its own, through the recording channel.
    queue = f"bench-drain-{uuid.uuid4().hex[:8]}"
    os.environ.update(
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_TASK_DEFAULT_QUEUE=queue,
        NOTIFICATION_CHANNELS=CHANNEL,
        NOTIFICATION_DEFAULT_MODES="bench=immediate",
    )
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        print("reminders_drain: skipped, needs PostgreSQL (DATABASE_URL) for separate workers")
        return 0
    broker = settings.CELERY_BROKER_URL
    client = redis.Redis.from_url(broker)
    try:
        client.ping()
    except redis.RedisError as exc:
        print(f"reminders_drain: skipped, Redis at {broker} is not reachable: {exc}")
        return 0

    # SIGTERM (make interrupted, a CI timeout) runs the finally blocks that stop the workers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    old_name = connection.settings_dict["NAME"]
    started_all = time.perf_counter()
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    duplicates = 0
    logs = Path(tempfile.mkdtemp(prefix="reminders-drain-"))
    finished = False  # the worker logs are kept only when something went wrong
    try:
        db = connection.settings_dict
        dsn = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{test_name}"
        )
        os.environ["BENCH_SENT_DSN"] = dsn
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE {SENT_TABLE} (id bigserial PRIMARY KEY, ref text NOT NULL,"
                " worker text NOT NULL, sent_at timestamptz NOT NULL DEFAULT clock_timestamp())"
            )
        print(f"database: {test_name}  broker: {broker}  queue: {queue}")
        from bench.sweep import Organisation

        org = Organisation(dt.date.fromisoformat(args.today))
        env = {
            **os.environ,
            "DATABASE_URL": dsn,
            "CELERY_BROKER_URL": broker,
            "NOTIFICATION_RETRY_BASE_SECONDS": "1",
        }
        results = {}
        for n, workers in enumerate(rounds, start=1):
            org.grow_to(n * args.requests, args.requests)
            results[workers] = drain_round(
                workers=workers,
                args=args,
                env=env,
                client=client,
                queue=queue,
                logs=logs,
                label=f"round {n}",
            )
            duplicates += results[workers]["duplicates"]
        if 1 in results and len(results) > 1:
            base = results[1]["rate"]
            for workers, result in results.items():
                if workers != 1 and base:
                    print(f"{workers} workers vs 1: {result['rate'] / base:.2f}x the messages/s")
        print(f"duplicates in all rounds: {duplicates}")
        finished = not duplicates
    finally:
        if finished:
            shutil.rmtree(logs, ignore_errors=True)
        else:
            print(f"worker logs kept in {logs}")
        names = (queue, f"{queue}-idle")
        client.delete(
            *names,
            *(f"_kombu.binding{kind}.{name}" for kind in ("", "_permanent") for name in names),
        )
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"reminders_drain total: {time.perf_counter() - started_all:,.1f} s")
    return 1 if duplicates else 0


def drain_round(*, workers, args, env, client, queue, logs, label) -> dict:
    from django.db import connection

    from notifications.models import Delivery
    from notifications.tasks import sweep_deadlines

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {SENT_TABLE}")  # noqa: S608
        sent_before = cursor.fetchone()[0]
    pending_before = Delivery.objects.filter(status=Delivery.Status.PENDING).count()
    started = time.perf_counter()
    summary = sweep_deadlines(args.today)  # the beat task's body, publishing for real
    sweep_seconds = time.perf_counter() - started
    messages = client.llen(queue)
    expected = Delivery.objects.filter(status=Delivery.Status.PENDING).count() - pending_before
    print(
        f"== {label}: {workers} worker(s) x {args.concurrency} process(es); "
        f"sweep {sweep_seconds:,.1f} s: {summary['steps']:,} steps, "
        f"{summary['notifications']:,} notifications, {messages:,} messages on the queue"
    )
    names = [f"drain{i}-{uuid.uuid4().hex[:6]}@bench" for i in range(1, workers + 1)]
    procs: list[subprocess.Popen] = []
    try:
        for name in names:
            procs.append(start_worker(name, env, queue, args.concurrency, logs))
        for name, proc in zip(names, procs, strict=True):
            wait_ready(proc, logs / f"{name}.log")
        from config.celery_app import app

        started = time.perf_counter()
        app.control.add_consumer(queue, destination=names)
        deadline = started + args.timeout
        while True:
            pending = Delivery.objects.filter(status=Delivery.Status.PENDING).count()
            if pending == 0 and client.llen(queue) == 0:
                break
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{pending} deliveries still pending after {args.timeout} s")
            if any(proc.poll() is not None for proc in procs):
                raise RuntimeError(f"a worker exited; see the logs in {logs}")
            time.sleep(0.1)
        wall = time.perf_counter() - started
        time.sleep(1.0)  # room for a late duplicate to show up, if there were one
    finally:
        for proc in procs:
            stop_worker(proc)

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT worker, count(*), min(sent_at), max(sent_at) FROM {SENT_TABLE}"  # noqa: S608
            " WHERE id > %s GROUP BY worker ORDER BY worker",
            [sent_before],
        )
        per_worker = cursor.fetchall()
    sends = sum(row[1] for row in per_worker)
    span = (
        (max(row[3] for row in per_worker) - min(row[2] for row in per_worker)).total_seconds()
        if per_worker
        else 0.0
    )
    dupes = count_duplicates()
    rate = sends / wall if wall else 0.0
    print(
        f"drained {sends:,} sends of {expected:,} deliveries in {wall:,.2f} s wall: "
        f"{rate:,.0f} messages/s (first to last send {span:,.2f} s)"
    )
    print("per worker: " + ", ".join(f"{w.split('-')[0]} {c:,}" for w, c, *_ in per_worker))
    print(
        "duplicates (from the database): "
        + ", ".join(f"{name} {count}" for name, count in dupes.items())
    )
    return {"rate": rate, "duplicates": sum(dupes.values())}


def count_duplicates() -> dict[str, int]:
    """Rows beyond the first for each key that must be unique (over every round so far)."""
    checks = {
        "alerts": (
            "notifications_deadlinealert",
            "subject_key, deadline, due_on, kind, step",
        ),
        "notifications": ("notifications_notification", "alert_id, recipient_id"),
        "deliveries": ("notifications_delivery", "notification_id, channel"),
        "sends": (SENT_TABLE, "ref"),
    }
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for name, (table, key) in checks.items():
            cursor.execute(
                f"SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM {table}"  # noqa: S608
                f" GROUP BY {key} HAVING count(*) > 1) AS d"
            )
            counts[name] = int(cursor.fetchone()[0])
    return counts


def start_worker(name: str, env: dict, queue: str, concurrency: int, logs: Path):
    """`celery worker` in its own process group (so a stop takes the pool children too),
    listening to an idle queue until told to consume the real one."""
    log = open(logs / f"{name}.log", "wb")  # noqa: SIM115 - handed to the child
    try:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config.celery_app",
                "worker",
                "-l",
                "warning",
                "-P",
                "prefork",
                "-c",
                str(concurrency),
                "-n",
                name,
                "-Q",
                f"{queue}-idle",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
            ],  # fmt: skip
            cwd=BASE_DIR,
            env={**env, "BENCH_WORKER": name},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        log.close()


def wait_ready(proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    from config.celery_app import app

    name = log.stem
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"worker {name} exited:\n{log.read_text(errors='replace')[-2000:]}")
        if app.control.ping(destination=[name], timeout=0.5):
            return
    raise TimeoutError(f"worker {name} not ready after {timeout} s; see {log}")


def stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    sys.exit(main())
