"""The Excel export: same permission and filters as the dashboard, the full list (not one page),
the two tables and the trends, with real dates and a name that keeps its Chinese."""

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.utils import translation
from openpyxl import load_workbook

from notifications.sweep import deadlines_sweep
from tests.supervision.conftest import TODAY, D, on

pytestmark = pytest.mark.django_db
URL = "/supervision/export.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(client, params=None):
    with on(TODAY):
        response = client.get(URL, params or {})
    assert response.status_code == 200
    return response, load_workbook(io.BytesIO(response.content))


def zh(msgid):
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def test_the_workbook(supervisor_client, org, dataset, monkeypatch):
    monkeypatch.setattr("supervision.selectors.subjects.PAGE_SIZE", 2)  # the export ignores pages
    s = dataset
    deadlines_sweep(today=TODAY)
    response, wb = export(supervisor_client)
    assert response["Content-Type"] == XLSX
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="supervision-2026-11-12.xlsx"' in disposition
    assert f"filename*=UTF-8''{quote(zh('supervision') + '-2026-11-12.xlsx')}" in disposition
    assert wb.sheetnames == [
        zh("Overdue and at risk"),
        zh("By unit"),
        zh("By stage"),
        zh("Trends"),
    ]
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2"
    assert all(cell.font.bold for cell in ws[1])
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6  # all of them, not one page of two
    by_label = {r[1]: r for r in rows}
    late = by_label[s.r_late.tracking_code]
    assert late[2] == "民政局"
    assert isinstance(late[4], dt.datetime) and late[4].date() == D(2026, 11, 3)  # a real date
    assert (late[6], late[7]) == (7, None)  # working days overdue, left
    assert late[8] == zh("District office and supervisors")
    assert isinstance(late[10], dt.datetime)
    assert ws.cell(row=2, column=5).number_format == "yyyy-mm-dd"
    risk = by_label[s.r_risk.tracking_code]
    assert (risk[6], risk[7]) == (None, 2) and risk[8] == zh("Not escalated")
    item = by_label["逾期事项"]
    assert item[4].date() == D(2026, 11, 9) and item[6] == 3
    assert [r[4] for r in rows] == sorted(r[4] for r in rows)  # most overdue first

    units = {r[0]: r[1:] for r in wb[zh("By unit")].iter_rows(min_row=2, values_only=True)}
    assert units == {
        "民政局": (3, 1, 1, 1, 1),
        "教育局": (1, 0, 1, 1, 0),
        "区政府办公室": (0, 0, 0, 0, 0),
        "区保密局": (0, 0, 0, 0, 0),
    }
    stages = [r for r in wb[zh("By stage")].iter_rows(min_row=2, values_only=True)]
    assert (zh("Proactive item"), zh("Draft"), 4, 2, 1) in stages
    trends = list(wb[zh("Trends")].iter_rows(min_row=2, values_only=True))
    assert len(trends) == 12
    assert trends[-1][0].date() == D(2026, 11, 1) and trends[-1][1:] == (1, 1, 1, 0)
    assert trends[-2][0].date() == D(2026, 10, 1) and trends[-2][1:] == (2, 0, 0, 1)
    assert trends[-3][0].date() == D(2026, 9, 1) and trends[-3][1] == 3


def test_the_export_keeps_the_filters(supervisor_client, org, dataset):
    s = dataset
    _, wb = export(supervisor_client, {"unit": org.edu.pk})
    labels = [r[1] for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert labels == [s.r_edu_late.tracking_code, "教育局临期事项"]
    _, wb = export(supervisor_client, {"kind": "item", "stage": "draft"})
    labels = [r[1] for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert labels == ["逾期事项", "临期事项", "教育局临期事项"]


def test_english_headers(org, dataset):
    from supervision.export import subject_headers, workbook_bytes
    from supervision.selectors import by_stage, by_unit, subjects_all, supervision_scope_for, trends

    with on(TODAY):
        scope = supervision_scope_for(user=org.users.supervisor)
    with translation.override("en"):
        content = workbook_bytes(
            subjects=subjects_all(scope),
            unit_rows=by_unit(scope),
            stage_rows=by_stage(scope),
            trend_rows=trends(scope),
        )
        headers = subject_headers()
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Overdue and at risk", "By unit", "By stage", "Trends"]
    assert [c.value for c in wb.worksheets[0][1]] == headers
    assert headers[:5] == ["Kind", "Tracking code or title", "Unit", "Stage", "Due on"]
    first = [c.value for c in wb.worksheets[0][2]]
    assert first[0] == "Disclosure request" and first[5] == "Overdue"
    assert first[8] == "Not escalated"
    assert [c.value for c in wb["Trends"][1]][0] == "Month"
    assert wb["Trends"].cell(row=2, column=1).number_format == "yyyy-mm"


def test_an_empty_export_still_has_its_sheets(supervisor_client, org):
    response, wb = export(supervisor_client)
    assert len(wb.sheetnames) == 4
    assert wb.worksheets[0].max_row == 1  # the header only
    assert D(2026, 11, 12).isoformat() in response["Content-Disposition"]
