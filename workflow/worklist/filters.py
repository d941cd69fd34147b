"""What the work list can be narrowed and sorted by, read from a query string."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from viewflow.workflow.fields import get_task_ref


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


def node_refs(names: set[str]) -> list[str]:
    """The stored references (`Task.flow_task`) of the named nodes, in both flows."""
    from ..flows import DisclosureFlow, RequestFlow

    return [
        get_task_ref(getattr(flow_class, name))
        for flow_class in (DisclosureFlow, RequestFlow)
        for name in sorted(names)
        if hasattr(flow_class, name)
    ]
