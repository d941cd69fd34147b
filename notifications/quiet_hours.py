"""When a channel may reach someone. Staff SMS keeps to working time (STAFF_SMS_QUIET_HOURS on
working days of the calendar: a message made on Friday evening waits for the next working
morning, which after a holiday or a 调休 week-end the calendar decides); applicants' SMS keeps
off the night (APPLICANT_SMS_QUIET_HOURS, every day). E-mail has no hours: it waits in the inbox.

A window is "HH:MM-HH:MM", the quiet time; it may cross midnight ("18:00-08:30"). Empty: never
quiet.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

LOOKAHEAD_DAYS = 60  # longer than any run of non-working days (春节 with its 调休 is 9)


@dataclass(frozen=True)
class Window:
    start: dt.time
    end: dt.time

    def contains(self, moment: dt.time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end  # across midnight


def parse_window(text: str) -> Window | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        start, end = (dt.time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"quiet hours must read HH:MM-HH:MM, not {text!r}") from exc
    return Window(start, end)


def _first_open(day: dt.date, window: Window | None) -> dt.time:
    """The first moment of `day` outside the window."""
    midnight = dt.time(0, 0)
    return window.end if window and window.contains(midnight) else midnight


def held_until(*, now: dt.datetime, window: Window | None, calendar=None) -> dt.datetime | None:
    """None when a message may go at `now`; else the first moment after it when it may: outside
    `window` and, with a `calendar` (workflow.workdays.WorkCalendar), on a working day."""
    local = timezone.localtime(now)

    def open_day(day: dt.date) -> bool:
        return calendar is None or calendar.is_workday(day)

    if open_day(local.date()) and not (window and window.contains(local.time())):
        return None
    if open_day(local.date()) and window and local.time() < window.end:
        # Quiet now, open again later today (early morning of a working day).
        if window.start > window.end or local.time() >= window.start:
            return timezone.make_aware(dt.datetime.combine(local.date(), window.end))
    for offset in range(1, LOOKAHEAD_DAYS + 1):
        day = local.date() + dt.timedelta(days=offset)
        if open_day(day):
            return timezone.make_aware(dt.datetime.combine(day, _first_open(day, window)))
    raise RuntimeError(f"no working day within {LOOKAHEAD_DAYS} days of {local.date()}")
