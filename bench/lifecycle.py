"""Benchmark: full proactive-disclosure lifecycles per second on PostgreSQL, against two floors.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/lifecycle.py
    ... bench/lifecycle.py --lifecycles 500 --warmup 20 --show-sql

It creates a throw-away database (Django's test database, `test_<name>`; PostgreSQL only) and
runs three variants of the same lifecycle, each with 1 process and with 2 processes at once:

  ours   draft -> confidentiality review (pass) -> section-scope approval -> published, through
         the service layer as the tests drive it (item_create, item_submit, review_decide,
         approval_decide; the approval publishes at once). Users' object grants are forgotten
         before each step, as every web request loads them afresh. Audit rows, permission
         checks, index numbers and the outbox rows of notification jobs are all written; the
         jobs are handed to the Redis broker (REDIS_URL) after each commit, as in production,
         on a queue of the bench's own that no worker reads; the notifications themselves are
         Celery workers' work, not counted here (the last lines say how many jobs there were).
  bare   the same shape with django-viewflow 2.4 alone (bench/bareflow: start -> review View ->
         If -> approval View -> publish Function -> end, select_for_update_lock, base Process with
         a JSON `data`), driven as viewflow's task views do: start the process; then for each
         human task, under the flow lock, assign it, then start and execute it.
  floor  the same rows left by `bare` written through psycopg directly, in the same 5
         transactions, each later one taking the same FOR UPDATE lock on the process row.

Finding the id of the next task (what a user's inbox does) is not counted, for any variant, but
its time is in the wall time. With 2 processes each process runs --lifecycles lifecycles (so twice
the work in total) on its own connection, and both start measuring at once, after both have set
up and warmed up; lifecycles/s is the total over the wall time of the slower one. The lifecycles are split over --rounds rounds; in each round every variant runs once,
a different one first each time, so drift during the run (other work on the machine, a fresh
database's statistics) falls on all of them alike; figures are totals over the rounds. Each run
first does --warmup lifecycles that are not measured (the working-day calendar, content types,
the flow graph and our fixed SQL are then loaded).

Per lifecycle it prints:
  statements  SQL statements sent (Django's execute wrapper; SAVEPOINTs included; an
              executemany counts once)
  commits     transactions that wrote: calls of connection.commit() plus write statements run in
              autocommit mode (each is its own transaction)
  rows        rows written: the sum of cursor.rowcount over INSERT, UPDATE and DELETE statements
              (for an executemany psycopg 3 gives the total over all parameter sets)
  ms          wall time per lifecycle (1 process) or wall time / lifecycles (2 processes)
  CPU ms      CPU time per lifecycle of the client process (Python, psycopg) + of the PostgreSQL
              backend serving it (from /proc; the server runs on this machine). Steadier than
              wall time when other work shares the machine.
and the ratios of lifecycles/s between the variants. It prints numbers; it asserts nothing.
"""

import argparse
import logging
import multiprocessing
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Always ours: the bare flow's app is installed only here.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
COMMIT = re.compile(r";\s*COMMIT\s*;?\s*$", re.IGNORECASE)
VARIANTS = ("ours", "bare", "floor")


class Meter:
    """Counts what the database connection does while `on`; optionally keeps the SQL."""

    def __init__(self, keep_sql: bool = False):
        self.on = False
        self.keep_sql = keep_sql
        self.statements = self.commits = self.rows = 0
        self.sql: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if self.on:
            self.statements += 1
            if COMMIT.search(sql):
                # A whole transaction sent as one query (notifications.dispatch._mark_sent): its
                # commit and the rows of each of its results count.
                self.commits += 1
                cursor = context["cursor"]
                while True:
                    status = (cursor.statusmessage or "").split()
                    if status and status[0] in ("INSERT", "UPDATE", "DELETE"):
                        self.rows += int(status[-1])
                    if not cursor.nextset():
                        break
            elif WRITE.match(sql):
                rowcount = context["cursor"].rowcount
                self.rows += max(rowcount, 0)
                if not context["connection"].in_atomic_block:
                    self.commits += 1
            if self.keep_sql:
                self.sql.append(sql)
        return result

    def install(self, connection) -> None:
        connection.execute_wrappers.append(self)
        commit = connection.commit

        def counted_commit():
            if self.on:
                self.commits += 1
            return commit()

        connection.commit = counted_commit

    def uninstall(self, connection) -> None:
        connection.execute_wrappers.remove(self)
        del connection.commit


