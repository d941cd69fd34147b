"""The public portal: browsing the catalogue, entries, the guides and the feed, with no login."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from portal.models import Guide
from workflow.models import Category

pytestmark = pytest.mark.django_db


def test_browse_by_category_unit_and_year(org, publish, client):
    other = Category.objects.create(name="财政信息", order=9)
    relief = publish(title="低保标准调整", summary="救助")
    budget = publish(title="2026年部门预算", summary="部门预算", category=other)
    url = reverse("portal:catalogue")
    html = client.get(url, {"category": other.pk}).content.decode()
    assert "2026年部门预算" in html and "低保标准调整" not in html
    html = client.get(url, {"unit": org.civil.pk}).content.decode()
    assert "2026年部门预算" in html and "低保标准调整" in html
    assert "2026年部门预算" not in client.get(url, {"unit": org.edu.pk}).content.decode()
    year = relief.index_year
    html = client.get(url, {"year": year}).content.decode()
    assert "低保标准调整" in html
    assert "低保标准调整" not in client.get(url, {"year": year - 1}).content.decode()
    # The facets count what the current filter shows.
    page = client.get(url, {"category": other.pk})
    assert dict((c.pk, n) for c, n in page.context["category_facets"])[other.pk] == 1
    assert budget.index_number in html


@pytest.mark.parametrize("value", ["abc", "²", "-1", "9" * 30, "<b>"])
def test_odd_filters_show_the_whole_catalogue(publish, client, value):
    entry = publish(title="低保标准调整")
    for name in ("category", "unit", "year", "page"):
        response = client.get(reverse("portal:catalogue"), {name: value})
        assert response.status_code == 200
        assert entry.title in response.content.decode()


def test_an_entry_shows_the_catalogue_fields(org, publish, client):
    import datetime as dt

    entry = publish(title="低保标准调整", formed_on=dt.date(2026, 3, 2))
    html = client.get(reverse("portal:catalogue_detail", args=[entry.pk])).content.decode()
    for text in (entry.index_number, "低保标准调整", "低保标准调整", "2026-03-02", "主动公开"):
        assert text in html
    assert entry.public_body in html


def test_an_on_request_entry_shows_no_text(org, publish, client):
    entry = publish(title="依申请公开的信息", attribute="on_request", body="依申请公开的正文内容")
    html = client.get(reverse("portal:catalogue_detail", args=[entry.pk])).content.decode()
    assert "依申请公开的信息" in html
    assert "依申请公开的正文内容" not in html


def test_other_units_drafts_and_withheld_items_answer_404(org, make_item, flow_steps, client):
    draft = make_item(title="教育局草稿", section=org.edu_section, author=org.users.outsider)
    in_review = make_item(title="审查中")
    flow_steps.submit(in_review)
    for item in (draft, in_review):
        assert client.get(reverse("portal:catalogue_detail", args=[item.pk])).status_code == 404
    html = client.get(reverse("portal:catalogue")).content.decode()
    assert "教育局草稿" not in html and "审查中" not in html


def test_the_catalogue_costs_the_same_queries_with_more_entries(publish, client):
    url = reverse("portal:catalogue")
    publish(title="第1条")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(2, 13):
        publish(title=f"第{n}条")
    assert count() == few


def test_the_guide_shows_the_office_and_the_rules(org, client):
    url = reverse("portal:guide", args=[org.civil.code])
    html = client.get(url).content.decode()
    assert "尚未填写" in html  # no contact details yet, and the page still explains the rules
    assert "20个工作日" in html
    Guide.objects.create(unit=org.civil, office_name="民政局办公室", phone="010-12345678")
    html = client.get(url).content.decode()
    assert "民政局办公室" in html and "010-12345678" in html


def test_unknown_units_and_the_secrecy_bureau_have_no_guide(org, client):
    assert client.get(reverse("portal:guide", args=["NOPE"])).status_code == 404
    assert client.get(reverse("portal:guide", args=[org.secrecy.code])).status_code == 404


def test_administrators_edit_the_guide_and_it_is_audited(org, client):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    response = client.post(
        reverse("admin:portal_guide_add"),
        {"unit": org.civil.pk, "office_name": "民政局办公室", "phone": "010-1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    guide = Guide.objects.get(unit=org.civil)
    assert guide.updated_by == admin
    response = client.post(
        reverse("admin:portal_guide_change", args=[guide.pk]),
        {"unit": org.civil.pk, "office_name": "民政局政务公开办", "phone": "010-1"},
    )
    assert response.status_code == 302
    entries = AuditEntry.objects.filter(subject_id=str(guide.pk), action__startswith="portal.guide")
    assert [e.action for e in entries.order_by("pk")] == [
        "portal.guide.created",
        "portal.guide.updated",
    ]
    last = entries.order_by("pk").last()
    assert last.data["changed"] == {
        "office_name": {"old": "民政局办公室", "new": "民政局政务公开办"}
    }
    # Guides are edited, never deleted.
    assert client.get(reverse("admin:portal_guide_delete", args=[guide.pk])).status_code == 403


def test_the_feed_lists_published_entries_only(org, publish, make_item, client):
    entry = publish(title="低保标准调整")
    make_item(title="草稿不进订阅")
    response = client.get(reverse("portal:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "低保标准调整" in xml and "草稿不进订阅" not in xml
    assert reverse("portal:catalogue_detail", args=[entry.pk]) in xml


def test_the_home_page_links_everything(publish, client):
    publish(title="低保标准调整")
    html = client.get(reverse("portal:home")).content.decode()
    for url in (
        reverse("portal:catalogue"),
        reverse("portal:guide_list"),
        reverse("public:apply"),
        reverse("public:status"),
    ):
        assert url in html
    assert "低保标准调整" in html


@pytest.mark.parametrize("code", ["\x00", "YSQ2026-\x00ABC", "%", "代码", "A" * 500])
def test_odd_tracking_codes_find_nothing(client, code):
    response = client.get(reverse("public:status"), {"code": code})
    assert response.status_code == 200
    assert "未找到该查询码对应的申请" in response.content.decode()
