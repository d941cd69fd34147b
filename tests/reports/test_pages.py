"""The pages: constant query counts as the data grows, Chinese everywhere, the public list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.services import appeal_record, report_submit
from tests.chinese import english_in_html
from workflow.models import LegalGround

from .conftest import SUBMISSION_DAY, YEAR, D, on

pytestmark = pytest.mark.django_db


def _data(org, make_request, n, offset=0):
    """n requests of all kinds and states, and a case per three requests."""
    kinds = [("natural_person", ""), ("legal_person", "commercial"), ("legal_person", "research")]
    outcomes = ["disclosed", "not_disclosed", "not_held", "", "abandoned", "partly_disclosed"]
    ground = LegalGround.objects.get(code="art15-third-party")
    for i in range(n):
        kind, org_type = kinds[i % 3]
        outcome = outcomes[i % len(outcomes)]
        make_request(
            received_on=D(YEAR - (i % 2), 1 + i % 12, 1),
            answered_on=D(YEAR, 12, 1) if outcome else None,
            outcome=outcome,
            applicant_kind=kind,
            organisation_type=org_type,
            legal_ground=ground if outcome == "not_disclosed" else None,
        )
        if i % 3 == 0:
            appeal_record(
                user=org.users.drafter,
                unit=org.civil,
                kind=["reconsideration", "litigation_direct"][i % 2],
                case_number=f"案{offset + i}",
                filed_on=D(YEAR, 1 + i % 12, 2),
            )


def _queries(client, url):
    with on(SUBMISSION_DAY), CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("name", ["report_detail", "report_xlsx", "report_docx"])
def test_the_query_count_does_not_grow_with_the_data(org, unit_report, make_request, client, name):
    client.force_login(org.users.drafter)
    url = reverse(f"reports:{name}", args=[unit_report.pk])
    _data(org, make_request, 3)
    _queries(client, url)  # warm process-wide caches (content types, templates)
    few, response = _queries(client, url)
    _data(org, make_request, 27, offset=100)
    many, response = _queries(client, url)
    if name == "report_detail":
        tables = response.context["tables"]
        assert tables.requests["new"]["total"] + tables.requests["carried_over"]["total"] == 30
        assert tables.check_ok
    assert few == many, (few, many)


def test_the_report_list_query_count_does_not_grow(org, client, office):
    from reports.services import report_create

    client.force_login(org.users.supervisor)
    url = reverse("reports:report_list")
    with on(SUBMISSION_DAY):
        report_create(user=org.users.supervisor, district=org.district, year=YEAR)
    few, _response = _queries(client, url)
    few, _response = _queries(client, url)
    with on(SUBMISSION_DAY):
        for year in range(YEAR - 5, YEAR):
            report_create(user=org.users.supervisor, district=org.district, year=year)
    many, _response = _queries(client, url)
    assert few == many, (few, many)


def test_the_published_list_is_public_and_grouped_by_year(client, db):
    # nothing published yet: the page still answers, in Chinese
    response = client.get(reverse("reports:published"))
    assert response.status_code == 200
    assert "data-year" not in response.content.decode()


@pytest.fixture
def pages(org, office, unit_report, district_report, make_request):
    """Every page of the app, with something on it: warnings, a case, a submitted report."""
    with on(SUBMISSION_DAY):
        report_submit(report=district_report, user=org.users.office_drafter)
    ground = LegalGround.objects.create(code="local-x", article="某规定", title="某事项")
    make_request(
        received_on=D(YEAR, 3, 1),
        answered_on=D(YEAR, 3, 5),
        outcome="not_disclosed",
        legal_ground=ground,
    )
    make_request(received_on=D(YEAR, 3, 1), answered_on=D(YEAR, 3, 5), outcome="")
    appeal = appeal_record(
        user=org.users.drafter,
        unit=org.civil,
        kind="reconsideration",
        case_number="区复1号",
        filed_on=D(YEAR, 4, 1),
    )
    return {
        org.users.drafter: [
            reverse("reports:report_list"),
            reverse("reports:report_detail", args=[unit_report.pk]),
            reverse("reports:report_edit", args=[unit_report.pk]),
            reverse("reports:appeal_list", args=[org.civil.pk]),
            reverse("reports:appeal_edit", args=[appeal.pk]),
        ],
        org.users.unit_head: [
            reverse("reports:report_list"),
            reverse("reports:report_detail", args=[unit_report.pk]),
            reverse("reports:appeal_index"),
        ],
        org.users.supervisor: [
            reverse("reports:report_list"),
            reverse("reports:report_detail", args=[district_report.pk]),
        ],
        None: [reverse("reports:published")],
    }


def test_every_page_speaks_chinese(client, pages, report_translations):
    checked = 0
    for user, urls in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            with on(SUBMISSION_DAY):
                response = client.get(url, follow=True)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert english_in_html(html) == [], url
            checked += 1
    assert checked == 11
    # and the warnings speak Chinese too
    client.force_login(next(u for u in pages if u is not None))
    html = client.get(pages[next(iter(pages))][1]).content.decode()
    assert "某规定 某事项" in html and 'id="rep-warnings"' in html
