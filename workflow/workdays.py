"""Official Chinese working days and statutory deadlines counted on them.

Sources, in order: the administrators' confirmed calendar years (CalendarDay rows override single
dates), then `chinesecalendar` (State Council notices 2004 onwards), then the statutory holidays of
《全国年节及纪念日放假办法》 (`statutory_holidays`, from the `holidays` package). A year whose
notice neither the administrators nor chinesecalendar carry is *unconfirmed*: its statutory
holidays are counted, but its make-up working days (调休) and days in lieu (补假) are not known, so
every such day, and every deadline reaching into the year, is marked unconfirmed: a forecast must
never pass for the law's date.

Counting is strict (Regulation Art. 33: "自收到申请之日起20个工作日内"): the start date never counts,
and the deadline of N working days is the N-th working day after it. Days inside a pause (a
consultation under Art. 33 ¶3) are not counted either.
"""

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

import chinese_calendar
from chinese_calendar.constants import Holiday
from django.utils.translation import gettext as _

from .statutory_holidays import statutory_holidays

ZH_HOLIDAY_NAMES = {holiday.value: holiday.chinese for holiday in Holiday}
# A safety net for corrupt input (a pause that never ends is handled before counting).
MAX_DAYS_SCANNED = 3660


class DayKind(StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP = "makeup"  # a weekend day made a working day (调休上班)
    UNCONFIRMED_WORKDAY = "unconfirmed_workday"
    UNCONFIRMED_WEEKEND = "unconfirmed_weekend"
    # A statutory holiday in a year whose notice is not entered: certainly no working day, but
    # the notice may still add days in lieu or make-up working days around it.
    UNCONFIRMED_HOLIDAY = "unconfirmed_holiday"


UNCONFIRMED_KINDS = {
    DayKind.UNCONFIRMED_WORKDAY,
    DayKind.UNCONFIRMED_WEEKEND,
    DayKind.UNCONFIRMED_HOLIDAY,
}


WORKING_KINDS = {DayKind.WORKDAY, DayKind.MAKEUP, DayKind.UNCONFIRMED_WORKDAY}


@dataclass(frozen=True)
class Day:
    date: dt.date
    kind: DayKind
    name: str = ""  # the holiday a holiday or make-up day belongs to, in Chinese

    @property
    def working(self) -> bool:
        return self.kind in WORKING_KINDS

    @property
    def confirmed(self) -> bool:
        return self.kind not in UNCONFIRMED_KINDS


class WorkCalendar:
    """Answers "is this a working day, and why" for any date. Build one per computation with
    `WorkCalendar.load()` (two small queries); the object itself never touches the database."""

    def __init__(
        self,
        overrides: dict[dt.date, tuple[str, str]] | None = None,
        confirmed_years: Iterable[int] = (),
    ):
        self.overrides = overrides or {}
        self.confirmed_years = set(confirmed_years)
        self._days: dict[dt.date, Day] = {}

    @classmethod
    def load(cls) -> "WorkCalendar":
        # Every new item and request computes a due date: one fixed statement (workflow.sqlrows).
        rows = _calendar_days().read_all([])
        confirmed = {year for _day, (year,) in rows}
        overrides = {
            day.date: (day.kind, day.name) for (day,), _year in rows if day.date is not None
        }
        return cls(overrides, confirmed)

    def year_confirmed(self, year: int) -> bool:
        return year in self.confirmed_years or year in _package_years()

    def day(self, date: dt.date) -> Day:
        # Sweeps ask about the same few weeks for thousands of deadlines: remember the answers.
        known = self._days.get(date)
        if known is None:
            known = self._days[date] = self._classify(date)
        return known

    def _classify(self, date: dt.date) -> Day:
        weekend = date.weekday() >= 5
        if date in self.overrides:
            kind, name = self.overrides[date]
            return Day(date, DayKind.HOLIDAY if kind == "holiday" else _workday_kind(weekend), name)
        if date.year in _package_years():
            on_holiday, name = chinese_calendar.get_holiday_detail(date)
            zh_name = ZH_HOLIDAY_NAMES.get(name, name or "")
            if on_holiday:
                return Day(date, DayKind.HOLIDAY if name else DayKind.WEEKEND, zh_name)
            return Day(date, _workday_kind(weekend), zh_name if weekend else "")
        statutory = statutory_holidays(date.year).get(date)
        if date.year in self.confirmed_years:
            # The administrators entered the notice's arrangement (the overrides above); the
            # statutory holidays themselves are the law's and need not be entered again.
            if statutory:
                return Day(date, DayKind.HOLIDAY, statutory)
            return Day(date, DayKind.WEEKEND if weekend else DayKind.WORKDAY)
        if statutory:
            return Day(date, DayKind.UNCONFIRMED_HOLIDAY, statutory)
        return Day(date, DayKind.UNCONFIRMED_WEEKEND if weekend else DayKind.UNCONFIRMED_WORKDAY)

    def is_workday(self, date: dt.date) -> bool:
        return self.day(date).working

    def count_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many remain from `start` until `end`, or, read the
        other way round, how many working days `end` lies past a deadline `start`. Zero when
        `end` is not after `start`."""
        count = 0
        date = start
        while date < end:
            date += dt.timedelta(days=1)
            if self.day(date).working:
                count += 1
        return count

    def count_forward(
        self,
        start: dt.date,
        n: int,
        pauses: Iterable[tuple[dt.date, dt.date | None]] = (),
    ) -> "Deadline":
        """The N-th working day after `start`, skipping days paused in (pause_start, pause_end].

        An open pause (no end) stops the clock: the deadline has no date until it ends, and
        `remaining` says how many working days are left.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        pauses = sorted(pauses, key=lambda p: p[0])
        deadline = Deadline(start=start, days=n)
        counted = 0
        date = start
        for _step in range(MAX_DAYS_SCANNED):
            if counted >= n:
                deadline.due = date
                return deadline
            date += dt.timedelta(days=1)
            day = self.day(date)
            if not day.confirmed:
                deadline.unconfirmed_years.add(date.year)
            pause = next(
                (p for p in pauses if p[0] < date and (p[1] is None or date <= p[1])), None
            )
            if pause is not None:
                if pause[1] is None:
                    deadline.paused_since = pause[0]
                    deadline.remaining = n - counted
                    return deadline
                deadline.note(day, paused=True)
                continue
            if day.working:
                counted += 1
                deadline.counted.append(date)
                if day.kind == DayKind.MAKEUP:
                    deadline.note(day)
            else:
                deadline.note(day)
        raise ValueError("deadline beyond the scanned range")


def _workday_kind(weekend: bool) -> DayKind:
    return DayKind.MAKEUP if weekend else DayKind.WORKDAY


@functools.cache
def _package_years() -> frozenset[int]:
    """Years the installed chinesecalendar carries the State Council's notice for."""
    return frozenset(d.year for d in chinese_calendar.holidays)


@dataclass
class Stretch:
    """Consecutive days that share one explanation, e.g. 2026-10-01 to 2026-10-08, 国庆节."""

    first: dt.date
    last: dt.date
    kind: DayKind
    name: str
    paused: bool = False

    @property
    def counted(self) -> bool:
        return not self.paused and self.kind in WORKING_KINDS

    @property
    def reason(self) -> str:
        if self.paused:
            return _("clock paused (consultation, Regulation Art. 33 ¶3): not counted")
        return {
            DayKind.WEEKEND: _("weekend: not counted"),
            DayKind.HOLIDAY: _("public holiday %(name)s: not counted"),
            DayKind.MAKEUP: _("make-up working day for %(name)s (调休): counted"),
            DayKind.UNCONFIRMED_WEEKEND: _(
                "weekend, calendar for this year not confirmed: not counted"
            ),
            DayKind.UNCONFIRMED_HOLIDAY: _(
                "statutory holiday %(name)s (全国年节及纪念日放假办法): not counted; this "
                "year's holiday notice (调休, 补假) is not entered yet"
            ),
        }.get(self.kind, "") % {"name": self.name}

    @property
    def span(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


@dataclass
class Deadline:
    start: dt.date
    days: int
    due: dt.date | None = None
    counted: list[dt.date] = field(default_factory=list)
    stretches: list[Stretch] = field(default_factory=list)
    unconfirmed_years: set[int] = field(default_factory=set)
    paused_since: dt.date | None = None
    remaining: int | None = None
    # A later date set in the request's own right (Art. 35: a reasonable later date for an
    # excessive request with good reasons), with the counted date it replaced.
    deferred_from: dt.date | None = None

    def defer(self, to: dt.date | None) -> "Deadline":
        """The same deadline, due on `to` when that is later than the counted date."""
        if to is not None and self.due is not None and to > self.due:
            self.deferred_from, self.due = self.due, to
        return self

    @property
    def unconfirmed(self) -> bool:
        return bool(self.unconfirmed_years)

    def note(self, day: Day, *, paused: bool = False) -> None:
        last = self.stretches[-1] if self.stretches else None
        if (
            last is not None
            and last.last + dt.timedelta(days=1) == day.date
            and last.paused == paused
            and (paused or (last.kind == day.kind and last.name == day.name))
        ):
            last.last = day.date
            return
        self.stretches.append(Stretch(day.date, day.date, day.kind, day.name, paused))

    def explanation(self) -> list[str]:
        """Plain lines for people: the start, every skipped stretch and make-up day, the result."""
        lines = [
            _("Start date %(start)s is not counted; counting starts the next day.")
            % {"start": self.start.isoformat()}
        ]
        lines += [f"{stretch.span}: {stretch.reason}" for stretch in self.stretches]
        if self.unconfirmed:
            lines.append(
                _(
                    "Calendar unconfirmed for %(years)s: the statutory holidays are counted, but "
                    "the State Council's arrangement for the year (make-up working days 调休, "
                    "days in lieu 补假) is not known until an administrator enters its notice, "
                    "so this date may still move."
                )
                % {"years": ", ".join(str(y) for y in sorted(self.unconfirmed_years))}
            )
        if self.deferred_from is not None and self.due is not None:
            lines.append(
                _("Working day %(n)s after the start date is %(due)s.")
                % {"n": self.days, "due": self.deferred_from.isoformat()}
            )
            lines.append(
                _(
                    "The reasons given for this request were found reasonable but it cannot be "
                    "answered in that time: the agency set %(date)s as a reasonable later date "
                    "and told the applicant (Art. 35)."
                )
                % {"date": self.due.isoformat()}
            )
        elif self.due is not None:
            lines.append(
                _("Working day %(n)s after the start date is %(due)s.")
                % {"n": self.days, "due": self.due.isoformat()}
            )
        else:
            lines.append(
                _("Clock paused since %(since)s with %(left)s working days left.")
                % {"since": self.paused_since.isoformat(), "left": self.remaining}
            )
        return lines


@functools.cache
def _calendar_days():
    """The confirmed years, each with its listed days (a year without any gives one row of
    NULLs, so that the year is still known as confirmed)."""
    from .models import CalendarDay, CalendarYear
    from .sqlrows import Part, RowReader

    return RowReader(
        [Part(CalendarDay, "d")],
        f"FROM {CalendarYear._meta.db_table} y"
        f" LEFT JOIN {CalendarDay._meta.db_table} d ON d.calendar_year_id = y.id"
        " WHERE y.confirmed",
        extras=["y.year"],
    )
