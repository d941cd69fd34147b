"""Chinese search over the catalogue: words cut by jieba, matched through the search index (a RUM
index on PostgreSQL, FTS5 on SQLite), only ever over the public version, counted up to a cap,
bounded in time, and shown with the words marked."""

import datetime as dt
import importlib
import sys
import time

import pytest
from celery.signals import worker_process_init
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from config.celery_app import preload_search_words
from portal.highlight import highlight, snippet
from portal.selectors import bounded_public_read, catalogue_search
from portal.views import count_label
from workflow.models import CatalogueEntry, Category, Item
from workflow.search import document_words, query_words
from workflow.search.index import FTS_TABLE
from workflow.search.query import Filters, Search, Tally
from workflow.search.words import _jieba

from ..review.conftest import ID_NUMBER

pytestmark = pytest.mark.django_db

SCHOOL = "关于做好2026年义务教育阶段学生资助工作的通知：家庭经济困难学生可申请生活补助。"
RELIEF = "城乡最低生活保障标准自2026年1月起上调，低保对象按新标准领取救助金。"
TAX = "小微企业减税降费政策问答，涉及增值税和个人所得税。"


@pytest.fixture
def entries(publish):
    return {
        "school": publish(body=SCHOOL, title="义务教育学生资助通知", summary="学生资助"),
        "relief": publish(body=RELIEF, title="城乡低保标准调整", summary="低保标准"),
        "tax": publish(body=TAX, title="减税降费政策问答", summary="税费政策"),
    }


def search_page(q: str = "", **filters) -> tuple[list[Item], object]:
    """Every entry the search reaches (up to the cap), in order, and its tally."""
    with bounded_public_read() as using:
        results = catalogue_search(using=using, q=q, **filters)
        return results[: results.count()], results.tally


def found(q: str, **filters) -> set[int]:
    return {entry.pk for entry in search_page(q, **filters)[0]}


def test_words_are_cut_and_every_character_is_kept():
    words = document_words("义务教育阶段学生资助").split()
    assert {"义务", "教育", "义务教育", "学生", "资助"} <= set(words)
    assert {"阶", "段"} <= set(words)
    assert query_words("  学生资助， 义务教育！") == ["学生", "资助", "义务教育"]
    assert query_words("'&|!:*()<>") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("义务教育", {"school"}),
        ("学生资助", {"school"}),
        ("教育", {"school"}),
        ("低保", {"relief"}),
        ("最低生活保障", {"relief"}),
        ("税", {"tax"}),  # one character
        ("增值税", {"tax"}),
        ("2026", {"school", "relief"}),
        ("救助金 低保", {"relief"}),  # several words: all must match
        ("学生 低保", set()),
        ("养老", set()),
    ],
)
def test_search_finds_chinese_text(entries, query, expected):
    assert found(query) == {entries[name].pk for name in expected}


def test_the_search_page_lists_what_it_found(entries, client):
    html = client.get(reverse("portal:catalogue"), {"q": "学生资助"}).content.decode()
    assert f'href="{reverse("portal:catalogue_detail", args=[entries["school"].pk])}"' in html
    assert "城乡低保标准调整" not in html
    assert "找到 1 条" in html


