"""Submitting a report makes it an item of the disclosure flow: review, approval at the level of
its scope, publication into the catalogue. The tables freeze; a returned report can be edited and
resubmitted."""

import io

import docx
import pytest
from django.urls import reverse

from reports.models import AnnualReport
from reports.selectors import tables_for
from reports.services import report_submit, report_update
from workflow.exceptions import NotAllowed, WorkflowError
from workflow.models import Item

from .conftest import SUBMISSION_DAY, YEAR, D, on

pytestmark = pytest.mark.django_db


def _submit(report, user):
    with on(SUBMISSION_DAY):
        return report_submit(report=report, user=user)


def test_a_unit_report_goes_through_review_and_unit_approval_into_the_catalogue(
    org, unit_report, make_request, flow_steps, client
):
    # given a report with a figure and a text
    make_request(received_on=D(YEAR, 4, 1), answered_on=D(YEAR, 4, 20), outcome="disclosed")
    report_update(report=unit_report, user=org.users.drafter, overview="本年度全面推进政务公开。")
    # when the drafter submits it
    report = _submit(unit_report, org.users.drafter)
    # then an item of the unit's report category goes into review, approved by the unit head
    item = report.item
    assert item.unit == org.civil and item.section == org.relief
    assert item.author == org.users.drafter
    assert item.category.name == "政府信息公开年度报告"
    assert item.attribute == Item.Attribute.PROACTIVE
    assert item.scope == Item.Scope.UNIT
    assert item.title == f"测试区民政局{YEAR}年政府信息公开工作年度报告"
    assert item.formed_on == SUBMISSION_DAY
    assert item.status == Item.Status.IN_REVIEW
    assert report.stage == AnnualReport.Stage.SUBMITTED and not report.is_editable
    # and the body is the whole report as text, the Word file attached
    assert "一、总体情况\n本年度全面推进政务公开。" in item.body
    assert "（一）予以公开：自然人1" in item.body
    assert "六、其他需要报告的事项" in item.body
    (attachment,) = item.attachments.all()
    assert attachment.name == f"{item.title}.docx"
    document = docx.Document(io.BytesIO(attachment.file.read()))
    assert document.paragraphs[0].text == item.title
    assert len(document.tables) == 3
    # and the tables are frozen in the snapshot
    assert report.snapshot["requests"]["disclosed"]["total"] == 1
    assert report.submitted_by == org.users.drafter
    # and the report can no longer be edited
    with pytest.raises(WorkflowError):
        report_update(report=report, user=org.users.drafter, overview="改动")
    with pytest.raises(WorkflowError):
        _submit(report, org.users.drafter)

    # when review passes and the unit head approves
    with on(SUBMISSION_DAY):
        flow_steps.review(item, "pass")
        flow_steps.approve("approve_unit", org.users.unit_head)
    item.refresh_from_db()
    report.refresh_from_db()
    # then it is published, in the catalogue and on the public list
    assert item.status == Item.Status.PUBLISHED and item.index_number
    assert report.stage == AnnualReport.Stage.PUBLISHED
    catalogue = reverse("portal:catalogue_detail", args=[item.pk])
    assert client.get(catalogue).status_code == 200
    page = client.get(reverse("reports:published")).content.decode()
    assert item.title in page and f'href="{catalogue}"' in page
    assert f'data-year="{YEAR}"' in page
    # and the report page shows the index number and the catalogue link
    client.force_login(org.users.drafter)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert item.index_number in page and f'href="{catalogue}"' in page
    assert 'id="rep-submit"' not in page


def test_the_tables_stay_as_submitted(org, unit_report, make_request):
    make_request(received_on=D(YEAR, 4, 1))
    report = _submit(unit_report, org.users.drafter)
    # when more requests of the year are registered afterwards
    make_request(received_on=D(YEAR, 5, 1))
    report.refresh_from_db()
    # then the submitted report still shows what was submitted
    tables = tables_for(report)
    assert tables.frozen and tables.requests["new"]["total"] == 1


