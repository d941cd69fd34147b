"""Benchmark: working-day arithmetic, due-date computations per second.

    .venv/bin/python bench/workdays.py                                   # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/benchB .venv/bin/python bench/workdays.py
    .venv/bin/python bench/workdays.py --count 50000 --years 2024-2027

It creates a throw-away database (Django's test database), enters a confirmed calendar year for
the year after the last one `chinesecalendar` carries (its holidays and make-up days as
CalendarDay rows, so the administrators' override path is counted too), and times on --count
random dates over --years:

- load: `WorkCalendar.load()` alone (two queries), per call.
- first due date: one computation on a new calendar object (empty per-day cache, load not
  timed), averaged over --loads dates: the cost of the first call.
- due date: `count_forward(received, 20)`, the statutory deadline of a request
  (`request_deadline` with no pause and no extension). Cold is the first pass on a freshly
  loaded calendar (every day classified once, from chinesecalendar or the overrides); warm is a
  second pass on the same calendar (its per-day cache filled). "load + due date" is a fresh
  `WorkCalendar.load()` for every computation, as `request_deadline(request)` does when the
  caller passes no calendar.
- due date with a pause: `count_forward` with one 10-day consultation pause (Arts. 32, 34).
- overdue working days: `count_between(due, today)` for due dates 0 to 60 days back, as the
  supervisor dashboard and the deadline sweep count them (cold and warm as above).

It prints computations per second and microseconds per computation; it asserts nothing.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

TIME_LIMIT = 20  # Regulation Art. 33: 20 working days from receipt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000, help="computations per measurement")
    parser.add_argument("--years", default="2024-2027", help="range of the random start dates")
    parser.add_argument("--loads", type=int, default=500, help="calendar loads to time")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workflow.workdays import WorkCalendar

    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        entered = enter_confirmed_year()
        first, last = (int(y) for y in args.years.split("-"))
        rng = random.Random(args.seed)
        start, days = dt.date(first, 1, 1), (dt.date(last, 12, 31) - dt.date(first, 1, 1)).days
        dates = [start + dt.timedelta(days=rng.randrange(days)) for _ in range(args.count)]
        today = dt.date(last, 6, 30)
        past_dues = [today - dt.timedelta(days=rng.randrange(61)) for _ in range(args.count)]
        print(f"database: {connection.vendor} ({test_name})")
        print(
            f"calendar: confirmed year {entered[0]} entered with {entered[1]} CalendarDay rows; "
            f"{args.count:,} random dates in {first}-{last}"
        )

        with CaptureQueriesContext(connection) as queries:
            WorkCalendar.load()
        started = time.perf_counter()
        for _ in range(args.loads):
            WorkCalendar.load()
        load_s = (time.perf_counter() - started) / args.loads

        results = [("WorkCalendar.load()", args.loads, load_s, f"{len(queries)} queries each")]

        loaded = WorkCalendar.load()
        firsts = dates[: args.loads]
        results.append(
            timed(
                "first due date on a fresh calendar",
                firsts,
                # A new object with the loaded rows: the day cache is empty, the load not timed.
                lambda d: due(WorkCalendar(loaded.overrides, loaded.confirmed_years), d),
            )
        )
        calendar = WorkCalendar.load()
        results.append(timed("due date, cold calendar", dates, lambda d: due(calendar, d)))
        results.append(timed("due date, warm", dates, lambda d: due(calendar, d)))
        few = dates[: max(1, args.count // 20)]
        results.append(
            timed("load + due date (request_deadline)", few, lambda d: due(WorkCalendar.load(), d))
        )
        results.append(
            timed(
                "due date with a 10-day pause, warm",
                dates,
                lambda d: (
                    calendar.count_forward(
                        d, TIME_LIMIT, [(d + dt.timedelta(days=3), d + dt.timedelta(days=13))]
                    ).due
                ),
            )
        )
        fresh = WorkCalendar.load()
        results.append(
            timed(
                "overdue working days, cold",
                past_dues,
                lambda d: fresh.count_between(d, today),
            )
        )
        results.append(
            timed("overdue working days, warm", past_dues, lambda d: fresh.count_between(d, today))
        )

        print()
        header = f"{'computation':<40} {'count':>8} {'per second':>12} {'us each':>9}  note"
        print(header)
        print("-" * len(header))
        for label, count, seconds_each, note in results:
            print(
                f"{label:<40} {count:>8,} {1 / seconds_each:>12,.0f} "
                f"{seconds_each * 1e6:>9.1f}  {note}"
            )
        print(
            "(cold: first pass on a freshly loaded calendar; warm: the same dates again on it; "
            "load + due date uses 1/20 of the dates)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def due(calendar, received: dt.date) -> dt.date:
    return calendar.count_forward(received, TIME_LIMIT).due


def timed(label, dates, compute) -> tuple[str, int, float, str]:
    started = time.perf_counter()
    for date in dates:
        compute(date)
    elapsed = time.perf_counter() - started
    return label, len(dates), elapsed / len(dates), ""


def enter_confirmed_year() -> tuple[int, int]:
    """The year after chinesecalendar's last, confirmed by an administrator: 11 statutory holiday
    days and 3 make-up working days, about what a State Council notice holds."""
    import chinese_calendar

    from workflow.models import CalendarDay, CalendarYear

    year = max(d.year for d in chinese_calendar.holidays) + 1
    calendar_year = CalendarYear.objects.create(year=year, confirmed=True, source="基准")
    holidays = [dt.date(year, 1, 1)]
    holidays += [dt.date(year, 2, 10) + dt.timedelta(days=i) for i in range(3)]
    holidays += [dt.date(year, 5, 1), dt.date(year, 6, 9)]
    holidays += [dt.date(year, 10, 1) + dt.timedelta(days=i) for i in range(5)]
    makeups = [dt.date(year, 2, 6), dt.date(year, 9, 26), dt.date(year, 10, 9)]
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(calendar_year=calendar_year, date=d, kind="holiday", name="节假日")
            for d in holidays
        ]
        + [
            CalendarDay(calendar_year=calendar_year, date=d, kind="workday", name="调休")
            for d in makeups
        ]
    )
    return year, len(holidays) + len(makeups)


if __name__ == "__main__":
    main()
