"""The reviewers' work list: filters, due-date order, working days left, claim next, preview,
and a query count that does not grow with the data."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.status import STATUS

from workflow.models import Item

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)  # a Friday
D = dt.date


@pytest.fixture
def travel():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def submitted(org, make_item, flow_steps, travel):
    """Submitted items whose publication deadlines (Art. 26) are set by hand."""

    def make(title, due_on, **extra):
        item = make_item(title=title, **extra)
        flow_steps.submit(item)
        Item.objects.filter(pk=item.pk).update(publication_due_on=due_on)
        return item

    return make


def _rows(html):
    return re.findall(r'<tr class="urgency-(\w+)[^"]*" data-task="(\d+)">', html)


def _titles(html):
    return re.findall(r'<td data-label="[^"]+">([^<]*2026[^<]*)</td>', html)


def test_queue_is_sorted_by_due_date_with_working_days_left_in_colour(client, org, submitted):
    submitted("C 十二月到期", D(2026, 12, 4))
    submitted("A 已逾期", D(2026, 11, 18))
    submitted("B 下周二到期", D(2026, 11, 24))
    submitted("D 下周一到期", D(2026, 11, 23))
    client.force_login(org.users.reviewer)

    html = client.get(reverse("workflow:inbox")).content.decode()

    assert [level for level, _pk in _rows(html)] == ["overdue", "urgent", "soon", "ok"]
    assert html.index("A 已逾期") < html.index("D 下周一到期") < html.index("B 下周二到期")
    assert html.index("B 下周二到期") < html.index("C 十二月到期")
    # Wed 11-18 to Fri 11-20: Thursday and Friday have passed. Mon 11-23 is one working day
    # away, Tue 11-24 two, and Fri 12-04 ten (no holiday in between).
    assert "逾期 2 个工作日" in html
    assert "剩 1 个工作日" in html and "剩 2 个工作日" in html and "剩 10 个工作日" in html
    assert 'class="days days-overdue"' in html and 'class="days days-ok"' in html


def test_filters_by_deadline_kind_and_unit(client, org, submitted, make_item, flow_steps):
    submitted("A 已逾期", D(2026, 11, 18))
    submitted("B 下周二到期", D(2026, 11, 24))
    submitted("C 十二月到期", D(2026, 12, 4))
    client.force_login(org.users.reviewer)
    url = reverse("workflow:inbox")

    overdue = client.get(url, {"due": "overdue"}).content.decode()
    soon = client.get(url, {"due": "soon"}).content.decode()
    assert "A 已逾期" in overdue and "B 下周二到期" not in overdue
    assert "B 下周二到期" in soon and "A 已逾期" not in soon and "C 十二月到期" not in soon

    approvals = client.get(url, {"kind": "approval"}).content.decode()
    reviews = client.get(url, {"kind": "review"}).content.decode()
    assert "没有符合筛选条件的任务" in approvals
    assert len(_rows(reviews)) == 3

    assert len(_rows(client.get(url, {"unit": org.civil.pk}).content.decode())) == 3
    assert not _rows(client.get(url, {"unit": org.edu.pk}).content.decode())
    # A stale or hand-made query still shows a list rather than an error.
    assert client.get(url, {"due": "bogus", "unit": "x", "sort": "drop"}).status_code == 200


def test_held_and_waiting_tasks_are_told_apart(client, org, submitted, flow_steps):
    from workflow.services.tasks import task_claim

    submitted("A 已逾期", D(2026, 11, 18))
    submitted("B 下周二到期", D(2026, 11, 24))
    task = flow_steps.open_task(org.users.reviewer, "review")
    task_claim(task_id=task.pk, user=org.users.reviewer)
    client.force_login(org.users.reviewer)

    mine = client.get(reverse("workflow:inbox"), {"holder": "mine"}).content.decode()
    waiting = client.get(reverse("workflow:inbox"), {"holder": "queue"}).content.decode()

    assert [int(pk) for _l, pk in _rows(mine)] == [task.pk]
    assert len(_rows(waiting)) == 1 and int(_rows(waiting)[0][1]) != task.pk


def test_claim_next_takes_the_most_urgent_task_under_the_filters(client, org, submitted):
    from viewflow.workflow.models import Task

    submitted("C 十二月到期", D(2026, 12, 4))
    urgent = submitted("A 已逾期", D(2026, 11, 18))
    client.force_login(org.users.reviewer)

    response = client.post(reverse("workflow:claim_next"))

    task = Task.objects.get(process__disclosureprocess__item=urgent, flow_task_type="HUMAN")
    assert response.status_code == 302 and response.url == reverse(
        "workflow:task_detail", args=[task.pk]
    )
    assert task.status == STATUS.ASSIGNED and task.owner == org.users.reviewer

    # Under a filter that matches nothing left unclaimed, nobody's task is taken.
    response = client.post(reverse("workflow:claim_next"), {"due": "overdue"}, follow=True)
    assert "没有待认领的任务" in response.content.decode()
    assert Task.objects.filter(owner=org.users.reviewer).count() == 1


def test_claim_next_skips_a_task_a_colleague_took_first(org, submitted):
    from tests.factories import UserFactory
    from workflow.services.organisation import position_assign
    from workflow.services.tasks import task_claim, task_claim_next
    from workflow.workdays import WorkCalendar
    from workflow.worklist import Filters, claimable_next

    first = submitted("A 已逾期", D(2026, 11, 18))
    second = submitted("B 下周二到期", D(2026, 11, 24))
    candidates = list(
        claimable_next(
            user=org.users.reviewer,
            filters=Filters(),
            calendar=WorkCalendar.load(),
            today=D(2026, 11, 20),
        )
    )
    # Between the read and the claim, another reviewer of the unit takes the first one.
    colleague = UserFactory(username="reviewer2")
    position_assign(user=colleague, unit=org.civil, section=None, role="reviewer")
    task_claim(task_id=candidates[0], user=colleague)

    taken = task_claim_next(candidate_ids=candidates, user=org.users.reviewer)

    assert taken.pk == candidates[1]
    assert taken.process.disclosureprocess.item_id == second.pk != first.pk


def test_preview_highlights_the_scanners_findings(client, org, make_item, flow_steps, travel):
    item = make_item(title="临时救助发放情况")
    item.body = "救助对象王某某，身份证号320102198001011238，已发放。"
    item.save(update_fields=["body"])
    flow_steps.submit(item)
    task = flow_steps.open_task(org.users.reviewer, "review")
    client.force_login(org.users.reviewer)

    html = client.get(reverse("workflow:inbox"), {"preview": task.pk}).content.decode()

    assert '<mark title="居民身份证号码">320102198001011238</mark>' in html
    assert "扫描标出以下 1 处" in html
    assert 'class="flag flag-findings"' in html  # the row is marked too


def test_preview_of_someone_elses_task_is_404(client, org, make_item, flow_steps, travel):
    flow_steps.submit(make_item())
    task = flow_steps.open_task(org.users.reviewer, "review")
    client.force_login(org.users.outsider_reviewer)

    assert client.get(reverse("workflow:inbox"), {"preview": task.pk}).status_code == 404
    assert not _rows(client.get(reverse("workflow:inbox")).content.decode())


@pytest.mark.parametrize(
    "query",
    [
        {"unit": "²"},  # str.isdigit() says yes, int() says no
        {"preview": "١٢"},
        {"unit": "9" * 30, "preview": "9" * 30},
        {"kind": "<script>", "page": "-1"},
    ],
)
def test_odd_query_strings_get_a_page_not_an_error(client, org, submitted, query):
    submitted("A 已逾期", D(2026, 11, 18))
    client.force_login(org.users.reviewer)

    assert client.get(reverse("workflow:inbox"), query).status_code in (200, 404)
    assert client.post(reverse("workflow:claim_next"), query).status_code == 302


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queue_query_count_does_not_grow_with_the_data(client, org, submitted):
    client.force_login(org.users.reviewer)
    for n in range(3):
        submitted(f"事项{n}", D(2026, 11, 24) + dt.timedelta(days=n))
    url = reverse("workflow:inbox")
    _count_queries(client, url)  # warm the content-type cache
    few = _count_queries(client, url)
    for n in range(3, 30):
        submitted(f"事项{n}", D(2026, 11, 24) + dt.timedelta(days=n))
    many = _count_queries(client, url)

    assert len(_rows(client.get(url).content.decode())) == 30
    assert many == few, (few, many)


def test_a_row_names_what_makes_its_task_sensitive(client, org, make_item, flow_steps, travel):
    """Findings, a referral, district scope and a policy document each get their mark."""
    item = make_item(
        title="全区临时救助政策调整",
        scope="district",
        is_policy_document=True,
        interpretation="解读材料",
    )
    item.body = "救助对象王某某，身份证号320102198001011238，手机13912345678。"
    item.save(update_fields=["body"])
    flow_steps.submit(item)
    flow_steps.review(item, "refer", comment="是否涉密请审定")
    flow_steps.rule("disclosable")  # back to the reviewer, with the ruling beside it
    client.force_login(org.users.reviewer)

    html = client.get(reverse("workflow:inbox")).content.decode()

    row = html[html.index("全区临时救助政策调整") :]
    row = row[: row.index("</tr>")]
    assert (
        '<span class="flag flag-findings" title="保密扫描发现需核查的内容">发现 2 处</span>' in row
    )
    assert '<span class="flag flag-referral">已报请确定</span>' in row
    assert '<span class="flag flag-district">全区范围</span>' in row
    assert '<span class="flag flag-policy">政策文件</span>' in row
    assert '<span class="muted">待认领</span>' in row