# --- ours ---------------------------------------------------------------------------------------


def ours_setup(tag: str) -> dict:
    from django.contrib.auth import get_user_model

    from workflow.models import Category, District, Section, Unit
    from workflow.services.organisation import position_assign

    district, _ = District.objects.get_or_create(code="B01", defaults={"name": "基准区"})
    unit = Unit.objects.create(district=district, name=f"民政局{tag}", code=f"MZ{tag}")
    section = Section.objects.create(unit=unit, name="社会救助科")
    category, _ = Category.objects.get_or_create(name="社会救助")
    users = get_user_model().objects

    def person(role, section=None):
        user = users.create(username=f"{role}-{tag}")
        position_assign(user=user, unit=unit, section=section, role=role)
        return user

    return {
        "section": section,
        "category": category,
        "drafter": person("drafter", section),
        "reviewer": person("reviewer"),
        "head": person("section_head", section),
    }


def next_task_id(process_id: int, name: str) -> int:
    from viewflow.workflow.models import Task

    return next(
        t.pk
        for t in Task.objects.filter(process_id=process_id, status="NEW").order_by("-pk")
        if t.flow_task.name == name
    )


def ours_lifecycle(ctx: dict, meter: Meter, n: int) -> None:
    from review.permissions import forget_cached_grants
    from review.services import review_decide
    from workflow.services.approvals import approval_decide
    from workflow.services.items import item_create, item_submit

    drafter, reviewer, head = ctx["drafter"], ctx["reviewer"], ctx["head"]
    meter.on = True
    forget_cached_grants(drafter)
    item = item_create(
        author=drafter,
        section=ctx["section"],
        title=f"2026年城乡低保标准调整的通知（{n}）",
        summary="低保标准调整",
        body="根据省民政厅通知，自2026年1月起调整城乡最低生活保障标准。",
        category=ctx["category"],
        attribute="proactive",
        scope="section",
    )
    forget_cached_grants(drafter)
    process = item_submit(item=item, user=drafter)
    meter.on = False
    task_id = next_task_id(process.pk, "review")
    meter.on = True
    forget_cached_grants(reviewer)
    review_decide(task_id=task_id, user=reviewer, outcome="pass")
    meter.on = False
    task_id = next_task_id(process.pk, "approve_section")
    meter.on = True
    forget_cached_grants(head)
    approval_decide(task_id=task_id, user=head, approve=True)
    meter.on = False


def ours_check(ctx: dict) -> str:
    from workflow.models import Item

    published = Item.objects.filter(author=ctx["drafter"], status=Item.Status.PUBLISHED).count()
    return f"{published} published"


# --- bare viewflow ------------------------------------------------------------------------------


