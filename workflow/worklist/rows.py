"""A work-list row: what one open task shows, read for a whole page in one narrow query.

A row carries plain values (titles, names, the due date and its reading), not model instances:
a page of 50 tasks across nine joined tables would otherwise build some 450 model instances,
and the templates would resolve every text through them (about half the page's time, measured
in `bench/pages.py`). What a row says in words is computed here, once, so the templates only
place it.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext, ngettext
from viewflow.workflow.models import Task

from ..models import DisclosureRequest, Item
from ..sqlrows import CompiledQuery
from ..templatetags.people import name_of
from ..workdays import WorkCalendar
from .annotations import PROCESS, annotate_flags

# Working days left at which a task counts as "due soon" (amber) and as urgent (red).
DUE_SOON_WORKDAYS = 3
URGENT_WORKDAYS = 1


@dataclass
class Urgency:
    """How a due date reads today: working days left (negative when overdue) and its colour."""

    due_on: dt.date | None
    days_left: int | None = None
    level: str = "none"  # none, ok, soon, urgent, overdue

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.level == "overdue" else 0

    @cached_property
    def text(self) -> str:
        """In words, in the language of the request being answered."""
        if self.due_on is None:
            return gettext("No statutory deadline")
        if self.level == "overdue":
            n = self.overdue_days
            return ngettext("%(n)s working day overdue", "%(n)s working days overdue", n) % {"n": n}
        if self.days_left == 0:
            return gettext("Due today")
        n = self.days_left
        return ngettext("%(n)s working day left", "%(n)s working days left", n) % {"n": n}

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


@dataclass(frozen=True, slots=True)
class RowItem:
    pk: int
    title: str
    scope: str
    is_policy_document: bool
    unit_name: str
    section_name: str
    author: str  # display name

    @property
    def scope_label(self) -> str:
        return Item.Scope(self.scope).label


@dataclass(frozen=True, slots=True)
class RowRequest:
    pk: int
    tracking_code: str
    unit_name: str  # the receiving unit's
    status: str = ""
    # Art. 31: the day receipt was (or is to be) confirmed with the applicant.
    confirmed_on: dt.date | None = None
    confirmation_due_on: dt.date | None = None

    @property
    def receipt_unconfirmed(self) -> bool:
        return self.status == DisclosureRequest.Status.SUBMITTED

    @property
    def confirmed_late(self) -> bool:
        return bool(
            self.confirmed_on
            and self.confirmation_due_on
            and self.confirmed_on > self.confirmation_due_on
        )


@dataclass(frozen=True, slots=True)
class Flag:
    kind: str  # the CSS modifier: findings, referral, district, policy
    text: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    pk: int  # the task's
    title: str  # the task's: what it asks for
    created: dt.datetime
    holder: str  # who holds the task; empty while it waits to be claimed
    item: RowItem | None
    request: RowRequest | None
    finding_count: int  # open findings of the item's latest scan
    referred: bool
    urgency: Urgency

    @property
    def unit_name(self) -> str:
        if self.item is not None:
            return self.item.unit_name
        return self.request.unit_name if self.request is not None else ""

    @property
    def sensitive(self) -> bool:
        return bool(
            self.finding_count
            or self.referred
            or (self.item is not None and self.item.scope == Item.Scope.DISTRICT)
        )

    @property
    def flags(self) -> list[Flag]:
        flags = []
        if self.finding_count:
            n = self.finding_count
            flags.append(
                Flag(
                    "findings",
                    ngettext("%(n)s finding", "%(n)s findings", n) % {"n": n},
                    gettext("The confidentiality scanner found passages to check"),
                )
            )
        if self.referred:
            flags.append(Flag("referral", gettext("Referred for a ruling")))
        if self.item is not None and self.item.scope == Item.Scope.DISTRICT:
            flags.append(Flag("district", gettext("Whole district")))
        if self.item is not None and self.item.is_policy_document:
            flags.append(Flag("policy", gettext("Policy document")))
        if self.request is not None and self.request.receipt_unconfirmed:
            flags.append(
                Flag(
                    "receipt",
                    gettext("Receipt not confirmed"),
                    gettext(
                        "Confirm receipt with the applicant (Art. 31): the time limit starts "
                        "from that day"
                    ),
                )
            )
        if self.request is not None and self.request.confirmed_late:
            flags.append(
                Flag(
                    "receipt-late",
                    gettext("Receipt confirmed late"),
                    gettext(
                        "Receipt was confirmed with the applicant after it was due (an ordinary "
                        "letter on the day it arrives, Art. 31)"
                    ),
                )
            )
        return flags


ROW_COLUMNS = (
    "pk",
    "flow_task",
    "created",
    "due_on",
    "finding_count",
    "referred",
    "owner_id",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    f"{PROCESS}item_id",
    f"{PROCESS}item__title",
    f"{PROCESS}item__scope",
    f"{PROCESS}item__raised_scope",
    f"{PROCESS}item__is_policy_document",
    f"{PROCESS}item__unit__name",
    f"{PROCESS}item__section__name",
    f"{PROCESS}item__author__first_name",
    f"{PROCESS}item__author__last_name",
    f"{PROCESS}item__author__username",
    f"{PROCESS}request_id",
    f"{PROCESS}request__tracking_code",
    f"{PROCESS}request__receiving_unit__name",
    f"{PROCESS}request__status",
    f"{PROCESS}request__confirmed_on",
    f"{PROCESS}request__confirmation_due_on",
)


# Compiled once per page length: compiling its eleven joins cost more than running it.
ROWS_QUERY = CompiledQuery(
    lambda ids: annotate_flags(Task.objects.filter(pk__in=ids)).values_list(*ROW_COLUMNS)
)


def rows_for(ids: list[int], *, calendar: WorkCalendar, today: dt.date) -> list[Row]:
    """The rows of these tasks, in the order of `ids`; ids of tasks that are gone are skipped.
    One query, whatever the number of ids."""
    urgencies: dict[dt.date | None, Urgency] = {}

    def urgency(due_on: dt.date | None) -> Urgency:
        """Counted once per date: a page's tasks share a few due dates."""
        if due_on not in urgencies:
            urgencies[due_on] = Urgency.of(due_on, calendar, today)
        return urgencies[due_on]

    by_pk = {}
    for values in ROWS_QUERY.rows(ids):
        (
            pk,
            node,
            created,
            due_on,
            finding_count,
            referred,
            owner_id,
            owner_first,
            owner_last,
            owner_login,
            item_id,
            title,
            scope,
            raised_scope,
            is_policy_document,
            unit_name,
            section_name,
            author_first,
            author_last,
            author_login,
            request_id,
            tracking_code,
            receiving_unit_name,
            request_status,
            confirmed_on,
            confirmation_due_on,
        ) = values
        by_pk[pk] = Row(
            pk=pk,
            title=str(node.task_title),
            created=created,
            holder=name_of(owner_first, owner_last, owner_login) if owner_id else "",
            item=None
            if item_id is None
            else RowItem(
                item_id,
                title,
                # The level that approves it: the reviewer may have raised it (疑密从紧).
                Item.Scope.higher(scope, raised_scope or scope),
                is_policy_document,
                unit_name,
                section_name,
                name_of(author_first, author_last, author_login),
            ),
            request=None
            if request_id is None
            else RowRequest(
                request_id,
                tracking_code,
                receiving_unit_name,
                request_status,
                confirmed_on,
                confirmation_due_on,
            ),
            finding_count=finding_count,
            referred=referred,
            urgency=urgency(due_on),
        )
    return [by_pk[pk] for pk in ids if pk in by_pk]


def task_row(*, task: Task, today: dt.date) -> Row:
    """One task's row (due date, urgency, flags) for its own page, read as the list reads it."""
    return rows_for([task.pk], calendar=WorkCalendar.load(), today=today)[0]
