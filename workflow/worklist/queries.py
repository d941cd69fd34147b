"""The work list's queries: every open task a user holds or may claim, filtered and sorted by
its statutory due date, a page at a time. Reads only.

A page is one query for the page's task ids, sorted over narrow rows (the task and its due date),
and one that reads those tasks' rows (`rows.rows_for`); the working days are counted in memory
against one loaded calendar. So the page costs the same number of queries with ten tasks or ten
thousand, and the wide joins only for the rows it shows (`WorkList`).
"""

import datetime as dt

from django.db.models import F, Q, QuerySet
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review.permissions import claimable_q, objects_with_perm

from ..models import Unit
from ..workdays import WorkCalendar
from .annotations import annotate_due
from .filters import Due, Filters, Holder, Kind, Sort, node_refs
from .rows import DUE_SOON_WORKDAYS, Row, rows_for


def open_tasks_of(user) -> QuerySet[Task]:
    """Tasks the user holds now, and unclaimed ones their positions reach."""
    held = Q(owner=user, status__in=[STATUS.ASSIGNED, STATUS.STARTED])
    claimable = claimable_q(user)
    reach = held | claimable if claimable is not None else held
    return Task.objects.filter(reach, flow_task_type="HUMAN")


def soon_limit(calendar: WorkCalendar, today: dt.date) -> dt.date:
    """The last date that is still "due soon": the DUE_SOON_WORKDAYS-th working day from today."""
    return calendar.count_forward(today, DUE_SOON_WORKDAYS).due


class WorkList:
    """The filtered, sorted work list for a Paginator, a page of `Row`s at a time. A page is two
    queries: the page's task ids, sorted and sliced over narrow rows (the task and its due date),
    then the page's rows with everything a row shows. (As one query, `id IN (sorted subquery)`,
    PostgreSQL joins every task of the district before it applies the subquery: the join list is
    longer than its join_collapse_limit.) The count reads the tasks alone when no filter needs
    the due date or the unit, so a long queue costs what its tasks cost, not what their joins
    cost."""

    def __init__(
        self,
        keys: QuerySet[Task],
        count_from: QuerySet[Task],
        *,
        calendar: WorkCalendar,
        today: dt.date,
    ):
        self.keys = keys  # filtered, annotated with the due date, sorted
        self.count_from = count_from
        self.calendar = calendar
        self.today = today

    def count(self) -> int:
        return self.count_from.count()

    def ids(self) -> QuerySet:
        return self.keys.values_list("pk", flat=True)

    def __getitem__(self, index) -> list[Row] | Row:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        return rows_for(list(self.ids()[index]), calendar=self.calendar, today=self.today)


def worklist_for_user(
    *, user, filters: Filters, calendar: WorkCalendar, today: dt.date
) -> WorkList:
    tasks = open_tasks_of(user)
    if filters.kind:
        tasks = tasks.filter(flow_task__in=node_refs(Kind.NODES[filters.kind]))
    if filters.holder == Holder.MINE:
        tasks = tasks.filter(owner=user)
    elif filters.holder == Holder.QUEUE:
        tasks = tasks.filter(status=STATUS.NEW)
    count_from = tasks
    tasks = annotate_due(tasks)
    if filters.unit:
        tasks = tasks.filter(work_unit_id=filters.unit)
    if filters.due == Due.OVERDUE:
        tasks = tasks.filter(due_on__lt=today)
    elif filters.due == Due.SOON:
        tasks = tasks.filter(due_on__gte=today, due_on__lte=soon_limit(calendar, today))
    if filters.unit or filters.due:
        count_from = tasks
    if filters.sort == Sort.NEWEST:
        ordering = ("-created", "-id")
    elif filters.sort == Sort.OLDEST:
        ordering = ("created", "id")
    else:
        ordering = (F("due_on").asc(nulls_last=True), "created", "id")
    return WorkList(tasks.order_by(*ordering), count_from, calendar=calendar, today=today)


def claimable_next(
    *, user, filters: Filters, calendar: WorkCalendar, today: dt.date, limit: int = 5
) -> list[int]:
    """The first `limit` unclaimed tasks under the current filters, most urgent first (ids)."""
    narrowed = Filters(kind=filters.kind, unit=filters.unit, due=filters.due, holder=Holder.QUEUE)
    worklist = worklist_for_user(user=user, filters=narrowed, calendar=calendar, today=today)
    return list(worklist.ids()[:limit])


def worklist_units(user) -> QuerySet[Unit]:
    """Units the filter offers: those of the user's positions, or of their whole district when a
    position reaches the district (district office, supervisors, secrecy bureau)."""
    unit_ids = {
        pk
        for codename in (
            "review_unit_items",
            "view_unit_items",
            "approve_unit_scope",
            "handle_unit_requests",
        )
        for pk in objects_with_perm(user, codename)
    }
    district_ids = {
        pk
        for codename in ("approve_district_scope", "supervise_district", "rule_referrals")
        for pk in objects_with_perm(user, codename)
    }
    section_units = Q(sections__pk__in=objects_with_perm(user, "view_section_items"))
    return (
        Unit.objects.filter(Q(pk__in=unit_ids) | Q(district_id__in=district_ids) | section_units)
        .distinct()
        .order_by("code")
    )
