"""Monthly numbers for the trend charts and the export (three grouped queries)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, DateField, F, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from workflow.models import DisclosureRequest, Item

from .scope import Scope

TREND_MONTHS = 12


# --- trends --------------------------------------------------------------------------------


@dataclass
class MonthRow:
    month: dt.date  # the first day of the month
    received: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    published: int = 0

    @property
    def label(self) -> str:
        return self.month.strftime("%Y-%m")

    @property
    def answered(self) -> int:
        return self.answered_on_time + self.answered_late


def trend_months(today: dt.date, count: int = TREND_MONTHS) -> list[dt.date]:
    """First days of the last `count` months, ending with the current one."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _month_key(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def trends(scope: Scope) -> list[MonthRow]:
    """Requests received, requests answered on time and late, items published, per month for the
    last TREND_MONTHS months (two grouped queries, each an index-only scan of an index of workflow
    migration 0010)."""
    months = trend_months(scope.today)
    rows = {m: MonthRow(m) for m in months}
    start = months[0]
    end = (months[-1] + dt.timedelta(days=32)).replace(day=1)
    # Received and answered in one pass over the requests: grouped by (month received, month
    # answered), a few dozen groups, then added up here. The day received is the receipt date,
    # or the submission date where receipt is not set. Its range is written on the columns
    # rather than on COALESCE(...), whose selectivity the planner cannot estimate (it then
    # expects a few hundred rows, sorts tens of thousands on disk and groups them sorted).
    late = Q(due_on__isnull=False, answered_on__gt=F("due_on"))
    requests = (
        DisclosureRequest.objects.filter(receiving_unit_id__in=scope.unit_ids)
        .filter(
            Q(received_on__gte=start, received_on__lt=end)
            | Q(received_on__isnull=True, submitted_on__gte=start, submitted_on__lt=end)
            | Q(answered_on__gte=start, answered_on__lt=end)
        )
        .annotate(day=Coalesce("received_on", "submitted_on", output_field=DateField()))
        .order_by()
        .values(received=TruncMonth("day"), answered=TruncMonth("answered_on"))
        .annotate(n=Count("pk"), late=Count("pk", filter=late))
    )
    for r in requests:
        if row := rows.get(_month_key(r["received"])):
            row.received += r["n"]
        if r["answered"] is not None and (row := rows.get(_month_key(r["answered"]))):
            row.answered_on_time += r["n"] - r["late"]
            row.answered_late += r["late"]
    tz = timezone.get_current_timezone()
    published = (
        Item.objects.filter(
            unit_id__in=scope.unit_ids,
            published_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            published_at__lt=dt.datetime.combine(end, dt.time.min, tzinfo=tz),
        )
        .order_by()
        .values(month=TruncMonth("published_at"))
        .annotate(n=Count("pk"))
    )
    for r in published:
        if row := rows.get(_month_key(r["month"])):
            row.published = r["n"]
    return list(rows.values())
