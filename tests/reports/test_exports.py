"""The Word and Excel files open, lay the tables out as the format does, and carry the figures."""

import io
from decimal import Decimal
from urllib.parse import quote

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import format as fmt
from reports.services import appeal_record, report_update

from .conftest import YEAR, D

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(org, unit_report, make_request):
    """Two new requests (one handled), one case, and the hand-entered figures."""
    make_request(received_on=D(YEAR, 2, 1), answered_on=D(YEAR, 2, 20), outcome="disclosed")
    make_request(
        received_on=D(YEAR, 12, 20), applicant_kind="legal_person", organisation_type="commercial"
    )
    appeal_record(
        user=org.users.drafter,
        unit=org.civil,
        kind="litigation_direct",
        case_number="（2025）京0101行初1号",
        filed_on=D(YEAR, 8, 1),
    )
    report_update(
        report=unit_report,
        user=org.users.drafter,
        overview="总体情况正文。",
        licensing_decisions=321,
        fee_amount=Decimal("3.75"),
    )
    unit_report.refresh_from_db()
    return unit_report


def _get(client, org, report, name):
    client.force_login(org.users.drafter)
    response = client.get(reverse(f"reports:report_{name}", args=[report.pk]))
    assert response.status_code == 200
    return response


def test_the_word_file(org, figures, client):
    response = _get(client, org, figures, "docx")
    title = str(figures)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f"filename*=UTF-8''{quote(title + '.docx')}" in disposition
    assert f'filename="annual-report-{YEAR}-unit-{org.civil.pk}.docx"' in disposition
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    # the title and the six sections, in order
    assert paragraphs[0] == title
    assert [p for p in paragraphs if p in fmt.SECTIONS] == fmt.SECTIONS
    assert "总体情况正文。" in paragraphs
    proactive, requests, appeals = document.tables
    # table 二: block (五)'s figure spans the three value columns
    licensing = next(r for r in proactive.rows if r.cells[0].text == "行政许可")
    assert [c.text for c in licensing.cells] == ["行政许可", "321", "321", "321"]
    fees = next(r for r in proactive.rows if r.cells[0].text == "行政事业性收费")
    assert fees.cells[1].text == "3.75"
    # table 三: the head as in the format, the note merged over three rows and columns
    assert requests.cell(0, 0).text == fmt.CHECK_NOTE
    assert requests.cell(2, 2).text == fmt.CHECK_NOTE
    assert requests.cell(0, 3).text == "申请人情况" and requests.cell(0, 9).text == "申请人情况"
    assert [requests.cell(2, c).text for c in range(3, 10)] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    rows = {r.cells[2].text: [c.text for c in r.cells[3:]] for r in requests.rows[3:]}
    assert rows["一、本年新收政府信息公开申请数量"] == ["1", "1", "0", "0", "0", "0", "2"]
    assert rows["（一）予以公开"] == ["1", "0", "0", "0", "0", "0", "1"]
    assert rows["四、结转下年度继续办理"] == ["0", "1", "0", "0", "0", "0", "1"]
    # the 不予公开 group label is one cell over its eight rows
    withheld = [r.cells[1].text for r in requests.rows[3:] if r.cells[1].text == "（三）不予公开"]
    assert len(withheld) == 8
    assert requests.rows[7].cells[1]._tc is requests.rows[14].cells[1]._tc
    # table 四: fifteen figures under a three-row head
    assert [appeals.cell(0, c).text for c in (0, 5)] == ["行政复议", "行政诉讼"]
    assert [c.text for c in appeals.rows[3].cells] == [
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "1",
        "1",
        "0",
        "0",
        "0",
        "0",
        "0",
    ]


def test_the_workbook(org, figures, client):
    response = _get(client, org, figures, "xlsx")
    assert f"filename*=UTF-8''{quote(str(figures) + '.xlsx')}" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    # one sheet per table
    assert wb.sheetnames == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    proactive = wb["二、主动公开政府信息情况"]
    values = {row[0]: row[1] for row in proactive.iter_rows(values_only=True)}
    assert values["行政许可"] == 321 and isinstance(values["行政许可"], int)
    assert values["行政事业性收费"] == Decimal("3.75") or values["行政事业性收费"] == 3.75
    assert "B7:D7" in {str(r) for r in proactive.merged_cells.ranges}  # 行政许可's figure
    assert proactive["A7"].value == "行政许可" and proactive["B7"].value == 321
    requests = wb["三、收到和处理政府信息公开申请情况"]
    assert requests["A1"].value == fmt.CHECK_NOTE and requests["A1"].font.bold
    assert "A1:C3" in {str(r) for r in requests.merged_cells.ranges}
    new = next(
        r
        for r in requests.iter_rows(values_only=True)
        if r[0] == "一、本年新收政府信息公开申请数量"
    )
    assert list(new[3:]) == [1, 1, 0, 0, 0, 0, 2]
    appeals = wb["四、政府信息公开行政复议、行政诉讼情况"]
    assert appeals["A1"].value == "行政复议" and appeals["A1"].font.bold
    assert [c.value for c in appeals[4]] == [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
