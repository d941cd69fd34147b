"""The services audit every change and refuse what the format or the roles do not allow; the demo
lets the district's report be submitted."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from reports.models import AnnualReport, Appeal
from reports.services import (
    appeal_record,
    appeal_update,
    report_create,
    report_submit,
    report_update,
)
from workflow.exceptions import NotAllowed

from .conftest import SUBMISSION_DAY, YEAR, D, on

pytestmark = pytest.mark.django_db


def _actions(subject):
    from django.contrib.contenttypes.models import ContentType

    return list(
        AuditEntry.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=str(subject.pk),
            action__startswith="reports.",
        )
        .order_by("pk")
        .values_list("action", "actor__username")
    )


def test_every_change_of_a_report_is_audited(org, unit_report):
    report_update(report=unit_report, user=org.users.officer, overview="总体情况", fee_amount=1)
    report_update(report=unit_report, user=org.users.officer, overview="总体情况")  # no change
    with on(SUBMISSION_DAY):
        report_submit(report=unit_report, user=org.users.drafter)
    assert _actions(unit_report) == [
        ("reports.report.created", "drafter"),
        ("reports.report.edited", "officer"),
        ("reports.report.submitted", "drafter"),
    ]
    edited = AuditEntry.objects.get(action="reports.report.edited")
    assert edited.data["changed"]["overview"] == ["", "总体情况"]
    assert edited.data["changed"]["fee_amount"][1] == "1"
    submitted = AuditEntry.objects.get(action="reports.report.submitted")
    assert (submitted.old_state, submitted.new_state) == ("draft", "submitted")


def test_creating_reports(org, office):
    u = org.users
    with on(SUBMISSION_DAY):
        # one per unit and year, one per district and year
        report_create(user=u.drafter, unit=org.civil, year=YEAR)
        with pytest.raises(ValidationError):
            report_create(user=u.officer, unit=org.civil, year=YEAR)
        assert AnnualReport.objects.filter(unit=org.civil).count() == 1
        report_create(user=u.office_drafter, district=org.district, year=YEAR)
        with pytest.raises(ValidationError):
            report_create(user=u.supervisor, district=org.district, year=YEAR)
        # the unit's report and the district's are different reports
        report_create(user=u.office_drafter, unit=org.office, year=YEAR)
        # not for a year to come, nor for somebody else's unit or district
        with pytest.raises(ValidationError):
            report_create(user=u.drafter, unit=org.civil, year=2027)
        with pytest.raises(NotAllowed):
            report_create(user=u.outsider, unit=org.civil, year=YEAR - 1)
        with pytest.raises(NotAllowed):
            report_create(user=u.drafter, district=org.district, year=YEAR - 1)
        with pytest.raises(NotAllowed):
            report_create(user=u.unit_head, unit=org.civil, year=YEAR - 1)
    assert AnnualReport.objects.count() == 3


def test_readers_do_not_edit(org, unit_report):
    with pytest.raises(NotAllowed):
        report_update(report=unit_report, user=org.users.unit_head, overview="改动")
    with pytest.raises(NotAllowed):
        report_update(report=unit_report, user=org.users.outsider, overview="改动")
    unit_report.refresh_from_db()
    assert unit_report.overview == ""


def test_cases_are_recorded_concluded_and_audited(org, make_request):
    request = make_request(received_on=D(YEAR, 1, 5))
    appeal = appeal_record(
        user=org.users.officer,
        unit=org.civil,
        kind=Appeal.Kind.LITIGATION_DIRECT,
        case_number=" （2025）京0101行初7号 ",
        filed_on=D(YEAR, 3, 1),
        request=request,
    )
    assert appeal.case_number == "（2025）京0101行初7号"
    assert appeal.result == Appeal.Result.PENDING
    appeal_update(
        appeal=appeal, user=org.users.drafter, concluded_on=D(YEAR, 9, 1), result="corrected"
    )
    assert _actions(appeal) == [
        ("reports.appeal.recorded", "officer"),
        ("reports.appeal.edited", "drafter"),
    ]
    edited = AuditEntry.objects.get(action="reports.appeal.edited")
    assert (edited.old_state, edited.new_state) == ("pending", "corrected")
    assert edited.data["changed"]["concluded_on"] == ["", "2025-09-01"]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"result": "upheld"}, "concluded_on"),  # a result without a conclusion
        ({"concluded_on": D(YEAR, 5, 1)}, "result"),  # concluded without a result
        ({"concluded_on": D(YEAR, 1, 1), "result": "upheld"}, "concluded_on"),  # before filing
    ],
)
def test_inconsistent_cases_are_refused(org, fields, error):
    with pytest.raises(ValidationError) as exc:
        appeal_record(
            user=org.users.drafter,
            unit=org.civil,
            kind="reconsideration",
            case_number="复1",
            filed_on=D(YEAR, 2, 1),
            **fields,
        )
    assert error in exc.value.error_dict
    assert not Appeal.objects.exists()


def test_cases_belong_to_the_unit_and_its_requests(org, make_request):
    other = make_request(unit=org.edu)
    with pytest.raises(ValidationError) as exc:
        appeal_record(
            user=org.users.drafter,
            unit=org.civil,
            kind="reconsideration",
            case_number="复1",
            filed_on=D(YEAR, 2, 1),
            request=other,
        )
    assert "request" in exc.value.error_dict
    with pytest.raises(NotAllowed):
        appeal_record(
            user=org.users.unit_head,
            unit=org.civil,
            kind="reconsideration",
            case_number="复1",
            filed_on=D(YEAR, 2, 1),
        )
    appeal_record(
        user=org.users.drafter,
        unit=org.civil,
        kind="reconsideration",
        case_number="复1",
        filed_on=D(YEAR, 2, 1),
    )
    with pytest.raises(ValidationError):  # the same case twice
        appeal_record(
            user=org.users.drafter,
            unit=org.civil,
            kind="reconsideration",
            case_number="复1",
            filed_on=D(YEAR, 2, 1),
        )
    assert Appeal.objects.count() == 1


def test_the_demo_district_report_can_be_submitted(db):
    from django.contrib.auth import get_user_model

    from workflow.demo import demo_seed
    from workflow.models import Category, District, Item

    # given the demo
    with on(SUBMISSION_DAY):
        logins = demo_seed()
    users = get_user_model().objects
    assert "office_drafter" in {login.username for login in logins}
    assert Category.objects.get(name="政策文件").report_kind == "normative"
    district = District.objects.get()
    # when the supervisor creates the district's report and the office's drafter submits it
    with on(SUBMISSION_DAY):
        report = report_create(user=users.get(username="supervisor"), district=district, year=YEAR)
        report = report_submit(report=report, user=users.get(username="office_drafter"))
    # then it waits for the office's reviewer, district-wide
    assert report.item.status == Item.Status.IN_REVIEW
    assert report.item.scope == Item.Scope.DISTRICT
    assert report.item.unit.kind == "district_office"


def test_the_admin_lists_reports_and_records_cases_with_an_audit_row(org, unit_report, client):
    from django.urls import reverse

    from tests.factories import UserFactory

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:reports_annualreport_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:reports_annualreport_change", args=[unit_report.pk])).status_code
        == 200
    )
    response = client.post(
        reverse("admin:reports_appeal_add"),
        {
            "unit": org.civil.pk,
            "kind": "reconsideration",
            "case_number": "区复〔2025〕9号",
            "filed_on": "2025-06-01",
            "result": "pending",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert appeal.created_by == admin
    assert _actions(appeal) == [("reports.appeal.recorded", "root")]