def test_a_withheld_passage_cannot_be_found(
    org, sensitive_item, flow_steps, held_review, decide_held, ground, settle
):
    from review.services import passage_redact

    item = sensitive_item()
    flow_steps.submit(item)
    task = held_review()
    passage_redact(item=item, user=org.users.reviewer, passage="王某某", ground=ground)
    passage_redact(item=item, user=org.users.reviewer, passage=ID_NUMBER, ground=ground)
    settle(item)
    decide_held(task, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    assert found("临时救助金") == {item.pk}
    assert found("王某某") == set()
    assert found(ID_NUMBER) == set()
    item.refresh_from_db()
    assert "王某某" not in item.search_document


def test_drafts_are_never_found(org, make_item, flow_steps, publish):
    draft = make_item(title="尚未发布的义务教育文件")
    flow_steps.submit(make_item(title="审查中的义务教育文件"))
    assert found("义务教育") == set()
    assert draft.search_document == ""
    assert not CatalogueEntry.objects.exists()


@pytest.mark.parametrize(
    "query", ["'", "a & b", "低保 | 税", "!!", "低保:*", "(" * 50, "税" * 500, "\x00", "<script>"]
)
def test_odd_queries_answer_a_page(entries, client, query):
    response = client.get(reverse("portal:catalogue"), {"q": query})
    assert response.status_code == 200


def test_a_query_shaped_like_a_filter_lexeme_finds_nothing_by_it(entries):
    # The index holds c:<category> beside the words; a visitor's colon separates words.
    category = entries["school"].category_id
    assert query_words(f"c:{category}") == ["c", str(category)]
    assert found(f"c:{category}") == set()


def test_an_on_request_entry_is_found_by_title_not_by_its_text(publish):
    entry = publish(
        title="依申请公开的统计台账", attribute="on_request", body="只有申请人才能看到的明细"
    )
    assert found("统计台账") == {entry.pk}
    assert found("明细") == set()


def test_facets_count_the_search_results(entries, client):
    page = client.get(reverse("portal:catalogue"), {"q": "2026"})
    counts = dict((c.pk, n) for c, n in page.context["category_facets"])
    assert counts[entries["school"].category_id] == 2
    assert dict(page.context["year_facets"]) == {entries["school"].index_year: 2}


def test_filters_narrow_a_search(entries, org):
    other = Category.objects.create(name="财政信息", order=9)
    year = entries["school"].index_year
    assert found("2026", category=org.category.pk) == {
        entries["school"].pk,
        entries["relief"].pk,
    }
    assert found("2026", category=other.pk) == set()
    assert found("2026", unit=org.civil.pk, year=year) == {
        entries["school"].pk,
        entries["relief"].pk,
    }
    assert found("2026", year=year + 1) == set()
    assert found("2026", unit=org.edu.pk) == set()


def test_whole_words_come_before_entries_matched_by_their_characters(publish):
    # jieba keeps 幼儿园 whole: the first entry has the word, the newer second only its
    # characters, apart. Both are found; the word first, though the second is newer.
    word = publish(title="幼儿园收费标准公示", summary="收费标准")
    chars = publish(title="园区儿童托管与幼小衔接", summary="托管服务")
    newer_word = publish(title="公办幼儿园招生通知", summary="招生")
    entries, tally = search_page("幼儿园")
    assert [e.pk for e in entries] == [newer_word.pk, word.pk, chars.pk]
    assert tally.total == 3 and tally.exact


@pytest.mark.parametrize(("cap", "exact"), [(1, False), (2, False), (3, True)])
def test_both_tiers_are_counted_up_to_the_cap(publish, settings, cap, exact):
    publish(title="幼儿园收费标准公示")
    publish(title="公办幼儿园招生通知")
    publish(title="园区儿童托管与幼小衔接")  # the second tier: the characters only
    settings.CATALOGUE_COUNT_CAP = cap
    entries, tally = search_page("幼儿园")
    assert tally.exact is exact
    assert len(entries) == (3 if exact else cap)
    if exact:
        assert tally.total == 3 and sum(tally.year.values()) == 3


def test_search_pages_cost_the_same_queries_with_more_entries(publish, client):
    url = reverse("portal:catalogue")
    publish(title="第1号低保公告")

    def count(q):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"q": q}).status_code == 200
        return len(ctx.captured_queries)

    few = {q: count(q) for q in ("低保", "公告", "第1号")}
    for n in range(2, 8):
        publish(title=f"第{n}号低保公告")
    assert {q: count(q) for q in few} == few


# --- the cap ----------------------------------------------------------------------------------


