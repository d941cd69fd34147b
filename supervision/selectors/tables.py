"""The headline counters and the tables by unit and by stage: conditional counts in the database,
one query per table."""

from dataclasses import dataclass

from review.models import Countersign, Referral
from workflow.models import Unit

from .scope import (
    ITEM,
    ITEM_STAGES,
    REQUEST,
    REQUEST_STAGES,
    Scope,
    due_counts,
    open_items,
    open_requests,
)

# --- tables --------------------------------------------------------------------------------


@dataclass
class UnitRow:
    unit: Unit
    open_requests: int = 0
    at_risk_requests: int = 0
    overdue_requests: int = 0
    at_risk_items: int = 0
    overdue_items: int = 0


def by_unit(scope: Scope) -> list[UnitRow]:
    """Every unit of the district, zeros included (two aggregate queries)."""
    rows = {u.pk: UnitRow(u) for u in scope.units}
    requests = (
        open_requests(scope, unit_ids=scope.all_unit_ids)
        .values("receiving_unit_id")
        .annotate(**due_counts(scope, "due_on"))
    )
    for r in requests:
        row = rows[r["receiving_unit_id"]]
        row.open_requests, row.at_risk_requests = r["total"], r["at_risk"]
        row.overdue_requests = r["overdue"]
    items = (
        open_items(scope, unit_ids=scope.all_unit_ids)
        .values("unit_id")
        .annotate(**due_counts(scope, "publication_due_on", total=False))
    )
    for r in items:
        row = rows[r["unit_id"]]
        row.at_risk_items, row.overdue_items = r["at_risk"], r["overdue"]
    return list(rows.values())


@dataclass
class Counters:
    open_requests: int
    overdue_requests: int
    at_risk_requests: int
    overdue_items: int
    at_risk_items: int
    overdue_referrals: int
    overdue_countersigns: int


def counters(scope: Scope, unit_rows: list[UnitRow]) -> Counters:
    """The headline numbers: sums of the by-unit table (already filtered to a drilled-down unit)
    plus two counts of late rulings and countersignatures."""
    rows = [r for r in unit_rows if scope.unit is None or r.unit.pk == scope.unit.pk]
    return Counters(
        open_requests=sum(r.open_requests for r in rows),
        overdue_requests=sum(r.overdue_requests for r in rows),
        at_risk_requests=sum(r.at_risk_requests for r in rows),
        overdue_items=sum(r.overdue_items for r in rows),
        at_risk_items=sum(r.at_risk_items for r in rows),
        overdue_referrals=Referral.objects.filter(
            ruling="", due_on__lt=scope.today, to_unit_id__in=scope.unit_ids
        ).count(),
        overdue_countersigns=Countersign.objects.filter(
            status=Countersign.Status.PENDING,
            due_on__lt=scope.today,
            unit_id__in=scope.unit_ids,
        ).count(),
    )


@dataclass
class StageRow:
    kind: str
    value: str
    label: str
    total: int = 0
    at_risk: int = 0
    overdue: int = 0


def by_stage(scope: Scope) -> list[StageRow]:
    """Open requests by stage and open proactive items by status (two aggregate queries)."""
    rows = {(REQUEST, s.value): StageRow(REQUEST, s.value, s.label) for s in REQUEST_STAGES}
    rows |= {(ITEM, s.value): StageRow(ITEM, s.value, s.label) for s in ITEM_STAGES}
    aggregates = [
        (REQUEST, "stage", open_requests(scope), "due_on"),
        (ITEM, "status", open_items(scope), "publication_due_on"),
    ]
    for kind, group, queryset, due_field in aggregates:
        for r in queryset.values(group).annotate(**due_counts(scope, due_field)):
            row = rows.get((kind, r[group]))
            if row is None:  # a stage outside the usual set (e.g. closed but still open)
                row = rows[(kind, r[group])] = StageRow(kind, r[group], r[group])
            row.total, row.at_risk, row.overdue = r["total"], r["at_risk"], r["overdue"]
    return list(rows.values())
