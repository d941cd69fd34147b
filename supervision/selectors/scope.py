"""The supervisor's scope (districts, units, today, the calendar) and the validated filters."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from workflow.models import DisclosureRequest, Item, Unit
from workflow.services.request_clock import ITEM_OPEN_STATUSES
from workflow.workdays import WorkCalendar

from ..permissions import supervised_districts_or_404

AT_RISK_WORKDAYS = 3

REQUEST, ITEM = "request", "item"
KINDS = (REQUEST, ITEM)
# Request stages and open item statuses share one `stage` filter; their values do not overlap.
REQUEST_STAGES = [s for s in DisclosureRequest.Stage if s != DisclosureRequest.Stage.CLOSED]
ITEM_STAGES = [Item.Status(s) for s in ITEM_OPEN_STATUSES]
STAGE_KIND = {**{s.value: REQUEST for s in REQUEST_STAGES}, **{s.value: ITEM for s in ITEM_STAGES}}


# --- scope and filters ---------------------------------------------------------------------


@dataclass
class Scope:
    """Who looks, at which units, on which day, with which filters (already validated)."""

    district_ids: list[int]
    units: list[Unit]
    today: dt.date
    calendar: WorkCalendar
    at_risk_until: dt.date
    unit: Unit | None = None
    stage: str = ""
    kind: str = ""

    @property
    def unit_ids(self) -> list[int]:
        """The units the numbers cover: the drilled-down unit, or all of the district."""
        return [self.unit.pk] if self.unit else [u.pk for u in self.units]

    @property
    def all_unit_ids(self) -> list[int]:
        return [u.pk for u in self.units]


def supervision_scope_for(
    *,
    user,
    params: Mapping[str, str] | None = None,
    today: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> Scope:
    """The supervisor's scope with the GET filters applied; 404 for anyone else. Filter values
    that are not valid here (another district's unit, an unknown stage) are ignored."""
    district_ids = supervised_districts_or_404(user)
    params = params or {}
    today = today or timezone.localdate()
    calendar = calendar or WorkCalendar.load()
    units = list(
        Unit.objects.filter(district_id__in=district_ids).order_by("district_id", "name", "pk")
    )
    by_pk = {str(u.pk): u for u in units}
    stage = params.get("stage", "")
    kind = params.get("kind", "")
    return Scope(
        district_ids=district_ids,
        units=units,
        today=today,
        calendar=calendar,
        at_risk_until=at_risk_until(today=today, calendar=calendar),
        unit=by_pk.get(params.get("unit", "")),
        stage=stage if stage in STAGE_KIND else "",
        kind=kind if kind in KINDS else "",
    )


def at_risk_until(*, today: dt.date, calendar: WorkCalendar) -> dt.date:
    """The last date that is at most AT_RISK_WORKDAYS working days away: a due date in
    [today, this] is at risk, one before today is overdue."""
    next_after = calendar.count_forward(today, AT_RISK_WORKDAYS + 1).due
    return next_after - dt.timedelta(days=1)


def open_requests(scope: Scope, *, unit_ids: list[int] | None = None) -> QuerySet:
    return DisclosureRequest.objects.filter(
        receiving_unit_id__in=scope.unit_ids if unit_ids is None else unit_ids,
        status__in=DisclosureRequest.OPEN_STATUSES,
    ).order_by()


def open_items(scope: Scope, *, unit_ids: list[int] | None = None) -> QuerySet:
    return Item.objects.filter(
        unit_id__in=scope.unit_ids if unit_ids is None else unit_ids,
        status__in=ITEM_OPEN_STATUSES,
        attribute=Item.Attribute.PROACTIVE,
    ).order_by()


def _overdue(scope: Scope, field_name: str) -> Q:
    return Q(**{f"{field_name}__lt": scope.today})


def _at_risk(scope: Scope, field_name: str) -> Q:
    return Q(**{f"{field_name}__gte": scope.today, f"{field_name}__lte": scope.at_risk_until})


def due_counts(scope: Scope, field_name: str, *, total: bool = True) -> dict:
    counts = {
        "at_risk": Count("pk", filter=_at_risk(scope, field_name)),
        "overdue": Count("pk", filter=_overdue(scope, field_name)),
    }
    if total:
        counts["total"] = Count("pk")
    return counts