def test_counts_are_exact_up_to_the_cap_and_then_say_more(entries, client, settings):
    settings.CATALOGUE_COUNT_CAP = 1
    url = reverse("portal:catalogue")
    page = client.get(url, {"q": "2026"})
    assert page.context["count_exact"] is False
    assert page.context["count"] == 1
    # Above the cap the facets are links to narrow the search, without numbers.
    assert all(n is None for _c, n in page.context["category_facets"])
    assert dict(page.context["year_facets"]) == {entries["school"].index_year: None}
    assert page.context["page"].paginator.num_pages == 1  # pages reach the first cap entries
    assert "找到 2 条" not in page.content.decode()
    # At the cap itself the count is exact.
    settings.CATALOGUE_COUNT_CAP = 2
    page = client.get(url, {"q": "2026"})
    assert page.context["count_exact"] is True and page.context["count"] == 2
    assert "找到 2 条" in page.content.decode()


def test_the_cap_reads_in_chinese_as_ten_thousands():
    with translation.override("zh-hans"):
        assert count_label(10_000) == "1万"
        assert count_label(50_000) == "5万"
    with translation.override("en"):
        assert count_label(10_000) == "10,000"


def test_lists_are_counted_exactly_beyond_the_cap(entries, client, settings):
    # The unfiltered and filtered lists read the maintained counts, not the entries.
    settings.CATALOGUE_COUNT_CAP = 1
    page = client.get(reverse("portal:catalogue"))
    assert page.context["count_exact"] is True and page.context["count"] == 3
    assert "共 3 条" in page.content.decode()


# --- time ---------------------------------------------------------------------------------------


def _slow_sql() -> str:
    if connection.vendor == "postgresql":
        return "SELECT pg_sleep(5)"
    # A statement SQLite works at for far longer than the limit.
    return (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) "
        "SELECT count(*) FROM n"
    )


@pytest.fixture
def slow_tally(monkeypatch, settings):
    """The search's count runs a statement that cannot finish within a tiny time limit."""
    settings.CATALOGUE_STATEMENT_TIMEOUT_MS = 50

    def tally(self, *, cap):
        with self.connection.cursor() as cursor:
            cursor.execute(_slow_sql())

    monkeypatch.setattr(Search, "tally", tally)


def test_a_search_that_runs_out_of_time_asks_to_narrow_it(entries, client, slow_tally):
    started = time.monotonic()
    response = client.get(reverse("portal:catalogue"), {"q": "低保"})
    assert time.monotonic() - started < 3  # stopped by the limit, not by finishing
    assert response.status_code == 503
    assert response.templates[0].name == "portal/search_timeout.html"
    assert 'name="q" value="低保"' in response.content.decode()
    # The limit belonged to that page's transaction only.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] != "50ms"
    assert client.get(reverse("portal:guide_list")).status_code == 200


@pytest.mark.postgres
def test_the_statements_of_one_page_share_its_time(entries, client, settings, monkeypatch):
    """Each statement alone would finish within the limit, the two together do not: the second
    gets only what the first left."""
    settings.CATALOGUE_STATEMENT_TIMEOUT_MS = 400

    def sleep(self, **kwargs):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.3)")
        return [] if "offset" in kwargs else Tally(total=1, exact=True)

    monkeypatch.setattr(Search, "tally", sleep)
    monkeypatch.setattr(Search, "ids", sleep)
    assert client.get(reverse("portal:catalogue"), {"q": "低保"}).status_code == 503
    settings.CATALOGUE_STATEMENT_TIMEOUT_MS = 2000
    assert client.get(reverse("portal:catalogue"), {"q": "低保"}).status_code == 200


def test_the_api_answers_a_search_out_of_time_with_a_documented_503(entries, client, slow_tally):
    response = client.get("/api/v1/catalogue/", {"q": "低保"})
    assert response.status_code == 503
    assert response.json()["detail"]


# --- highlighting ---------------------------------------------------------------------------------


