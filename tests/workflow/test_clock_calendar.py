"""Issue 21, the clock (1): a year without the State Council's notice still counts the statutory
holidays of 《全国年节及纪念日放假办法》 (from the `holidays` package), its dates stay marked
unconfirmed, and every deadline (requests, referrals, countersignatures) is recomputed from its own
start, and audited, when an administrator enters the year. Dates are counted by hand below."""

import datetime as dt

import chinese_calendar
import pytest
import time_machine
from django.utils import translation

from audit.models import AuditEntry
from review.models import Countersign, Referral
from review.services import countersign_unit_name
from workflow.models import CalendarDay, CalendarYear
from workflow.services.calendar_changes import calendar_changed
from workflow.statutory_holidays import statutory_holidays
from workflow.workdays import DayKind, WorkCalendar

D = dt.date


def _at(day: dt.date):
    """Travel to 10:00 Beijing time on `day` (02:00 UTC)."""
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 2, tzinfo=dt.UTC), tick=False
    )


# --- the law's days, from the library -----------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_library_gives_the_2024_revisions_days_that_the_official_notices_kept(year):
    """Where both know the year, each statutory day of the library is a holiday of the State
    Council's notice as chinesecalendar carries it, under the same festival's name, and the
    2024 revision's 13 days are all there: 元旦 1, 春节 4, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3."""
    days = statutory_holidays(year)
    names = {"元旦": "New Year's Day", "春节": "Spring Festival", "清明节": "Tomb-sweeping Day"}
    names |= {"劳动节": "Labour Day", "端午节": "Dragon Boat Festival"}
    names |= {"中秋节": "Mid-autumn Festival", "国庆节": "National Day"}
    for date, name in days.items():
        on_holiday, official = chinese_calendar.get_holiday_detail(date)
        assert on_holiday and official == names[name], (date, name, official)
    counts = {name: list(days.values()).count(name) for name in names}
    assert counts == {
        "元旦": 1,
        "春节": 4,
        "清明节": 1,
        "劳动节": 2,
        "端午节": 1,
        "中秋节": 1,
        "国庆节": 3,
    }


def test_the_library_computes_the_lunar_festivals_of_2027():
    days = statutory_holidays(2027)
    # 除夕 is Fri 02-05 and 正月初一 Sat 02-06 in 2027; 清明 Mon 04-05; 端午 (五月初五) Wed 06-09;
    # 中秋 (八月十五) Wed 09-15.
    assert sorted(d for d, n in days.items() if n == "春节") == [
        D(2027, 2, 5),
        D(2027, 2, 6),
        D(2027, 2, 7),
        D(2027, 2, 8),
    ]
    assert days[D(2027, 4, 5)] == "清明节"
    assert days[D(2027, 5, 1)] == days[D(2027, 5, 2)] == "劳动节"
    assert days[D(2027, 6, 9)] == "端午节"
    assert days[D(2027, 9, 15)] == "中秋节"
    assert len(days) == 13
    # Before 2025 the earlier version: 春节 is 正月初一至初三 only, 劳动节 1 May only.
    before = statutory_holidays(2024)
    assert list(before.values()).count("春节") == 3 and D(2024, 5, 2) not in before


# --- counting an unconfirmed year ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "due", "holiday"),
    [
        # Mon 2027-01-25 + 20: 01-26..29 (4), 02-01..04 (8), 春节 02-05 (Fri) and 02-08 (Mon)
        # not counted, 02-09..12 (12), 02-15..19 (17), 02-22..24 (20). Monday to Friday alone
        # would have given 02-22.
        (D(2027, 1, 25), D(2027, 2, 24), "春节"),
        # Fri 2027-09-24 + 20: 09-27..30 (4), 国庆 10-01 (Fri) not counted, 10-04..08 (9),
        # 10-11..15 (14), 10-18..22 (19), 10-25 (20). Monday to Friday: 10-22.
        (D(2027, 9, 24), D(2027, 10, 25), "国庆节"),
        # Fri 2027-09-10 + 20: 09-13, 09-14 (2), 中秋 09-15 (Wed) not counted, 09-16, 09-17 (4),
        # 09-20..24 (9), 09-27..30 (13), 10-01 国庆, 10-04..08 (18), 10-11, 10-12 (20).
        (D(2027, 9, 10), D(2027, 10, 12), "中秋节"),
    ],
)
def test_an_unconfirmed_year_skips_its_statutory_holidays_and_says_so(start, due, holiday):
    deadline = WorkCalendar().count_forward(start, 20)
    assert deadline.due == due
    assert deadline.unconfirmed_years == {2027}
    skipped = [s for s in deadline.stretches if s.kind == DayKind.UNCONFIRMED_HOLIDAY]
    assert any(s.name == holiday for s in skipped)
    with translation.override("en"):
        lines = deadline.explanation()
    assert any(holiday in line and "not entered yet" in line for line in lines)
    assert any("statutory holidays are counted" in line for line in lines)


# --- requests, referrals and countersignatures when the year is entered --------------------------


