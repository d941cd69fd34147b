"""The supervisors' dashboard: who sees it, the numbers on a data set computed by hand, the list
with its working days and escalation status, filters and drill-down, and the trend charts."""

import re

import pytest
from django.urls import reverse

from notifications.sweep import deadlines_sweep
from tests.supervision.conftest import TODAY, D, on

pytestmark = pytest.mark.django_db
URL = "/supervision/"


def get(client, params=None, day=TODAY):
    with on(day):
        response = client.get(URL, params or {})
    assert response.status_code == 200
    return response


def rows_of(response):
    return [(r.kind, r.pk, r.overdue, r.workdays) for r in response.context["rows"]]


# --- who may see it ------------------------------------------------------------------------


def test_url_names():
    assert reverse("supervision:dashboard") == URL
    assert reverse("supervision:export") == "/supervision/export.xlsx"


@pytest.mark.parametrize("url", [URL, "/supervision/export.xlsx"])
def test_only_supervisors_see_it(client, org, url):
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client.get(url)["Location"].startswith(reverse("login"))
    for user in (org.users.drafter, org.users.reviewer, org.users.outsider, org.users.unit_head):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    client.force_login(org.users.supervisor)
    assert client.get(url).status_code == 200


def test_the_navigation_flag(client, org):
    client.force_login(org.users.drafter)
    assert client.get(reverse("workflow:inbox")).context["nav_supervisor"] is False
    client.force_login(org.users.supervisor)
    assert client.get(reverse("workflow:inbox")).context["nav_supervisor"] is True


def test_another_districts_supervisor_sees_nothing_of_ours(client, org, dataset):
    from tests.factories import UserFactory
    from workflow.models import District, Unit
    from workflow.services.organisation import position_assign

    other = District.objects.create(name="邻区", code="T02")
    office = Unit.objects.create(district=other, name="邻区政府办公室", code="LQB")
    user = UserFactory(username="other_supervisor")
    position_assign(user=user, unit=office, section=None, role="supervisor")
    client.force_login(user)
    response = get(client, {"unit": org.civil.pk})  # someone else's unit: ignored
    assert [r.unit for r in response.context["unit_rows"]] == [office]
    assert response.context["scope"].unit is None
    assert response.context["counters"].open_requests == 0
    assert response.context["rows"] == []


# --- the numbers ---------------------------------------------------------------------------


def test_counters_on_a_known_data_set(supervisor_client, dataset):
    c = get(supervisor_client).context["counters"]
    # Open: r_late, r_edu_late, r_risk, r_ok (the two closed ones are not open).
    assert c.open_requests == 4
    assert c.overdue_requests == 2  # r_late and r_edu_late, due 11-03
    assert c.at_risk_requests == 1  # r_risk, due 11-16
    # Items: i_late due 11-09; i_risk and i_edu_risk due 11-16; the on-request item does not
    # count (Art. 26 binds proactive disclosure); the referred and countersigning ones are due
    # 11-23, beyond the three working days.
    assert c.overdue_items == 1
    assert c.at_risk_items == 2
    assert c.overdue_referrals == 1  # to the secrecy bureau, due 11-09
    assert c.overdue_countersigns == 2  # the education bureau's and the office's, due 11-09


def test_the_table_by_unit_lists_every_unit(supervisor_client, org, dataset):
    response = get(supervisor_client)
    table = {
        r.unit.name: (
            r.open_requests,
            r.at_risk_requests,
            r.overdue_requests,
            r.at_risk_items,
            r.overdue_items,
        )
        for r in response.context["unit_rows"]
    }
    assert table == {
        "民政局": (3, 1, 1, 1, 1),
        "教育局": (1, 0, 1, 1, 0),
        "区政府办公室": (0, 0, 0, 0, 0),
        "区保密局": (0, 0, 0, 0, 0),
    }
    html = response.content.decode()
    # Each unit links to the dashboard drilled down to it.
    assert f'href="?unit={org.edu.pk}"' in html


def test_the_table_by_stage(supervisor_client, dataset):
    stages = {
        (r.kind, r.value): (r.total, r.at_risk, r.overdue)
        for r in get(supervisor_client).context["stage_rows"]
    }
    assert stages[("request", "drafting")] == (1, 0, 1)
    assert stages[("request", "check")] == (3, 1, 1)  # r_edu_late, r_risk, r_ok
    assert stages[("request", "review")] == (0, 0, 0)
    # Open proactive items by status.
    assert stages[("item", "draft")] == (4, 2, 1)  # i_late, i_risk, i_ok, i_edu_risk
    assert stages[("item", "referred")] == (1, 0, 0)
    assert stages[("item", "countersigning")] == (1, 0, 0)
    assert ("item", "published") not in stages and ("request", "closed") not in stages


# --- the list ------------------------------------------------------------------------------