def bare_setup(tag: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    perm = Permission.objects.get(content_type__app_label="auth", codename="view_group")
    users = get_user_model().objects
    ctx = {"tag": tag}
    for role in ("reviewer", "approver"):
        user = users.create(username=f"bare-{role}-{tag}")
        user.user_permissions.add(perm)
        ctx[role] = user
    return ctx


def _forget_perms(user) -> None:
    # ModelBackend caches permissions on the user object; a request starts without them.
    for name in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(name, None)


def _bare_complete(process_id: int, task_id: int, user, data: dict | None = None) -> None:
    """What viewflow's AssignTaskView and then the task's UpdateProcessView do on POST (the URL
    carries both ids; wrap_task_view takes the lock, then reads the task)."""
    from django.db import transaction
    from viewflow.workflow.models import Task

    from bench.bareflow.flows import BareFlow

    for step in ("assign", "execute"):
        _forget_perms(user)
        with BareFlow.lock(process_id), transaction.atomic():
            task = Task.objects.get(pk=task_id)
            flow_task = task.flow_task
            activation = flow_task.activation_class(task)
            if step == "assign":
                if not flow_task.can_assign(user, task):
                    raise PermissionError(task)
                activation.assign(user)
            else:
                if not flow_task.can_execute(user, task):
                    raise PermissionError(task)
                activation.start(None)
                if data:
                    process = activation.process
                    process.data = {**process.data, **data}
                    process.save(update_fields=["data"])
                activation.execute()


def bare_lifecycle(ctx: dict, meter: Meter, n: int) -> None:
    from django.db.models.signals import post_save
    from viewflow.workflow.models import Task

    from bench.bareflow.flows import BareFlow

    # Our notification hook listens to every viewflow Task; viewflow alone has no such hook.
    post_save.disconnect(sender=Task, dispatch_uid="notifications.task_created")
    meter.on = True
    process = BareFlow.start.run(title=f"bare {ctx['tag']} {n}")
    meter.on = False
    task_id = next_task_id(process.pk, "review")
    meter.on = True
    _bare_complete(process.pk, task_id, ctx["reviewer"], {"review": "pass"})
    meter.on = False
    task_id = next_task_id(process.pk, "approve")
    meter.on = True
    _bare_complete(process.pk, task_id, ctx["approver"])
    meter.on = False
    from notifications.signals import _task_saved

    post_save.connect(_task_saved, sender=Task, dispatch_uid="notifications.task_created")


def bare_check(ctx: dict) -> str:
    from viewflow.workflow.models import Process

    from bench.bareflow.flows import BareFlow

    done = Process.objects.filter(
        flow_class=BareFlow,
        status="DONE",
        data__published=True,
        data__title__startswith=f"bare {ctx['tag']} ",
    )
    return f"{done.count()} done and published"


# --- raw SQL floor ------------------------------------------------------------------------------

FLOW = "bench.bareflow.flows.BareFlow"


class RawMeter:
    def __init__(self, conn, meter: Meter):
        self.conn, self.meter = conn, meter

    def run(self, sql: str, params=()):
        cursor = self.conn.execute(sql, params)
        if self.meter.on:
            self.meter.statements += 1
            if WRITE.match(sql):
                self.meter.rows += max(cursor.rowcount, 0)
        return cursor

    def commit(self) -> None:
        self.conn.commit()
        if self.meter.on:
            self.meter.commits += 1


def floor_setup(tag: str) -> dict:
    import psycopg
    from django.contrib.auth import get_user_model
    from django.db import connection

    settings = connection.settings_dict
    conn = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    users = get_user_model().objects
    return {
        "tag": tag,
        "conn": conn,
        "reviewer": users.create(username=f"floor-reviewer-{tag}").pk,
        "approver": users.create(username=f"floor-approver-{tag}").pk,
    }


def floor_lifecycle(ctx: dict, meter: Meter, n: int) -> None:
    import json

    db = RawMeter(ctx["conn"], meter)

    def task(process_id, node, status, owner=None, previous=None, done=True):
        task_id = db.run(
            "INSERT INTO viewflow_task (flow_task, flow_task_type, status, created, started,"
            " finished, process_id, owner_id, owner_permission, data, token)"
            " VALUES (%s, %s, %s, now(), now(), CASE WHEN %s THEN now() END, %s, %s, %s,"
            " '{}', 'start') RETURNING id",
            (
                f"{FLOW}.{node}",
                "HUMAN" if node in ("review", "approve") else "JOB",
                status,
                done,
                process_id,
                owner,
                "auth.view_group" if node in ("review", "approve") else "",
            ),
        ).fetchone()[0]
        if previous:
            db.run(
                "INSERT INTO viewflow_task_previous (from_task_id, to_task_id) VALUES (%s, %s)",
                (task_id, previous),
            )
        return task_id

    def lock(process_id):
        db.run("SELECT id FROM viewflow_process WHERE id = %s FOR UPDATE NOWAIT", (process_id,))

    meter.on = True
    process_id = db.run(
        "INSERT INTO viewflow_process (flow_class, status, created, data)"
        " VALUES (%s, 'NEW', now(), %s) RETURNING id",
        (FLOW, json.dumps({"title": f"floor {ctx['tag']} {n}"})),
    ).fetchone()[0]
    start = task(process_id, "start", "DONE")
    review = task(process_id, "review", "NEW", previous=start, done=False)
    db.commit()

    def lock_and_finish(owner: int, task_id: int) -> None:
        # Two transactions, as assign and execute are two POSTs, each under the process lock.
        lock(process_id)
        db.run(
            "UPDATE viewflow_task SET owner_id = %s, status = 'ASSIGNED' WHERE id = %s",
            (owner, task_id),
        )
        db.commit()
        lock(process_id)
        db.run(
            "UPDATE viewflow_task SET status = 'DONE', started = now(), finished = now()"
            " WHERE id = %s",
            (task_id,),
        )

    lock_and_finish(ctx["reviewer"], review)
    db.run(
        'UPDATE viewflow_process SET data = data || \'{"review": "pass"}\'::jsonb WHERE id = %s',
        (process_id,),
    )
    route = task(process_id, "route", "DONE", previous=review)
    approve = task(process_id, "approve", "NEW", previous=route, done=False)
    db.commit()
    lock_and_finish(ctx["approver"], approve)
    publish = task(process_id, "publish", "DONE", previous=approve)
    task(process_id, "end", "DONE", previous=publish)
    db.run(
        "UPDATE viewflow_process SET status = 'DONE', finished = now(),"
        " data = data || '{\"published\": true}'::jsonb WHERE id = %s",
        (process_id,),
    )
    db.commit()
    meter.on = False


def floor_check(ctx: dict) -> str:
    count = (
        ctx["conn"]
        .execute(
            "SELECT count(*) FROM viewflow_process WHERE flow_class = %s AND status = 'DONE'"
            " AND data ? 'published' AND data ->> 'title' LIKE %s",
            (FLOW, f"floor {ctx['tag']} %"),
        )
        .fetchone()[0]
    )
    ctx["conn"].commit()
    return f"{count} done and published"


# --- driver -------------------------------------------------------------------------------------

SETUP = {"ours": ours_setup, "bare": bare_setup, "floor": floor_setup}
LIFECYCLE = {"ours": ours_lifecycle, "bare": bare_lifecycle, "floor": floor_lifecycle}
CHECK = {"ours": ours_check, "bare": bare_check, "floor": floor_check}


def worker(
    variant: str, tag: str, lifecycles: int, warmup: int, keep_sql: bool, out, start=None
) -> None:
    from django.db import connection

    meter = Meter(keep_sql=keep_sql)
    meter.install(connection)
    ctx = SETUP[variant](tag)
    for i in range(warmup):
        LIFECYCLE[variant](ctx, meter, -i - 1)
    if start is not None:
        # Processes start measuring together: otherwise one process's measured lifecycles would
        # share the machine with the other's set-up and warm-up, which differ between variants.
        start.wait()
    meter.statements = meter.commits = meter.rows = 0
    meter.sql = []
    first_sql: list[str] = []
    backend = _backend_pid(variant, ctx)
    cpu_started, db_cpu_started = time.process_time(), _backend_cpu(backend)
    started = time.perf_counter()
    durations = []
    for i in range(lifecycles):
        begun = time.perf_counter()
        LIFECYCLE[variant](ctx, meter, i)
        durations.append(time.perf_counter() - begun)
        if i == 0:
            first_sql, meter.sql, meter.keep_sql = meter.sql, [], False
    elapsed = time.perf_counter() - started
    cpu, db_cpu = time.process_time() - cpu_started, _backend_cpu(backend) - db_cpu_started
    result = {
        "cpu": cpu,
        "db_cpu": db_cpu,
        "elapsed": elapsed,
        "lifecycles": lifecycles,
        "statements": meter.statements,
        "commits": meter.commits,
        "rows": meter.rows,
        "check": CHECK[variant](ctx),
        "sql": first_sql,
        "durations": durations,
    }
    if "conn" in ctx:
        ctx["conn"].close()
    meter.uninstall(connection)
    connection.close()
    if out is None:
        return result
    out.put(result)
    return None


def _backend_pid(variant: str, ctx: dict) -> int:
    if variant == "floor":
        return ctx["conn"].info.backend_pid
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _backend_cpu(pid: int) -> float:
    """CPU seconds the PostgreSQL backend serving us has used (user + system), read from /proc:
    the server runs on this machine in the set-up we measure; NaN when it does not."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(variant: str, processes: int, lifecycles: int, warmup: int, keep_sql: bool, tag: str):
    """One measured run of `variant`: the raw totals, merged over rounds by `summarise`."""
    from django.db import connections

    if processes == 1:
        results = [worker(variant, f"{variant[0]}1{tag}", lifecycles, warmup, keep_sql, None)]
    else:
        # Children must not share the parent's socket: each opens its own connection.
        connections.close_all()
        ctx = multiprocessing.get_context("fork")
        queue = ctx.Queue()
        start = ctx.Barrier(processes)
        procs = [
            ctx.Process(
                target=worker,
                args=(variant, f"{variant[0]}2{k}{tag}", lifecycles, warmup, False, queue, start),
            )
            for k in range(processes)
        ]
        for proc in procs:
            proc.start()
        results = [queue.get() for _ in procs]
        for proc in procs:
            proc.join()
            if proc.exitcode:
                raise SystemExit(f"{variant} worker failed with exit code {proc.exitcode}")
    return {
        "lifecycles": sum(r["lifecycles"] for r in results),
        "wall": max(r["elapsed"] for r in results),
        **{key: sum(r[key] for r in results) for key in ("statements", "commits", "rows")},
        "cpu": sum(r["cpu"] for r in results),
        "db_cpu": sum(r["db_cpu"] for r in results),
        "check": "; ".join(r["check"] for r in results),
        "sql": results[0]["sql"],
        "durations": results[0]["durations"],
    }


def summarise(runs: list[dict]) -> dict:
    """Rounds of one variant and process count as one result (totals over the rounds)."""
    total = sum(r["lifecycles"] for r in runs)
    wall = sum(r["wall"] for r in runs)
    return {
        "lifecycles": total,
        "per_s": total / wall,
        "statements": sum(r["statements"] for r in runs) / total,
        "commits": sum(r["commits"] for r in runs) / total,
        "rows": sum(r["rows"] for r in runs) / total,
        "ms": wall * 1000 / total,
        "cpu_ms": sum(r["cpu"] for r in runs) * 1000 / total,
        "db_cpu_ms": sum(r["db_cpu"] for r in runs) * 1000 / total,
        "check": "; ".join(r["check"] for r in runs),
        "sql": next((r["sql"] for r in runs if r["sql"]), []),
        "durations": [d for r in runs for d in r["durations"]],
    }


def shape(sql: str) -> str:
    """'INSERT viewflow_task', 'SELECT ... FOR UPDATE workflow_item', 'SAVEPOINT' ..."""
    text = sql.strip()
    verb = text.split(None, 1)[0].upper()
    if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK"):
        return verb
    if '"_check"' in text:
        return "SELECT constraint check (Model.full_clean)"
    pattern = {"INSERT": r"INTO\s+\"?(\w+)", "UPDATE": r"UPDATE\s+\"?(\w+)"}.get(
        verb, r"FROM\s+\"?(\w+)"
    )
    match = re.search(pattern, text, re.IGNORECASE)
    table = match.group(1) if match else "?"
    if verb == "SELECT" and "FOR UPDATE" in text.upper():
        verb = "SELECT FOR UPDATE"
    return f"{verb} {table}"


def profile(variant: str, lifecycles: int) -> None:
    import cProfile
    import pstats

    meter = Meter()
    ctx = SETUP[variant]("p")
    for i in range(3):
        LIFECYCLE[variant](ctx, meter, -i - 1)
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(lifecycles):
        LIFECYCLE[variant](ctx, meter, i)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifecycles", type=int, default=200, help="per process")
    parser.add_argument("--warmup", type=int, default=10, help="per process, not measured")
    parser.add_argument("--rounds", type=int, default=8, help="lifecycles are split over them")
    parser.add_argument("--show-sql", action="store_true", help="print one lifecycle's SQL")
    args = parser.parse_args()

    # As in production: a workflow step records its notification job in the outbox and hands it
    # to the broker after commit; a Celery worker runs it later, off the request's path. The jobs
    # go to a queue of their own (no worker listens on it), counted and dropped at the end.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = BENCH_QUEUE

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from notifications import channels

    if connection.vendor != "postgresql":
        raise SystemExit(
            "bench/lifecycle.py measures PostgreSQL (locks, commits, planner): "
            "set DATABASE_URL=postgres://user@host:5432/name"
        )
    # In-app only: the bench measures the lifecycle, not e-mail sending or the broker.
    settings.NOTIFICATION_CHANNELS = {}
    channels.reset()
    broker = _broker_queue_length()
    broker(drop=True)
    logging.getLogger("celery").setLevel(logging.WARNING)

    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(f"database: {connection.vendor} ({test_name})")
        print(
            f"lifecycles: {args.lifecycles} per process in {args.rounds} rounds, each after "
            f"{args.warmup} warm-up; 2 processes run that many each, concurrently"
        )
        # Rounds, each variant going first in turn: whatever drifts during a run (the machine's
        # other work, a fresh database's statistics) falls on all three alike.
        per_round = max(args.lifecycles // args.rounds, 1)
        runs: dict[tuple[str, int], list[dict]] = {}
        for processes in (1, 2):
            for round_no in range(args.rounds):
                first = round_no % len(VARIANTS)
                for variant in VARIANTS[first:] + VARIANTS[:first]:
                    keep_sql = processes == 1 and round_no == 0
                    result = run(
                        variant, processes, per_round, args.warmup, keep_sql, f"r{round_no}"
                    )
                    runs.setdefault((variant, processes), []).append(result)
        results = {(v, p): summarise(runs[v, p]) for p in (1, 2) for v in VARIANTS}
        for (variant, processes), result in results.items():
            print(f"  {variant} x{processes}: {result['check']}")
        report(results, args.show_sql)
        ours_runs = sum(r["lifecycles"] for (v, _), r in results.items() if v == "ours")
        warmups = args.rounds * 3 * args.warmup  # per round: 1 process, then 2
        print(
            f"notification jobs handed to the broker per lifecycle of ours: "
            f"{broker(drop=True) / (ours_runs + warmups):.1f} (each run later by a Celery worker: "
            "not in the figures above)"
        )
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    ratio = results["ours", 1]["per_s"] / results["bare", 1]["per_s"]
    print(f"lifecycle ratio vs bare viewflow: {ratio:.2f}")


BENCH_QUEUE = "bench-lifecycle"


def _broker_queue_length():
    """A function returning how many messages wait on the bench's queue (and dropping them)."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)

    def length(drop: bool = False) -> int:
        waiting = client.llen(BENCH_QUEUE)
        if drop:
            client.delete(BENCH_QUEUE)
        return waiting

    return length


def drift(durations: list[float]) -> str:
    """Mean ms of the first and the last tenth of one process's lifecycles: equal in a steady state."""
    tenth = max(len(durations) // 10, 1)
    first, last = durations[:tenth], durations[-tenth:]
    return f"{sum(first) * 1000 / len(first):.1f}/{sum(last) * 1000 / len(last):.1f}"


def report(results: dict, show_sql: bool) -> None:
    print()
    print(
        f"{'variant':<8}{'procs':>6}{'lifecycles':>11}{'lifecycles/s':>14}"
        f"{'statements':>12}{'commits':>9}{'rows':>7}{'ms/lifecycle':>14}"
        f"{'first/last 10%':>17}{'CPU ms py+db':>15}"
    )
    for (variant, processes), r in results.items():
        print(
            f"{variant:<8}{processes:>6}{r['lifecycles']:>11}{r['per_s']:>14.1f}"
            f"{r['statements']:>12.1f}{r['commits']:>9.1f}{r['rows']:>7.1f}{r['ms']:>14.2f}"
            f"{drift(r['durations']):>17}{r['cpu_ms']:>8.1f}+{r['db_cpu_ms']:<6.1f}"
        )
    print()
    for processes in (1, 2):
        per_s = {v: results[v, processes]["per_s"] for v in VARIANTS}
        print(
            f"ratios of lifecycles/s, {processes} process{'es' if processes > 1 else ''}: "
            f"ours/bare {per_s['ours'] / per_s['bare']:.2f}  "
            f"ours/floor {per_s['ours'] / per_s['floor']:.2f}  "
            f"bare/floor {per_s['bare'] / per_s['floor']:.2f}"
        )
    cpu = {v: results[v, 1]["cpu_ms"] + results[v, 1]["db_cpu_ms"] for v in VARIANTS}
    print(
        "CPU per lifecycle (client + PostgreSQL backend, 1 process; steadier than wall time on a "
        f"busy machine): ours {cpu['ours']:.1f} ms, bare {cpu['bare']:.1f} ms, "
        f"floor {cpu['floor']:.1f} ms; bare/ours {cpu['bare'] / cpu['ours']:.2f}"
    )
    print()
    ours, bare = (
        Counter(map(shape, results["ours", 1]["sql"])),
        Counter(map(shape, results["bare", 1]["sql"])),
    )
    print("statements of one lifecycle by verb and table (ours, bare viewflow, difference):")
    keys = sorted(set(ours) | set(bare), key=lambda k: (-(ours[k] - bare[k]), k))
    for key in keys:
        print(f"  {key:<52}{ours[key]:>5}{bare[key]:>5}{ours[key] - bare[key]:>+6}")
    if show_sql:
        for variant in ("ours", "bare"):
            print(f"\nSQL of one lifecycle, {variant}:")
            for sql in results[variant, 1]["sql"]:
                print(f"  {sql[:200]}")
    print()


if __name__ == "__main__":
    main()
