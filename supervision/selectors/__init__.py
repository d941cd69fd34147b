"""Reads for the supervisors' dashboard (督办): counters, the by-unit and by-stage tables, the list
of overdue and at-risk subjects with their escalation status, and the monthly trends.

Everything is aggregated in the database with conditional counts, one query per table, so the
number of queries a page costs does not grow with the data. Working days are counted in memory on
one `WorkCalendar` loaded per page.

Scope: the units of the districts the user supervises (the `supervise_district` clause of
`review.permissions.requests_visible_to` / `items_visible_to`). A request belongs to its
receiving unit; an item to its unit; a referral or countersignature to the unit that owes the
ruling or the signature. Items count only when proactive: Art. 26 binds proactive disclosure, and
the reminder sweep watches the same set.
"""

from .scope import (
    AT_RISK_WORKDAYS,
    ITEM,
    ITEM_STAGES,
    KINDS,
    REQUEST,
    REQUEST_STAGES,
    STAGE_KIND,
    Scope,
    at_risk_until,
    supervision_scope_for,
)
from .subjects import (
    Escalation,
    SubjectPage,
    SubjectRow,
    subjects_all,
    subjects_page,
)
from .tables import Counters, StageRow, UnitRow, by_stage, by_unit, counters
from .trends import TREND_MONTHS, MonthRow, trend_months, trends

__all__ = [
    "AT_RISK_WORKDAYS",
    "ITEM",
    "ITEM_STAGES",
    "KINDS",
    "REQUEST",
    "REQUEST_STAGES",
    "STAGE_KIND",
    "TREND_MONTHS",
    "Counters",
    "Escalation",
    "MonthRow",
    "Scope",
    "StageRow",
    "SubjectPage",
    "SubjectRow",
    "UnitRow",
    "at_risk_until",
    "by_stage",
    "by_unit",
    "counters",
    "subjects_all",
    "subjects_page",
    "supervision_scope_for",
    "trend_months",
    "trends",
]
