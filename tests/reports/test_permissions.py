"""Who prepares and reads which report: the preparer, a colleague who may read, an outsider (404),
and an anonymous visitor (login page)."""

import pytest
from django.urls import reverse

from reports.models import Appeal

from .conftest import SUBMISSION_DAY, on

pytestmark = pytest.mark.django_db


def _status(client, user, url, method="get", data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    with on(SUBMISSION_DAY):
        return getattr(client, method)(url, data or {}).status_code


READ = ["report_detail", "report_docx", "report_xlsx"]
PREPARE = ["report_edit"]


def test_a_unit_report(org, unit_report, client):
    u = org.users
    urls = {name: reverse(f"reports:{name}", args=[unit_report.pk]) for name in READ + PREPARE}
    # the unit's drafter and its disclosure office prepare it
    for preparer in (u.drafter, u.colleague, u.officer):
        for name, url in urls.items():
            assert _status(client, preparer, url) == 200, (preparer, name)
    # the unit head reads it but does not edit it
    for name in READ:
        assert _status(client, u.unit_head, urls[name]) == 200, name
    assert _status(client, u.unit_head, urls["report_edit"]) == 404
    submit = reverse("reports:report_submit", args=[unit_report.pk])
    assert _status(client, u.unit_head, submit, "post") == 404
    # anyone else does not learn that it exists
    for outsider in (u.outsider, u.outsider_head, u.supervisor, u.reviewer, u.secrecy_reviewer):
        for name, url in urls.items():
            assert _status(client, outsider, url) == 404, (outsider, name)
        assert _status(client, outsider, submit, "post") == 404
    # and an anonymous visitor is sent to the login page
    client.logout()
    response = client.get(urls["report_detail"])
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_district_report(org, office, district_report, client):
    u = org.users
    detail = reverse("reports:report_detail", args=[district_report.pk])
    edit = reverse("reports:report_edit", args=[district_report.pk])
    for preparer in (u.supervisor, u.office_drafter):
        assert _status(client, preparer, detail) == 200
        assert _status(client, preparer, edit) == 200
    for outsider in (u.drafter, u.unit_head, u.officer, u.district_approver, u.outsider):
        assert _status(client, outsider, detail) == 404, outsider
        assert _status(client, outsider, edit) == 404, outsider


def test_the_list_shows_only_what_the_user_may_read(org, unit_report, client):
    from reports.services import report_create

    with on(SUBMISSION_DAY):
        edu_report = report_create(user=org.users.outsider, unit=org.edu, year=unit_report.year)
    client.force_login(org.users.unit_head)
    html = client.get(reverse("reports:report_list")).content.decode()
    assert f'data-report="{unit_report.pk}"' in html
    assert f'data-report="{edu_report.pk}"' not in html
    # the unit head reads but prepares nothing: no form to create a report
    assert 'name="owner"' not in html
    # someone without any part in annual reports gets 404
    assert _status(client, org.users.secrecy_reviewer, reverse("reports:report_list")) == 404


def test_creating_a_report_for_someone_else_is_refused(org, client):
    client.force_login(org.users.outsider)
    with on(SUBMISSION_DAY):
        response = client.post(
            reverse("reports:report_create"), {"owner": f"unit-{org.civil.pk}", "year": 2025}
        )
    assert response.status_code == 200
    assert "owner" in response.context["create_form"].errors
    from reports.models import AnnualReport

    assert not AnnualReport.objects.exists()


def test_creating_a_report_through_the_page(org, client):
    from reports.models import AnnualReport

    client.force_login(org.users.drafter)
    with on(SUBMISSION_DAY):
        response = client.post(
            reverse("reports:report_create"), {"owner": f"unit-{org.civil.pk}", "year": 2025}
        )
        report = AnnualReport.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("reports:report_detail", args=[report.pk])
        assert (report.unit, report.district, report.year) == (org.civil, org.district, 2025)
        # a second one for the same year is refused beside the field
        again = client.post(
            reverse("reports:report_create"), {"owner": f"unit-{org.civil.pk}", "year": 2025}
        )
    assert again.status_code == 200 and "year" in again.context["create_form"].errors
    assert AnnualReport.objects.count() == 1


def test_appeals_of_a_unit(org, client):
    u = org.users
    url = reverse("reports:appeal_list", args=[org.civil.pk])
    case = {
        "kind": "reconsideration",
        "case_number": "区复〔2025〕1号",
        "filed_on": "2025-05-06",
        "result": "pending",
    }
    # the preparer records a case
    assert _status(client, u.drafter, url, "post", case) == 302
    appeal = Appeal.objects.get()
    assert appeal.unit == org.civil and appeal.created_by == u.drafter
    edit = reverse("reports:appeal_edit", args=[appeal.pk])
    concluded = {**case, "concluded_on": "2025-07-01", "result": "upheld"}
    assert _status(client, u.drafter, edit, "post", concluded) == 302
    appeal.refresh_from_db()
    assert appeal.result == "upheld"
    # the unit head reads the list, may not record or edit
    assert _status(client, u.unit_head, url) == 200
    assert _status(client, u.unit_head, url, "post", {**case, "case_number": "2"}) == 404
    assert _status(client, u.unit_head, edit) == 404
    # an outsider gets 404 everywhere
    assert _status(client, u.outsider, url) == 404
    assert _status(client, u.outsider, edit) == 404
    assert Appeal.objects.count() == 1
    # anonymous: the login page
    client.logout()
    assert client.get(url).status_code == 302


def test_the_navigation_condition(org):
    from reports.permissions import has_report_access

    u = org.users
    for user in (u.drafter, u.officer, u.unit_head, u.supervisor, u.outsider):
        assert has_report_access(user), user
    for user in (u.reviewer, u.secrecy_reviewer, u.district_approver):
        assert not has_report_access(user), user
