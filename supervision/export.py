"""The dashboard as an Excel workbook (openpyxl): the full filtered list, the two tables and the
monthly trends, one sheet each, with translated headers, real Excel dates and a frozen header."""

import datetime as dt
import io
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .selectors import REQUEST, MonthRow, StageRow, SubjectRow, UnitRow

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONTH_FORMAT = "yyyy-mm"
MIN_WIDTH, MAX_WIDTH = 8, 60


def kind_label(kind: str) -> str:
    return _("Disclosure request") if kind == REQUEST else _("Proactive item")


def _excel_datetime(value: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: local wall-clock time, naive."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _text_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    # CJK characters take two columns.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _sheet(wb: Workbook, title: str, headers: list[str], rows: Iterable[list], formats=None):
    ws = wb.create_sheet(title=title[:31])
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    widths = [_text_width(h) for h in headers]
    formats = formats or {}
    for row in rows:
        ws.append(row)
        for col, value in enumerate(row):
            widths[col] = max(widths[col], _text_width(value))
    for col, fmt in formats.items():
        for (cell,) in ws.iter_rows(min_row=2, min_col=col + 1, max_col=col + 1):
            cell.number_format = fmt
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = max(
            MIN_WIDTH, min(MAX_WIDTH, width + 2)
        )
    return ws


def subject_headers() -> list[str]:
    return [
        _("Kind"),
        _("Tracking code or title"),
        _("Unit"),
        _("Stage"),
        _("Due on"),
        _("Deadline status"),
        _("Working days overdue"),
        _("Working days left"),
        _("Escalated to"),
        _("Escalation action"),
        _("Escalated at"),
    ]


def deadline_status(row: SubjectRow) -> str:
    return _("Overdue") if row.overdue else _("At risk")


def subject_cells(row: SubjectRow) -> list:
    escalation = row.escalation
    return [
        kind_label(row.kind),
        row.label,
        row.unit.name,
        str(row.stage_label),
        row.due_on,
        deadline_status(row),
        row.workdays if row.overdue else None,
        None if row.overdue else row.workdays,
        str(escalation.rung_label) if escalation else _("Not escalated"),
        str(escalation.action_label) if escalation else None,
        _excel_datetime(escalation.at) if escalation else None,
    ]


def workbook_bytes(
    *,
    subjects: Iterable[SubjectRow],
    unit_rows: list[UnitRow],
    stage_rows: list[StageRow],
    trend_rows: list[MonthRow],
) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(
        wb,
        _("Overdue and at risk"),
        subject_headers(),
        (subject_cells(row) for row in subjects),
        formats={4: DATE_FORMAT, 10: DATETIME_FORMAT},
    )
    _sheet(
        wb,
        _("By unit"),
        [
            _("Unit"),
            _("Open requests"),
            _("Requests at risk"),
            _("Requests overdue"),
            _("Items at risk"),
            _("Items overdue"),
        ],
        (
            [
                r.unit.name,
                r.open_requests,
                r.at_risk_requests,
                r.overdue_requests,
                r.at_risk_items,
                r.overdue_items,
            ]
            for r in unit_rows
        ),
    )
    _sheet(
        wb,
        _("By stage"),
        [_("Kind"), _("Stage"), _("Open"), _("At risk"), _("Overdue")],
        ([kind_label(r.kind), str(r.label), r.total, r.at_risk, r.overdue] for r in stage_rows),
    )
    _sheet(
        wb,
        _("Trends"),
        [
            _("Month"),
            _("Requests received"),
            _("Answered on time"),
            _("Answered late"),
            _("Items published"),
        ],
        (
            [r.month, r.received, r.answered_on_time, r.answered_late, r.published]
            for r in trend_rows
        ),
        formats={0: MONTH_FORMAT},
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_filename(today: dt.date) -> str:
    # "督办-2026-11-22.xlsx" in Chinese.
    name = _("supervision")
    return f"{name}-{today.isoformat()}.xlsx"


def content_disposition(filename: str, *, fallback: str) -> str:
    """An attachment header that keeps a non-ASCII name (RFC 6266 / RFC 5987 `filename*`), with
    an ASCII `filename` for old clients."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
