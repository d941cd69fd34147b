"""`manage.py workdays due 2026-09-30 20`: the due date (ISO, first line), then why."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from workflow.workdays import WorkCalendar


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not an ISO date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = (
        "Working-day arithmetic on the official calendar (chinesecalendar + admin-entered years)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="the N-th working day after START, with the explanation")
        due.add_argument("start", type=_date)
        due.add_argument("n", type=int)
        due.add_argument("--lang", default=settings.LANGUAGE_CODE, help="zh-hans (default) or en")

    def handle(self, *args, action, start, n, lang, **options):
        if n < 0:
            raise CommandError("n must be zero or more")
        with translation.override(lang):
            deadline = WorkCalendar.load().count_forward(start, n)
            self.stdout.write(deadline.due.isoformat())
            for line in deadline.explanation():
                self.stdout.write(line)
