"""Deadline cases across 2025-2026 holidays and make-up days (Regulation Art. 33; the State
Council's holiday notices as carried by chinesecalendar), and 2027 with and without admin data."""

import datetime as dt

import pytest
from django.core.management import call_command

from workflow.models import CalendarDay, CalendarYear
from workflow.workdays import DayKind, WorkCalendar

D = dt.date

CASES = [
    # (case, start, n, pauses, expected due)
    ("ordinary weeks", D(2026, 3, 2), 20, [], D(2026, 3, 30)),
    ("start date never counts", D(2026, 3, 2), 1, [], D(2026, 3, 3)),
    ("zero days is the start date", D(2026, 3, 2), 0, [], D(2026, 3, 2)),
    # Spring Festival 2026: holiday 02-15..02-23, make-up Saturdays 02-14 and 02-28.
    ("Spring Festival 2026", D(2026, 2, 10), 20, [], D(2026, 3, 16)),
    ("make-up Saturday counts", D(2026, 2, 13), 1, [], D(2026, 2, 14)),
    ("second make-up Saturday", D(2026, 2, 27), 1, [], D(2026, 2, 28)),
    # Spring Festival 2025: holiday 01-28..02-04, make-up 01-26 (Sun) and 02-08 (Sat).
    ("Spring Festival 2025", D(2025, 1, 20), 20, [], D(2025, 2, 21)),
    # National Day 2025: 10-01..10-08 holiday, make-up 09-28 (Sun) and 10-11 (Sat).
    ("National Day 2025", D(2025, 9, 26), 20, [], D(2025, 10, 30)),
    ("National Day 2026", D(2026, 9, 30), 20, [], D(2026, 11, 3)),
    ("received on a holiday", D(2026, 10, 3), 20, [], D(2026, 11, 3)),
    ("received on a weekend", D(2026, 3, 7), 20, [], D(2026, 4, 3)),
    ("received on a make-up Saturday", D(2026, 2, 14), 1, [], D(2026, 2, 24)),
    # Without a pause 2026-09-21 + 20 is 10-26 (Mid-Autumn 09-25..27 and National Day skipped).
    # A consultation from 09-28 to 10-12 pauses six working days (09-29, 09-30, 10-08, 10-09,
    # the make-up Saturday 10-10, and 10-12), so the deadline moves six working days later.
    ("no pause (baseline)", D(2026, 9, 21), 20, [], D(2026, 10, 26)),
    (
        "pause spanning a holiday",
        D(2026, 9, 21),
        20,
        [(D(2026, 9, 28), D(2026, 10, 12))],
        D(2026, 11, 3),
    ),
    ("extension: 20 + 20 working days", D(2026, 9, 30), 40, [], D(2026, 12, 1)),
    # 2027 has no notice yet: its statutory holiday 元旦 (Fri 01-01) is still not counted.
    ("into 2027 without confirmed data", D(2026, 12, 10), 20, [], D(2027, 1, 8)),
]


@pytest.mark.parametrize(("case", "start", "n", "pauses", "due"), CASES, ids=[c[0] for c in CASES])
def test_deadline_table(case, start, n, pauses, due):
    deadline = WorkCalendar().count_forward(start, n, pauses)
    assert deadline.due == due
    assert len(deadline.counted) == n
    assert start not in deadline.counted


def test_days_are_explained_with_their_reason():
    deadline = WorkCalendar().count_forward(D(2026, 9, 30), 20)
    kinds = {(s.first, s.last, s.kind, s.name) for s in deadline.stretches}
    assert (D(2026, 10, 1), D(2026, 10, 7), DayKind.HOLIDAY, "国庆节") in kinds
    assert (D(2026, 10, 10), D(2026, 10, 10), DayKind.MAKEUP, "国庆节") in kinds
    assert not deadline.unconfirmed


def test_a_year_without_data_is_marked_unconfirmed_but_keeps_its_statutory_holidays():
    deadline = WorkCalendar().count_forward(D(2026, 12, 10), 20)
    assert deadline.unconfirmed_years == {2027}
    # 2027-01-01 is a Friday: without the notice it is still 元旦, a statutory holiday.
    assert D(2027, 1, 1) not in deadline.counted
    new_year = WorkCalendar().day(D(2027, 1, 1))
    assert (new_year.kind, new_year.name, new_year.confirmed) == (
        DayKind.UNCONFIRMED_HOLIDAY,
        "元旦",
        False,
    )
    assert any("2027" in line for line in deadline.explanation())


@pytest.mark.django_db
def test_admin_entered_2027_data_is_used_once_confirmed():
    year = CalendarYear.objects.create(year=2027, confirmed=False)
    CalendarDay.objects.create(calendar_year=year, date=D(2027, 1, 1), kind="holiday", name="元旦")
    # Say the notice also gave Monday 01-04 off and made Saturday 01-09 a working day.
    CalendarDay.objects.create(calendar_year=year, date=D(2027, 1, 4), kind="holiday", name="元旦")
    CalendarDay.objects.create(calendar_year=year, date=D(2027, 1, 9), kind="workday", name="元旦")
    # Entered but not yet confirmed: statutory holidays only (01-01), still flagged.
    draft = WorkCalendar.load().count_forward(D(2026, 12, 10), 20)
    assert draft.due == D(2027, 1, 8) and draft.unconfirmed

    year.confirmed = True
    year.save()
    # Confirmed: 12-11 .. 12-31 is 15 working days, 01-01 and 01-04 off, 01-05..08 (19), the
    # make-up Saturday 01-09 (20).
    deadline = WorkCalendar.load().count_forward(D(2026, 12, 10), 20)
    assert deadline.due == D(2027, 1, 9)
    assert not deadline.unconfirmed


@pytest.mark.django_db
def test_admin_days_override_the_package():
    year = CalendarYear.objects.create(year=2026, confirmed=True)
    # Say the notice had made Saturday 2026-03-07 a working day.
    CalendarDay.objects.create(calendar_year=year, date=D(2026, 3, 7), kind="workday", name="测试")
    assert WorkCalendar.load().count_forward(D(2026, 3, 6), 1).due == D(2026, 3, 7)


@pytest.mark.django_db
def test_open_pause_stops_the_clock():
    deadline = WorkCalendar().count_forward(D(2026, 9, 1), 20, [(D(2026, 9, 10), None)])
    assert deadline.due is None
    assert deadline.paused_since == D(2026, 9, 10)
    assert deadline.remaining == 13


@pytest.mark.django_db
def test_workdays_command_prints_the_due_date_then_why(capsys):
    call_command("workdays", "due", "2026-09-30", "20", "--lang", "en")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2026-11-03"
    assert any("2026-10-01 – 2026-10-07" in line and "国庆节" in line for line in lines)
    assert any(line.startswith("2026-10-10") and "counted" in line for line in lines)


@pytest.mark.django_db
def test_workdays_command_speaks_chinese_by_default(capsys):
    call_command("workdays", "due", "2026-12-10", "20")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2027-01-08"
    assert any("2027" in line and "未确认" in line for line in lines)
