"""Benchmark: the deadline sweep over many open requests of which few are due.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/sweep.py
    .venv/bin/python bench/sweep.py --requests 20000 --due 200     # SQLite, smaller

It creates a throw-away database (Django's test database, `test_<name>`), fills it with
--requests open requests in 20 units, --due of them within the reminder horizon or overdue,
and prints: the time and query count of the first sweep (which records every step and tells
people) and of a second sweep on the same day (nothing new: the steady state every few minutes),
and the query plan of the read of due requests. It prints numbers; it asserts nothing.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--today", default="2026-11-16")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from notifications import channels

    # In-app only: the bench measures the sweep, not e-mail sending or the broker.
    settings.NOTIFICATION_CHANNELS = {}
    channels.reset()
    from django.test.utils import CaptureQueriesContext

    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        today = dt.date.fromisoformat(args.today)
        populate(args.requests, args.due, today)
        from notifications.sweep import deadlines_sweep

        print(f"database: {connection.vendor} ({test_name})")
        print(f"open requests: {args.requests:,}  due within the horizon or overdue: {args.due:,}")
        for label in ("first sweep (records and tells)", "second sweep (steady state)"):
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = deadlines_sweep(today=today)
                elapsed = time.perf_counter() - started
            print(
                f"{label}: {elapsed * 1000:,.1f} ms, {len(queries):,} queries, "
                f"{result.due:,} due read, {result.steps:,} steps recorded, "
                f"{result.notifications:,} notifications"
            )
        print_plan(today)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def populate(total: int, due: int, today: dt.date) -> None:
    from django.contrib.auth import get_user_model

    from workflow.models import DisclosureRequest, District, Position, Role, Section, Unit
    from workflow.workdays import WorkCalendar

    district = District.objects.create(name="基准区", code="B01")
    units = [
        Unit.objects.create(district=district, name=f"局{i:02d}", code=f"B{i:02d}")
        for i in range(20)
    ]
    users = get_user_model().objects
    for unit in units:
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
    far = calendar.count_forward(today, 15).due
    # Due requests: spread from 9 working days overdue to 5 working days ahead.
    near = [calendar.count_forward(today - dt.timedelta(days=14), n).due for n in range(15)]
    rows = []
    for i in range(total):
        unit = units[i % len(units)]
        rows.append(
            DisclosureRequest(
                tracking_code=f"B{i:09d}",
                receiving_unit=unit,
                handling_unit=unit,
                channel="in_person",
                submitted_on=today - dt.timedelta(days=20),
                received_on=today - dt.timedelta(days=20),
                applicant_kind="natural_person",
                applicant_name="申请人",
                phone="13800000000",
                description="基准测试申请",
                status=DisclosureRequest.Status.IN_PROGRESS,
                stage=DisclosureRequest.Stage.DRAFTING,
                due_on=near[i % len(near)] if i < due else far + dt.timedelta(days=i % 60),
            )
        )
        if len(rows) == 5000:
            DisclosureRequest.objects.bulk_create(rows)
            rows = []
    DisclosureRequest.objects.bulk_create(rows)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would have them


def print_plan(today: dt.date) -> None:
    from notifications.sweep import REQUEST_ACTIVE
    from workflow.models import DisclosureRequest
    from workflow.workdays import WorkCalendar

    horizon = WorkCalendar.load().count_forward(today, 5).due
    query = (
        DisclosureRequest.objects.filter(status__in=REQUEST_ACTIVE, due_on__lte=horizon)
        .order_by()
        .values("pk", "due_on")
    )
    print("plan of the due-request read:")
    for line in query.explain().splitlines():
        print(f"  {line}")


if __name__ == "__main__":
    main()
