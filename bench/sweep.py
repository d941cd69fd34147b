"""Benchmark: the deadline sweep over many open requests of which few are due.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/sweep.py
    .venv/bin/python bench/sweep.py --sizes 20000 --due 200     # SQLite, smaller

It creates a throw-away database (Django's test database, `test_<name>`) and, for each of
--sizes (default 100,000 and 1,000,000 open requests on PostgreSQL, 100,000 on SQLite), brings the
number of open requests in 20 units up to that size with --due of them within the reminder horizon
or overdue (new rows each time; the earlier size's due rows are moved past the horizon, so every
size sweeps --due fresh subjects). For each size it prints the time and query count of the first
sweep (which records every step and tells people) and of a second sweep on the same day (nothing
new: the steady state every few minutes), then the ratio between the sizes and the query plan of
the read of due requests at the largest size. The sweep's cost should follow the due rows, not
the open ones. It prints numbers; it asserts nothing.

On PostgreSQL the rows are written with one INSERT ... SELECT generate_series per size (1,000,000
rows in well under a minute); elsewhere with bulk_create.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

UNITS = 20
STEADY_RUNS = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="",
        help="comma-separated numbers of open requests, ascending "
        "(default 100000,1000000 on PostgreSQL, 100000 elsewhere)",
    )
    parser.add_argument("--requests", type=int, help="one size only (same as --sizes N)")
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--today", default="2026-11-16")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction

    from notifications import channels

    # In-app only: the bench measures the sweep, not e-mail sending or the broker.
    settings.NOTIFICATION_CHANNELS = {}
    channels.reset()
    if args.requests:
        sizes = [args.requests]
    elif args.sizes:
        sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    else:
        sizes = [100_000, 1_000_000] if connection.vendor == "postgresql" else [100_000]

    old_name = connection.settings_dict["NAME"]
    started_all = time.perf_counter()
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from notifications.sweep import deadlines_sweep

        today = dt.date.fromisoformat(args.today)
        org = Organisation(today)
        print(f"database: {connection.vendor} ({test_name})")
        results = {}
        for size in sizes:
            started = time.perf_counter()
            org.grow_to(size, args.due)
            print(
                f"== open requests: {size:,}  due within the horizon or overdue: {args.due:,}  "
                f"(rows written in {time.perf_counter() - started:,.1f} s)"
            )
            # Warm-up, rolled back: imports, URL resolver and translations are loaded once, so
            # the first size does not pay for them in its first sweep.
            with transaction.atomic():
                deadlines_sweep(today=today)
                transaction.set_rollback(True)
            first = timed_sweep(today)
            report("first sweep (records and tells)", *first)
            # The steady state: the same day again, nothing new. Median of STEADY_RUNS.
            steady = sorted((timed_sweep(today) for _ in range(STEADY_RUNS)), key=lambda r: r[0])
            report(
                f"second sweep (steady state, median of {STEADY_RUNS})", *steady[len(steady) // 2]
            )
            results[size] = (first, steady[len(steady) // 2])
        if len(sizes) > 1:
            small, large = sizes[0], sizes[-1]
            for index, label in ((0, "first sweep"), (1, "steady-state sweep")):
                (t0, q0, _), (t1, q1, _) = results[small][index], results[large][index]
                print(
                    f"{label} at {large:,} vs {small:,} open ({large / small:g}x the rows): "
                    f"time {t1 / t0:.2f}x, queries {q1:,} vs {q0:,}"
                )
        print_plan(today, sizes[-1])
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"sweep bench total: {time.perf_counter() - started_all:,.1f} s")


def timed_sweep(today: dt.date) -> tuple:
    """(seconds, SQL statements, result) of one sweep. Statements are counted by an execute
    wrapper: CaptureQueriesContext stops at 9,000."""
    from django.db import connection

    from notifications.sweep import deadlines_sweep

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = deadlines_sweep(today=today)
        elapsed = time.perf_counter() - started
    return elapsed, count, result


def report(label: str, elapsed: float, queries: int, result) -> None:
    print(
        f"{label}: {elapsed * 1000:,.1f} ms, {queries:,} queries, "
        f"{result.due:,} due read, {result.steps:,} steps recorded, "
        f"{result.notifications:,} notifications"
    )


class Organisation:
    """20 units with their people, and the open requests, grown size by size."""

    def __init__(self, today: dt.date):
        from django.contrib.auth import get_user_model

        from workflow.models import District, Position, Role, Section, Unit
        from workflow.workdays import WorkCalendar

        district = District.objects.create(name="基准区", code="B01")
        self.units = [
            Unit.objects.create(district=district, name=f"局{i:02d}", code=f"B{i:02d}")
            for i in range(UNITS)
        ]
        users = get_user_model().objects
        for unit in self.units:
            section = Section.objects.create(unit=unit, name="办公室")
            for role, where in (
                (Role.REQUEST_OFFICER, None),
                (Role.SECTION_HEAD, section),
                (Role.UNIT_HEAD, None),
            ):
                user = users.create(username=f"{unit.code}-{role}")
                Position.objects.create(user=user, unit=unit, section=where, role=role)
        office = Unit.objects.create(
            district=district, name="区政府办公室", code="BQZB", kind=Unit.Kind.DISTRICT_OFFICE
        )
        Position.objects.create(
            user=users.create(username="supervisor"), unit=office, role=Role.SUPERVISOR
        )
        calendar = WorkCalendar.load()
        self.today = today
        self.far = calendar.count_forward(today, 15).due
        # Due requests: spread from 9 working days overdue to 5 working days ahead.
        self.near = [
            calendar.count_forward(today - dt.timedelta(days=14), n).due for n in range(15)
        ]
        self.count = 0

    def grow_to(self, total: int, due: int) -> None:
        """Add requests up to `total`, the first `due` of the new ones due; earlier due ones are
        moved past the horizon (still open), so each size sweeps `due` subjects never seen."""
        from django.db import connection

        from workflow.models import DisclosureRequest

        if total <= self.count:
            raise SystemExit("--sizes must grow: each size adds rows to the previous one")
        DisclosureRequest.objects.filter(due_on__lt=self.far).update(due_on=self.far)
        if connection.vendor == "postgresql":
            self._insert_sql(self.count, total, due)
        else:
            self._insert_orm(self.count, total, due)
        self.count = total
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would have them

    def _row(self, i: int, start: int, due: int) -> dict:
        unit = self.units[i % UNITS]
        is_due = i < start + due
        return {
            "tracking_code": f"B{i:09d}",
            "receiving_unit_id": unit.pk,
            "handling_unit_id": unit.pk,
            "channel": "in_person",
            "submitted_on": self.today - dt.timedelta(days=20),
            "received_on": self.today - dt.timedelta(days=20),
            "applicant_kind": "natural_person",
            "applicant_name": "申请人",
            "phone": "13800000000",
            "description": "基准测试申请",
            "status": "in_progress",
            "stage": "drafting",
            "due_on": self.near[(i - start) % len(self.near)]
            if is_due
            else self.far + dt.timedelta(days=i % 60),
        }

    def _insert_orm(self, start: int, total: int, due: int) -> None:
        from workflow.models import DisclosureRequest

        rows = []
        for i in range(start, total):
            rows.append(DisclosureRequest(**self._row(i, start, due)))
            if len(rows) == 5000:
                DisclosureRequest.objects.bulk_create(rows)
                rows = []
        DisclosureRequest.objects.bulk_create(rows)

    def _insert_sql(self, start: int, total: int, due: int) -> None:
        """One INSERT ... SELECT over generate_series: the same rows as _insert_orm. Columns not
        set below take the model's default (or NULL), so a new field does not break it."""
        from django.db import DatabaseError, connection, transaction

        from workflow.models import DisclosureRequest

        sample = self._row(start, start, due)
        varying = {
            "tracking_code": "'B' || lpad(i::text, 9, '0')",
            "receiving_unit_id": f"(%(units)s::bigint[])[1 + i %% {UNITS}]",
            "handling_unit_id": f"(%(units)s::bigint[])[1 + i %% {UNITS}]",
            "due_on": "CASE WHEN i < %(due_end)s"
            f" THEN (%(near)s::date[])[1 + (i - %(start)s) %% {len(self.near)}]"
            " ELSE %(far)s::date + (i %% 60) END",
            "created_at": "now()",
            "updated_at": "now()",
        }
        columns, expressions, params = [], [], {}
        for field in DisclosureRequest._meta.concrete_fields:
            if field.primary_key:
                continue
            if field.column in varying:
                expression = varying[field.column]
            elif field.attname in sample:
                params[field.column] = field.get_db_prep_save(sample[field.attname], connection)
                expression = f"%({field.column})s"
            elif field.null:
                continue
            else:
                default = field.get_default()
                params[field.column] = field.get_db_prep_save(default, connection)
                expression = f"%({field.column})s"
            columns.append(connection.ops.quote_name(field.column))
            expressions.append(expression)
        params.update(
            units=[unit.pk for unit in self.units],
            near=self.near,
            far=self.far,
            due_end=start + due,
            start=start,
            end=total - 1,
        )
        table = connection.ops.quote_name(DisclosureRequest._meta.db_table)
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - names from the model
            f"SELECT {', '.join(expressions)} FROM generate_series(%(start)s, %(end)s) AS i"
        )
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                # The rows refer to units created above: skip the per-row foreign-key triggers
                # for this load (superuser only; about 40% of the insert time).
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute(sql, params)
        except DatabaseError:  # not a superuser: the same insert, with the checks
            with connection.cursor() as cursor:
                cursor.execute(sql, params)


def print_plan(today: dt.date, size: int) -> None:
    from django.db import connection

    from notifications.sweep import REQUEST_ACTIVE
    from workflow.models import DisclosureRequest
    from workflow.workdays import WorkCalendar

    horizon = WorkCalendar.load().count_forward(today, 5).due
    query = (
        DisclosureRequest.objects.filter(status__in=REQUEST_ACTIVE, due_on__lte=horizon)
        .order_by()
        .values("pk", "due_on")
    )
    options = {"analyze": True, "buffers": True} if connection.vendor == "postgresql" else {}
    print(f"plan of the due-request read at {size:,} open requests:")
    for line in query.explain(**options).splitlines():
        print(f"  {line}")


if __name__ == "__main__":
    main()