def test_the_list_most_overdue_first_with_working_days(supervisor_client, dataset):
    s = dataset
    response = get(supervisor_client)
    late = sorted([s.r_late.pk, s.r_edu_late.pk])
    assert rows_of(response) == [
        # Due Tue 11-03: 11-04, 05, 06, (weekend), 09, 10, 11, 12 = 7 working days late.
        ("request", late[0], True, 7),
        ("request", late[1], True, 7),
        # Due Mon 11-09: 10, 11, 12 = 3 working days late.
        ("item", s.i_late.pk, True, 3),
        # Due Mon 11-16: 13, (weekend), 16 = 2 working days left.
        ("request", s.r_risk.pk, False, 2),
        ("item", s.i_risk.pk, False, 2),
        ("item", s.i_edu_risk.pk, False, 2),
    ]
    html = response.content.decode()
    assert f'href="/requests/{s.r_late.pk}/"' in html and s.r_late.tracking_code in html
    assert f'href="/items/{s.i_late.pk}/">逾期事项</a>' in html
    row = re.search(rf'<tr data-kind="request" data-pk="{s.r_late.pk}"[^>]*>', html).group(0)
    assert 'data-workdays="-7"' in row and "sup-row-overdue" in row
    row = re.search(rf'<tr data-kind="item" data-pk="{s.i_risk.pk}"[^>]*>', html).group(0)
    assert 'data-workdays="2"' in row and "sup-row-at-risk" in row
    # The detail pages linked open for the supervisor.
    with on(TODAY):
        assert supervisor_client.get(f"/requests/{s.r_late.pk}/").status_code == 200
        assert supervisor_client.get(f"/items/{s.i_late.pk}/").status_code == 200


def test_working_days_overdue_skip_the_national_day_holiday(supervisor_client, req):
    # Received Tue 09-01: 20 working days, counting the make-up Sunday 09-20 and skipping the
    # Mid-Autumn Friday 09-25, end on Tue 09-29.
    request = req.register(received=D(2026, 9, 1))
    assert request.due_on == D(2026, 9, 29)
    # On Mon 10-12 it is late by 09-30, (10-01..10-07 National Day), 10-08, 10-09, the make-up
    # Saturday 10-10, (Sunday 10-11), 10-12: 5 working days, not 13 calendar days.
    response = get(supervisor_client, day=D(2026, 10, 12))
    assert rows_of(response) == [("request", request.pk, True, 5)]


def test_escalation_status_after_the_sweep(supervisor_client, dataset):
    from workflow.models import DisclosureRequest

    s = dataset
    response = get(supervisor_client)
    assert all(r.escalation is None for r in response.context["rows"])
    assert "sup-escalation" in response.content.decode()
    deadlines_sweep(today=TODAY)
    response = get(supervisor_client)
    status = {(r.kind, r.pk): r.escalation for r in response.context["rows"]}
    # 7 working days late: every rung up to the district office (one per 2 working days).
    assert status[("request", s.r_late.pk)].rung == "district"
    assert status[("request", s.r_late.pk)].action == "notify"
    assert status[("request", s.r_late.pk)].workdays == 7
    # 3 working days late: the section head's rung.
    assert status[("item", s.i_late.pk)].rung == "section_head"
    # At risk: reminded, not escalated.
    assert status[("request", s.r_risk.pk)] is None
    html = response.content.decode()
    assert html.count('data-rung="district"') == 2  # r_late and r_edu_late
    assert html.count('data-rung=""') == 3
    # A moved due date starts afresh: the rungs reached for the old date no longer show.
    DisclosureRequest.objects.filter(pk=s.r_late.pk).update(due_on=D(2026, 11, 10))
    status = {(r.kind, r.pk): r.escalation for r in get(supervisor_client).context["rows"]}
    assert status[("request", s.r_late.pk)] is None


# --- filters and drill-down ----------------------------------------------------------------


def test_drill_down_to_a_unit(supervisor_client, org, dataset):
    s = dataset
    response = get(supervisor_client, {"unit": org.edu.pk})
    assert response.context["scope"].unit == org.edu
    c = response.context["counters"]
    assert (c.open_requests, c.overdue_requests, c.at_risk_requests) == (1, 1, 0)
    assert (c.overdue_items, c.at_risk_items) == (0, 1)
    assert (c.overdue_referrals, c.overdue_countersigns) == (0, 1)
    assert [(k, pk) for k, pk, *_ in rows_of(response)] == [
        ("request", s.r_edu_late.pk),
        ("item", s.i_edu_risk.pk),
    ]
    # The by-unit table still shows every unit, the chosen one marked.
    assert len(response.context["unit_rows"]) == 4
    assert 'aria-current="true"' in response.content.decode()
    # The stages count the unit only.
    stages = {(r.kind, r.value): r.total for r in response.context["stage_rows"]}
    assert stages[("request", "check")] == 1 and stages[("item", "draft")] == 1