def test_a_returned_report_is_edited_and_resubmitted(org, unit_report, flow_steps):
    report = _submit(unit_report, org.users.drafter)
    item = report.item
    # when the reviewer returns it
    with on(SUBMISSION_DAY):
        flow_steps.review(item, "return", comment="请补充总体情况")
    report.refresh_from_db()
    # then it can be edited again
    assert report.stage == AnnualReport.Stage.RETURNED and report.is_editable
    report_update(report=report, user=org.users.drafter, overview="补充后的总体情况。")
    # and resubmitting regenerates the body and the Word file and completes the revision task
    report = _submit(report, org.users.drafter)
    item.refresh_from_db()
    assert item.status == Item.Status.IN_REVIEW
    assert "补充后的总体情况。" in item.body
    (attachment,) = item.attachments.all()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(attachment.file.read())).paragraphs)
    assert "补充后的总体情况。" in text
    assert not org.users.drafter.task_set.filter(status="ASSIGNED").exists()
    assert item.processes.count() == 1
    # and it can be approved as any item
    with on(SUBMISSION_DAY):
        flow_steps.review(item, "pass")
        flow_steps.approve("approve_unit", org.users.unit_head)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED


def test_only_the_drafter_who_submitted_resubmits(org, unit_report, flow_steps):
    report = _submit(unit_report, org.users.drafter)
    with on(SUBMISSION_DAY):
        flow_steps.review(report.item, "return", comment="请核实数据")
    report.refresh_from_db()
    with pytest.raises(NotAllowed):
        _submit(report, org.users.colleague)


def test_the_district_report_is_published_by_the_district_office(
    org, office, district_report, flow_steps
):
    # when a drafter of the district office submits the district's report
    report = _submit(district_report, org.users.office_drafter)
    item = report.item
    # then it is an item of the office, district-wide, approved by the district office
    assert item.unit == org.office and item.section == office
    assert item.scope == Item.Scope.DISTRICT
    assert item.title == f"测试区人民政府{YEAR}年政府信息公开工作年度报告"
    with on(SUBMISSION_DAY):
        flow_steps.review(item, "pass", user=org.users.office_reviewer)
        flow_steps.approve("approve_district", org.users.district_approver)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED


def test_a_preparer_who_does_not_draft_for_the_unit_cannot_submit(
    org, office, unit_report, district_report
):
    # the disclosure office prepares the unit's report, the supervisor the district's, but
    # neither drafts items there
    for report, user, unit in [
        (unit_report, org.users.officer, "民政局"),
        (district_report, org.users.supervisor, "区政府办公室"),
    ]:
        with pytest.raises(NotAllowed) as exc:
            _submit(report, user)
        assert unit in str(exc.value.message)
        report.refresh_from_db()
        assert report.item is None and not report.snapshot
    assert not Item.objects.exists()


def test_a_report_whose_check_fails_is_refused(org, unit_report, make_request):
    from workflow.models import LegalGround

    ground = LegalGround.objects.create(code="local-x", article="某规定", title="某事项")
    make_request(
        received_on=D(YEAR, 3, 1),
        answered_on=D(YEAR, 3, 5),
        outcome="not_disclosed",
        legal_ground=ground,
    )
    with pytest.raises(WorkflowError) as exc:
        _submit(unit_report, org.users.drafter)
    assert "自然人、总计" in str(exc.value.message)
    unit_report.refresh_from_db()
    assert unit_report.item is None
    assert not Item.objects.exists()


def test_the_submit_button_refuses_with_a_message(org, unit_report, make_request, client):
    from workflow.models import LegalGround

    ground = LegalGround.objects.create(code="local-x", article="某规定", title="某事项")
    make_request(
        received_on=D(YEAR, 3, 1),
        answered_on=D(YEAR, 3, 5),
        outcome="not_disclosed",
        legal_ground=ground,
    )
    client.force_login(org.users.drafter)
    url = reverse("reports:report_submit", args=[unit_report.pk])
    with on(SUBMISSION_DAY):
        response = client.post(url, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "自然人、总计" in html  # the refusal, in the messages
    assert 'class="rep-fail"' in html and 'id="rep-warnings"' in html
    assert not Item.objects.exists()
