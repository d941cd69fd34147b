"""Reads for annual reports: the tables counted from the data (tables), and the reports, appeals
and published reports a user may see (reports)."""

from .reports import (
    Owner,
    PublishedYear,
    appeal_get_for_user,
    appeal_units,
    appeals_of,
    default_year,
    owner_from_key,
    owners_for,
    published_reports,
    report_get_for_user,
    reports_for,
    unit_for_appeals,
)
from .tables import (
    CheckColumn,
    Problem,
    Tables,
    appeals_table,
    plain_decimal,
    proactive_table,
    requests_table,
    tables_for,
    tables_live,
    year_bounds,
)

__all__ = [
    "CheckColumn",
    "Owner",
    "Problem",
    "PublishedYear",
    "Tables",
    "appeal_get_for_user",
    "appeal_units",
    "appeals_of",
    "appeals_table",
    "default_year",
    "owner_from_key",
    "owners_for",
    "plain_decimal",
    "proactive_table",
    "published_reports",
    "report_get_for_user",
    "reports_for",
    "requests_table",
    "tables_for",
    "tables_live",
    "unit_for_appeals",
    "year_bounds",
]