def test_filters_by_stage_and_kind(supervisor_client, org, dataset):
    s = dataset
    response = get(supervisor_client, {"stage": "drafting"})
    assert [pk for _k, pk, *_ in rows_of(response)] == [s.r_late.pk]
    response = get(supervisor_client, {"kind": "item"})
    assert [pk for _k, pk, *_ in rows_of(response)] == [s.i_late.pk, s.i_risk.pk, s.i_edu_risk.pk]
    response = get(supervisor_client, {"kind": "request", "unit": org.civil.pk})
    assert [pk for _k, pk, *_ in rows_of(response)] == [s.r_late.pk, s.r_risk.pk]
    # A request stage with kind=item: nothing. Unknown values are ignored.
    assert rows_of(get(supervisor_client, {"kind": "item", "stage": "drafting"})) == []
    response = get(supervisor_client, {"stage": "nonsense", "kind": "x", "unit": "abc"})
    assert len(rows_of(response)) == 6
    # Stage links in the by-stage table filter the list and keep the unit.
    html = get(supervisor_client, {"unit": org.civil.pk}).content.decode()
    assert f'href="?unit={org.civil.pk}&amp;stage=drafting"' in html


def test_pagination_keeps_the_filters(supervisor_client, org, dataset, monkeypatch):
    monkeypatch.setattr("supervision.selectors.subjects.PAGE_SIZE", 2)
    s = dataset
    first = get(supervisor_client, {"unit": org.civil.pk})
    assert first.context["page_obj"].paginator.count == 4
    assert [pk for _k, pk, *_ in rows_of(first)] == [s.r_late.pk, s.i_late.pk]
    html = first.content.decode()
    assert f'href="?unit={org.civil.pk}&amp;page=2#sup-list"' in html
    assert f'href="/supervision/export.xlsx?unit={org.civil.pk}"' in html
    second = get(supervisor_client, {"unit": org.civil.pk, "page": 2})
    assert [pk for _k, pk, *_ in rows_of(second)] == [s.r_risk.pk, s.i_risk.pk]
    html = second.content.decode()
    assert f'href="/supervision/export.xlsx?unit={org.civil.pk}"' in html  # no page
    assert f'href="?unit={org.civil.pk}&amp;page=1#sup-list"' in html


# --- trends --------------------------------------------------------------------------------


def test_trends_by_month_as_svg_with_a_table(supervisor_client, dataset):
    response = get(supervisor_client)
    charts = {c["id"]: c for c in response.context["charts"]}
    received = dict(charts["chart-received"]["rows"])
    assert list(received)[0] == "2025-12" and list(received)[-1] == "2026-11"
    assert len(received) == 12
    # Received: three on 09-30, two on 10-19, one on 11-02.
    assert received["2026-09"] == [3] and received["2026-10"] == [2] and received["2026-11"] == [1]
    answered = dict(charts["chart-answered"]["rows"])
    assert answered["2026-11"] == [1, 1]  # 11-10 on time (due 11-16), 11-05 late (due 11-03)
    published = dict(charts["chart-published"]["rows"])
    assert published["2026-10"] == [1] and sum(v[0] for v in published.values()) == 1
    html = response.content.decode()
    svg = html[html.index('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') :]
    svg = svg[: svg.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="chart-received-title' in svg
    assert '<title id="chart-received-title">' in svg
    assert re.search(r'data-month="2026-09" data-series="[^"]+" data-value="3"', svg)
    assert "<details>" in html and "<script" not in html


def test_chart_labels_are_escaped():
    from supervision.charts import Series, bar_chart

    svg = bar_chart(
        chart_id="c",
        title="<script>alert(1)</script>",
        labels=["<b>"],
        series=[Series('a"b', [2], "#000")],
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<b>" not in svg and 'data-series="a&quot;b"' in svg


# --- the query count does not grow with the data -------------------------------------------


def _overdue_work(req, make_item, n):
    with on(D(2026, 11, 2)):
        for i in range(n):
            req.register(received=D(2026, 9, 30))
            make_item(title=f"逾期事项{i}", formed_on=D(2026, 10, 12))


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with on(TODAY), CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("url", [URL, "/supervision/export.xlsx"])
def test_the_query_count_does_not_grow_with_the_data(supervisor_client, req, make_item, url):
    _overdue_work(req, make_item, 3)
    deadlines_sweep(today=TODAY)
    _queries(supervisor_client, url)  # warm process-wide caches (content types, templates)
    few, response = _queries(supervisor_client, url)
    _overdue_work(req, make_item, 27)
    deadlines_sweep(today=TODAY)
    many, response = _queries(supervisor_client, url)
    if url == URL:
        assert response.context["page_obj"].paginator.count == 60
        assert len(response.context["rows"]) == 50
        assert all(r.escalation is not None for r in response.context["rows"])
    assert few == many, (few, many)
