"""The work list: every open task a user holds or may claim, with its statutory due date, how
many working days are left, and what makes it sensitive. Reads only.

A page is one query for the page's task ids, sorted over narrow rows (the task and its due date),
and one that fetches those tasks with everything a row shows annotated; the working days are
counted in memory against one loaded calendar. So the page costs the same number of queries with
ten tasks or ten thousand, and the wide joins only for the rows it shows (`WorkList`).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review.models import Referral, Scan, ScanFinding
from review.permissions import claimable_q, objects_with_perm

from .models import Item, Unit
from .selectors import TASK_RELATED
from .workdays import WorkCalendar

# Working days left at which a task counts as "due soon" (amber) and as urgent (red).
DUE_SOON_WORKDAYS = 3
URGENT_WORKDAYS = 1


class Kind:
    """What a task asks for, as the filter offers it."""

    REVIEW = "review"
    REFERRAL = "referral"
    APPROVAL = "approval"
    REWORK = "rework"
    REQUEST = "request"

    CHOICES = [
        (REVIEW, _("Confidentiality review")),
        (REFERRAL, _("Referral ruling")),
        (APPROVAL, _("Approval")),
        (REWORK, _("Revise and resubmit")),
        (REQUEST, _("Request handling")),
    ]
    NODES = {
        REVIEW: {"review"},
        REFERRAL: {"referral"},
        APPROVAL: {"approve_section", "approve_unit", "approve_district"},
        REWORK: {"rework"},
        REQUEST: {"check", "await_correction", "assign", "draft_answer", "deliver"},
    }


class Due:
    ALL, SOON, OVERDUE = "", "soon", "overdue"
    CHOICES = [(SOON, _("Due soon")), (OVERDUE, _("Overdue"))]


class Holder:
    ALL, MINE, QUEUE = "", "mine", "queue"
    CHOICES = [(MINE, _("In hand")), (QUEUE, _("Waiting to be claimed"))]


class Sort:
    DUE, NEWEST, OLDEST = "due", "newest", "oldest"
    CHOICES = [
        (DUE, _("Due date")),
        (OLDEST, _("Waiting longest")),
        (NEWEST, _("Newest first")),
    ]


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    unit: int | None = None
    due: str = Due.ALL
    holder: str = Holder.ALL
    sort: str = Sort.DUE

    @classmethod
    def from_query(cls, query) -> "Filters":
        """Unknown values are ignored rather than refused: a stale bookmark still shows a list."""
        kind = query.get("kind", "")
        due = query.get("due", "")
        holder = query.get("holder", "")
        sort = query.get("sort", Sort.DUE)
        unit = query.get("unit", "")
        return cls(
            kind=kind if kind in Kind.NODES else "",
            unit=query_pk(unit),
            due=due if due in (Due.SOON, Due.OVERDUE) else Due.ALL,
            holder=holder if holder in (Holder.MINE, Holder.QUEUE) else Holder.ALL,
            sort=sort if sort in dict(Sort.CHOICES) else Sort.DUE,
        )

    def as_query(self) -> dict[str, str]:
        query = {
            "kind": self.kind,
            "unit": str(self.unit or ""),
            "due": self.due,
            "holder": self.holder,
            "sort": "" if self.sort == Sort.DUE else self.sort,
        }
        return {k: v for k, v in query.items() if v}


PK_MAX_DIGITS = 18  # fits a signed 64-bit column; a longer number would overflow on PostgreSQL


def query_pk(value: str | None) -> int | None:
    """A primary key from a query string, or None. `str.isdigit` also accepts characters such as
    "²" that `int()` refuses, so only ASCII digits count."""
    if not value or len(value) > PK_MAX_DIGITS or not (value.isascii() and value.isdigit()):
        return None
    return int(value)


def _node_refs(names: set[str]) -> list[str]:
    from .flows import DisclosureFlow, RequestFlow

    return [
        get_task_ref(getattr(flow_class, name))
        for flow_class in (DisclosureFlow, RequestFlow)
        for name in sorted(names)
        if hasattr(flow_class, name)
    ]


def _open_referral_due():
    return Subquery(
        Referral.objects.filter(process_id=OuterRef("process_id"), ruling="")
        .order_by("-created_at", "-id")
        .values("due_on")[:1],
        output_field=DateField(),
    )


def _latest_scan_findings():
    """Findings of the item's latest scan that nobody has marked as not sensitive."""
    latest_scan = Scan.objects.filter(item_id=OuterRef(OuterRef("item_id"))).order_by(
        "-created_at", "-id"
    )
    return Subquery(
        ScanFinding.objects.filter(scan_id=Subquery(latest_scan.values("pk")[:1]))
        .exclude(resolution=ScanFinding.Resolution.DISMISSED)
        .values("scan_id")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


PROCESS = "process__disclosureprocess__"


def annotate_due(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """The due date and the unit, what the list is filtered and sorted by."""
    process = PROCESS
    return tasks.annotate(
        due_on=Case(
            When(flow_task__in=_node_refs(Kind.NODES[Kind.REFERRAL]), then=_open_referral_due()),
            # A request's statutory clock governs every step of its answer, review and approval
            # included; a proactive item's publication deadline (Art. 26) governs its own.
            default=Coalesce(f"{process}request__due_on", f"{process}item__publication_due_on"),
            output_field=DateField(),
        ),
        work_unit_id=Coalesce(
            f"{process}item__unit_id",
            f"{process}request__handling_unit_id",
            f"{process}request__receiving_unit_id",
        ),
    )


def annotate_worklist(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Due date, unit, findings and referral flags, in the same query as the tasks."""
    process = PROCESS
    return (
        annotate_due(tasks)
        .annotate(
            item_id=F(f"{process}item_id"),
            finding_count=Coalesce(_latest_scan_findings(), Value(0)),
            referred=Exists(Referral.objects.filter(item_id=OuterRef(f"{process}item_id"))),
        )
        .select_related(*TASK_RELATED, f"{process}item__author")
    )


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
    """The filtered, sorted work list for a Paginator. A page is two queries: the page's task ids,
    sorted and sliced over narrow rows (the task and its due date), then the page's rows with
    everything a row shows. (As one query, `id IN (sorted subquery)`, PostgreSQL joins every
    task of the district before it applies the subquery: the join list is longer than its
    join_collapse_limit.) The count reads the tasks alone when no filter needs the due date or
    the unit, so a long queue costs what its tasks cost, not what their joins cost."""

    def __init__(self, keys: QuerySet[Task], count_from: QuerySet[Task]):
        self.keys = keys  # filtered, annotated with the due date, sorted
        self.count_from = count_from

    def count(self) -> int:
        return self.count_from.count()

    def ids(self) -> QuerySet:
        return self.keys.values_list("pk", flat=True)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = list(self.keys.values_list("pk", flat=True)[index])
        if not ids:
            return []
        by_pk = annotate_worklist(Task.objects.filter(pk__in=ids)).order_by().in_bulk()
        return [by_pk[pk] for pk in ids if pk in by_pk]


def worklist_for_user(
    *, user, filters: Filters, calendar: WorkCalendar, today: dt.date
) -> WorkList:
    tasks = open_tasks_of(user)
    if filters.kind:
        tasks = tasks.filter(flow_task__in=_node_refs(Kind.NODES[filters.kind]))
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
    return WorkList(tasks.order_by(*ordering), count_from)


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


@dataclass
class Urgency:
    """How a due date reads today: working days left (negative when overdue) and its colour."""

    due_on: dt.date | None
    days_left: int | None = None
    level: str = "none"  # none, ok, soon, urgent, overdue
    label: str = field(default="")

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.level == "overdue" else 0

    @classmethod
    def of(cls, due_on: dt.date | None, calendar: WorkCalendar, today: dt.date) -> "Urgency":
        if due_on is None:
            return cls(due_on)
        if due_on < today:
            days = -calendar.count_between(due_on, today)
            return cls(due_on, days, "overdue")
        days = calendar.count_between(today, due_on)
        if days <= URGENT_WORKDAYS:
            level = "urgent"
        elif days <= DUE_SOON_WORKDAYS:
            level = "soon"
        else:
            level = "ok"
        return cls(due_on, days, level)


@dataclass
class Row:
    task: Task
    urgency: Urgency

    @property
    def item(self) -> Item | None:
        return self.task.process.disclosureprocess.item

    @property
    def request(self):
        return self.task.process.disclosureprocess.request

    @property
    def sensitive(self) -> bool:
        item = self.item
        return bool(
            self.task.finding_count
            or self.task.referred
            or (item is not None and item.scope == Item.Scope.DISTRICT)
        )


def rows(tasks, *, calendar: WorkCalendar, today: dt.date) -> list[Row]:
    return [Row(task, Urgency.of(task.due_on, calendar, today)) for task in tasks]


def task_row(*, task: Task, today: dt.date) -> Row:
    """One task's row (due date, urgency, flags) for its own page, from the list's annotations."""
    annotated = annotate_worklist(Task.objects.filter(pk=task.pk)).get()
    return Row(annotated, Urgency.of(annotated.due_on, WorkCalendar.load(), today))
