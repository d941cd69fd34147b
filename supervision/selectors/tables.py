"""The headline counters and the tables by unit and by stage: conditional counts in the database.
Both tables are sums of the same two aggregate queries (open requests by unit and stage, open
proactive items by unit and status), read once per scope."""

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


def open_counts(scope: Scope) -> tuple[list[dict], list[dict]]:
    """Open requests by (unit, stage) and open proactive items by (unit, status), each with its
    total, at-risk and overdue count, over every unit of the district: two aggregate queries,
    kept on the scope so that by_unit and by_stage share them (each index-only on the partial
    indexes of workflow migration 0010)."""
    cached = scope.__dict__.get("open_counts")
    if cached is None:
        requests = (
            open_requests(scope, unit_ids=scope.all_unit_ids)
            .values("receiving_unit_id", "stage")
            .annotate(**due_counts(scope, "due_on"))
        )
        items = (
            open_items(scope, unit_ids=scope.all_unit_ids)
            .values("unit_id", "status")
            .annotate(**due_counts(scope, "publication_due_on"))
        )
        cached = scope.__dict__["open_counts"] = (list(requests), list(items))
    return cached


def by_unit(scope: Scope) -> list[UnitRow]:
    """Every unit of the district, zeros included."""
    rows = {u.pk: UnitRow(u) for u in scope.units}
    requests, items = open_counts(scope)
    for r in requests:
        row = rows[r["receiving_unit_id"]]
        row.open_requests += r["total"]
        row.at_risk_requests += r["at_risk"]
        row.overdue_requests += r["overdue"]
    for r in items:
        row = rows[r["unit_id"]]
        row.at_risk_items += r["at_risk"]
        row.overdue_items += r["overdue"]
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
    """Open requests by stage and open proactive items by status, in the scope's units."""
    rows = {(REQUEST, s.value): StageRow(REQUEST, s.value, s.label) for s in REQUEST_STAGES}
    rows |= {(ITEM, s.value): StageRow(ITEM, s.value, s.label) for s in ITEM_STAGES}
    unit_ids = set(scope.unit_ids)
    requests, items = open_counts(scope)
    aggregates = [
        (REQUEST, "stage", "receiving_unit_id", requests),
        (ITEM, "status", "unit_id", items),
    ]
    for kind, group, unit, counts in aggregates:
        for r in counts:
            if r[unit] not in unit_ids:
                continue
            row = rows.get((kind, r[group]))
            if row is None:  # a stage outside the usual set (e.g. closed but still open)
                row = rows[(kind, r[group])] = StageRow(kind, r[group], r[group])
            row.total += r["total"]
            row.at_risk += r["at_risk"]
            row.overdue += r["overdue"]
    return list(rows.values())