def test_marks_are_the_only_markup_in_a_highlighted_text():
    marked = highlight('<script>alert("低保")</script> & 低保对象', ["低保"])
    assert marked == (
        "&lt;script&gt;alert(&quot;<mark>低保</mark>&quot;)&lt;/script&gt; &amp; "
        "<mark>低保</mark>对象"
    )
    assert highlight("<b>无关</b>", ["低保"]) == "&lt;b&gt;无关&lt;/b&gt;"


def test_a_word_cut_apart_is_marked_by_its_characters_and_longest_first():
    assert highlight("幼小衔接与儿童乐园", ["幼儿园"]) == (
        "<mark>幼</mark>小衔接与<mark>儿</mark>童乐<mark>园</mark>"
    )
    assert highlight("义务教育阶段", ["教育", "义务教育"]) == "<mark>义务教育</mark>阶段"
    assert highlight("Tax and TAX", ["tax"]) == "<mark>Tax</mark> and <mark>TAX</mark>"


def test_a_snippet_is_a_window_around_the_first_word():
    text = "前言" * 30 + "城乡<低保>标准" + "附则" * 40
    marked = snippet(text, ["低保"], length=20)
    assert marked.startswith("…") and marked.endswith("…")
    assert "&lt;<mark>低保</mark>&gt;" in marked
    assert snippet("没有这个词", ["低保"]) is None


def test_results_show_the_words_marked_in_the_title_and_a_snippet(publish, client):
    publish(
        title="<b>低保</b>标准调整",
        summary="标准调整说明",
        body="自2026年1月起，城乡低保标准上调。<img src=x onerror=alert(1)>",
    )
    html = client.get(reverse("portal:catalogue"), {"q": "低保"}).content.decode()
    assert "&lt;b&gt;<mark>低保</mark>&lt;/b&gt;标准调整" in html
    assert "城乡<mark>低保</mark>标准上调。&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b><mark>" not in html


def test_an_on_request_entry_shows_no_snippet_of_its_text(publish):
    publish(title="低保资金明细", summary="明细", attribute="on_request", body="低保资金内部明细")
    (entry,), _ = search_page("低保")
    assert "<mark>低保</mark>" in entry.marked_title
    assert entry.marked_summary is None


# --- the index on each backend --------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_reads_a_rare_words_page_from_the_rum_index(entries):
    # Few matches: the walk over the newest entries falls short and the RUM index answers.
    search = Search(words=["增值税"], filters=Filters(), using="default")
    assert search.ids(offset=0, limit=20) == [entries["tax"].pk]
    with connection.cursor() as cursor:
        # With so few rows the planner would sort a bitmap scan's rows: leave it the index scan.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(
            "EXPLAIN SELECT item_id FROM workflow_catalogueentry "
            "WHERE vector @@ %s::tsquery ORDER BY published_at <=| %s LIMIT 20",
            ["'增值税'", dt.datetime(2200, 1, 1, tzinfo=dt.UTC)],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "catalogue_entry_search" in plan, plan
    assert "Order By" in plan, plan


def test_sqlite_searches_through_fts5(entries):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 table")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", ['"低保"'])  # noqa: S608
        assert [row[0] for row in cursor.fetchall()] == [entries["relief"].pk]
        # The search reads the FTS5 table: without its row the entry is not found.
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entries["relief"].pk])  # noqa: S608
    assert found("低保") == set()
    assert found("增值税") == {entries["tax"].pk}


# --- jieba's dictionary -----------------------------------------------------------------------------


def test_worker_processes_load_jiebas_dictionary_when_they_start():
    assert preload_search_words in [r[1]() for r in worker_process_init.receivers]
    _jieba.cache_clear()
    worker_process_init.send(sender=None)
    assert _jieba.cache_info().currsize == 1


def test_the_web_process_loads_jiebas_dictionary_when_it_starts(monkeypatch):
    _jieba.cache_clear()
    monkeypatch.delitem(sys.modules, "config.wsgi", raising=False)
    importlib.import_module("config.wsgi")
    assert _jieba.cache_info().currsize == 1