def _enter_2027(actor, days):
    """An administrator enters the State Council's notice for 2027 (the days beyond the statutory
    holidays) and confirms the year."""
    year = CalendarYear.objects.create(year=2027, confirmed=True, source="国办发明电〔2026〕测试")
    for date, kind in days:
        CalendarDay.objects.create(calendar_year=year, date=date, kind=kind, name="春节")
    return calendar_changed(actor=actor, calendar_year=year)


@pytest.mark.django_db
def test_requests_across_spring_festival_and_national_day_2027_are_recomputed_and_audited(org, req):
    request = req.register(received=D(2027, 1, 25))
    across_national_day = req.register(
        received=D(2027, 9, 24), applicant_name="李四", id_number="110101199003071234"
    )
    # Counted above: 02-24 and 10-25, both marked unconfirmed.
    assert (request.due_on, request.calendar_unconfirmed) == (D(2027, 2, 24), True)
    assert (across_national_day.due_on, across_national_day.calendar_unconfirmed) == (
        D(2027, 10, 25),
        True,
    )

    # The notice makes Saturday 02-20 a working day (调休).
    assert _enter_2027(org.users.supervisor, [(D(2027, 2, 20), "workday")]) == 2
    request.refresh_from_db()
    # 01-26..29 (4), 02-01..04 (8), 02-05 and 02-08 off, 02-09..12 (12), 02-15..19 (17), the
    # make-up Saturday 02-20 (18), 02-22 (19), 02-23 (20).
    assert (request.due_on, request.calendar_unconfirmed) == (D(2027, 2, 23), False)
    change = AuditEntry.objects.filter(
        subject_id=str(request.pk), action="request.clock.calendar_changed"
    ).get()
    assert (change.old_state, change.new_state) == ("2027-02-24", "2027-02-23")
    assert change.data["old_due_on"] == "2027-02-24" and change.data["new_due_on"] == "2027-02-23"
    assert change.actor == org.users.supervisor
    # National Day: the same date, now confirmed, and the change of mark is on record too.
    across_national_day.refresh_from_db()
    assert (across_national_day.due_on, across_national_day.calendar_unconfirmed) == (
        D(2027, 10, 25),
        False,
    )
    assert (
        AuditEntry.objects.filter(
            subject_id=str(across_national_day.pk), action="request.clock.calendar_changed"
        )
        .get()
        .data["calendar_unconfirmed"]
        is False
    )


@pytest.mark.django_db
def test_referral_and_countersign_dates_are_recomputed_from_their_own_start(
    org, make_item, flow_steps
):
    u = org.users
    with _at(D(2027, 1, 27)):
        referred = make_item(title="涉密存疑事项")
        flow_steps.submit(referred)
        flow_steps.review(referred, "refer", comment="是否属于国家秘密？")
    referral = Referral.objects.get(item=referred)
    # Wed 2027-01-27 + 10: 01-28, 01-29, 02-01..04 (6), 春节 02-05 and 02-08 off, 02-09..12 (10).
    assert (referral.asked_on, referral.time_limit, referral.due_on) == (
        D(2027, 1, 27),
        10,
        D(2027, 2, 12),
    )
    with _at(D(2027, 2, 2)):
        named = make_item(title="需会签事项")
        countersign_unit_name(item=named, user=u.drafter, unit=org.edu)
        flow_steps.submit(named)
        flow_steps.review(named, "pass")
    countersign = Countersign.objects.get(item=named, status=Countersign.Status.PENDING)
    # Tue 2027-02-02 + 5: 02-03, 02-04 (2), 02-05 and 02-08 off, 02-09..11 (5).
    assert (countersign.asked_on, countersign.time_limit, countersign.due_on) == (
        D(2027, 2, 2),
        5,
        D(2027, 2, 11),
    )

    # The notice gives Tuesday 02-09 off (补假 for the 春节 days on the weekend).
    with _at(D(2027, 2, 3)):
        _enter_2027(u.supervisor, [(D(2027, 2, 9), "holiday")])
    referral.refresh_from_db()
    countersign.refresh_from_db()
    # From 01-27, with 02-09 off too: 01-28, 01-29, 02-01..04 (6), 02-10..12 (9), 02-15 (10).
    # (Counted from the day of the edit, 02-03, it would have been 02-22.)
    assert referral.due_on == D(2027, 2, 15)
    # From 02-02: 02-03, 02-04 (2), 02-10..12 (5). (From 02-03 it would have been 02-15.)
    assert countersign.due_on == D(2027, 2, 12)
    moved = sorted(
        (entry.action, entry.old_state, entry.new_state)
        for entry in AuditEntry.objects.filter(action__endswith="due_changed")
    )
    assert moved == [
        ("review.countersign.due_changed", "2027-02-11", "2027-02-12"),
        ("review.referral.due_changed", "2027-02-12", "2027-02-15"),
        # The items' own Art. 26 dates, from the day each was formed (20 working days):
        # formed 01-27: 02-26 before, 03-01 with 02-09 off; formed 02-02: 03-04, then 03-05.
        ("workflow.item.publication_due_changed", "2027-02-26", "2027-03-01"),
        ("workflow.item.publication_due_changed", "2027-03-04", "2027-03-05"),
    ]
