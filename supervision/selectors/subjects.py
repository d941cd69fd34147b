"""The list of overdue and at-risk subjects, most overdue first, with the escalation status of each:
a UNION sliced in the database, then one query per table and one for the escalations."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet, Value
from django.urls import reverse

from notifications.models import Deadline, DeadlineAlert
from workflow.models import DisclosureRequest, Item, Unit

from .scope import ITEM, KINDS, REQUEST, STAGE_KIND, Scope, open_items, open_requests
from .tables import open_counts

PAGE_SIZE = 50
EXPORT_BATCH = 500


# --- the list of overdue and at-risk subjects ----------------------------------------------


@dataclass
class Escalation:
    rung: str
    rung_label: str
    action: str
    action_label: str
    at: dt.datetime
    workdays: int


@dataclass
class SubjectRow:
    kind: str
    pk: int
    label: str
    unit: Unit
    stage: str
    stage_label: str
    due_on: dt.date
    overdue: bool
    workdays: int  # working days overdue, or left until the due date
    escalation: Escalation | None = None

    @property
    def url(self) -> str:
        name = "workflow:request_detail" if self.kind == REQUEST else "workflow:item_detail"
        return reverse(name, args=[self.pk])


def _subject_keys(scope: Scope) -> QuerySet | list:
    """(due date, kind, pk) of every overdue or at-risk subject passing the filters, most overdue
    first: one UNION of the two indexed reads, sliced by the paginator in the database."""
    parts = []
    wanted = _wanted_kinds(scope)
    if REQUEST in wanted:
        requests = open_requests(scope).filter(due_on__lte=scope.at_risk_until)
        if scope.stage:
            requests = requests.filter(stage=scope.stage)
        parts.append(
            requests.annotate(s_due=F("due_on"), s_kind=Value(0), s_pk=F("pk")).values_list(
                "s_due", "s_kind", "s_pk"
            )
        )
    if ITEM in wanted:
        items = open_items(scope).filter(publication_due_on__lte=scope.at_risk_until)
        if scope.stage:
            items = items.filter(status=scope.stage)
        parts.append(
            items.annotate(
                s_due=F("publication_due_on"), s_kind=Value(1), s_pk=F("pk")
            ).values_list("s_due", "s_kind", "s_pk")
        )
    if not parts:
        return []
    keys = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return keys.order_by("s_due", "s_kind", "s_pk")


def _wanted_kinds(scope: Scope) -> set[str]:
    stage_kind = STAGE_KIND.get(scope.stage)
    return {k for k in KINDS if scope.kind in ("", k) and stage_kind in (None, k)}


def _subject_count(scope: Scope) -> int:
    """How many keys `_subject_keys` has, from the counts the tables are made of: a due date on
    or before `at_risk_until` is either overdue or at risk."""
    wanted = _wanted_kinds(scope)
    unit_ids = set(scope.unit_ids)
    requests, items = open_counts(scope)
    parts = [(REQUEST, "receiving_unit_id", "stage", requests), (ITEM, "unit_id", "status", items)]
    return sum(
        r["overdue"] + r["at_risk"]
        for kind, unit, stage, counts in parts
        if kind in wanted
        for r in counts
        if r[unit] in unit_ids and scope.stage in ("", r[stage])
    )


class _CountedKeys:
    """The keys for the Paginator, with their number known beforehand, so that the UNION is not
    read a second time to count it."""

    def __init__(self, keys: QuerySet | list, count: int):
        self.keys, self._count = keys, count

    def count(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self.keys[index]


def _escalations(
    request_due: dict[int, dt.date], item_due: dict[int, dt.date]
) -> dict[tuple[str, int], Escalation]:
    """The highest escalation rung reached for each subject's current due date: one query."""
    keys = [f"request:{pk}" for pk in request_due] + [f"item:{pk}" for pk in item_due]
    if not keys:
        return {}
    alerts = DeadlineAlert.objects.filter(
        subject_key__in=keys,
        deadline__in=[Deadline.REQUEST_REPLY, Deadline.ITEM_PUBLICATION],
        kind=DeadlineAlert.Kind.ESCALATION,
    ).only("subject_key", "due_on", "step", "rung", "action", "workdays", "created_at")
    best: dict[tuple[str, int], DeadlineAlert] = {}
    for alert in alerts:
        kind, pk = alert.subject_key.split(":", 1)
        key = (kind, int(pk))
        due = (request_due if kind == REQUEST else item_due).get(key[1])
        if alert.due_on != due:
            continue  # a rung reached for a due date that has since moved
        if key not in best or alert.step > best[key].step:
            best[key] = alert
    return {
        key: Escalation(
            rung=a.rung,
            rung_label=a.get_rung_display(),
            action=a.action,
            action_label=a.get_action_display(),
            at=a.created_at,
            workdays=a.workdays,
        )
        for key, a in best.items()
    }


def _rows_for(scope: Scope, keys: list[tuple]) -> list[SubjectRow]:
    """Rows for one page of keys: one query per table plus one for the escalations."""
    request_ids = [pk for _due, kind, pk in keys if kind == 0]
    item_ids = [pk for _due, kind, pk in keys if kind == 1]
    requests = (
        DisclosureRequest.objects.filter(pk__in=request_ids)
        .select_related("receiving_unit")
        .only("pk", "tracking_code", "stage", "due_on", "receiving_unit")
        .in_bulk()
        if request_ids
        else {}
    )
    items = (
        Item.objects.filter(pk__in=item_ids)
        .select_related("unit")
        .only("pk", "title", "status", "publication_due_on", "unit")
        .in_bulk()
        if item_ids
        else {}
    )
    escalations = _escalations(
        {pk: r.due_on for pk, r in requests.items()},
        {pk: i.publication_due_on for pk, i in items.items()},
    )
    rows = []
    for _due, kind, pk in keys:
        if kind == 0 and pk in requests:
            r = requests[pk]
            row = _row(scope, REQUEST, pk, r.tracking_code, r.receiving_unit, r.stage, r.due_on)
            row.stage_label = r.get_stage_display()
        elif kind == 1 and pk in items:
            i = items[pk]
            row = _row(scope, ITEM, pk, i.title, i.unit, i.status, i.publication_due_on)
            row.stage_label = i.get_status_display()
        else:
            continue  # changed between the two reads
        row.escalation = escalations.get((row.kind, pk))
        rows.append(row)
    return rows


def _row(scope, kind, pk, label, unit, stage, due_on) -> SubjectRow:
    overdue = due_on < scope.today
    workdays = (
        scope.calendar.count_between(due_on, scope.today)
        if overdue
        else scope.calendar.count_between(scope.today, due_on)
    )
    return SubjectRow(kind, pk, label, unit, stage, stage, due_on, overdue, workdays)


@dataclass
class SubjectPage:
    page: Page
    rows: list[SubjectRow] = field(default_factory=list)


def subjects_page(scope: Scope, number) -> SubjectPage:
    """One page (PAGE_SIZE) of the list: a count, the page's keys, its rows, its escalations."""
    keys = _CountedKeys(_subject_keys(scope), _subject_count(scope))
    page = Paginator(keys, PAGE_SIZE).get_page(number)
    return SubjectPage(page, _rows_for(scope, list(page.object_list)))


def subjects_all(scope: Scope) -> Iterator[SubjectRow]:
    """The full filtered list (the export), read in batches."""
    keys = list(_subject_keys(scope))
    for start in range(0, len(keys), EXPORT_BATCH):
        yield from _rows_for(scope, keys[start : start + EXPORT_BATCH])
