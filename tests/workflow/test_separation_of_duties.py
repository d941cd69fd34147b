"""Separation of duties (issue 20 point 8): nobody reviews or approves what they drafted, even
when they also hold the reviewer's or the approver's position. The task goes to the others who
may take it, at every door (claim, completion, reassignment, work list, notifications); when
nobody else may, the pages say whom to appoint."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from notifications.models import DeadlineAlert, Notification
from notifications.sweep import deadlines_sweep
from notifications.task_notices import task_available_notify
from review.models import Countersign, Referral
from review.permissions import forget_cached_grants, task_claimable_by, users_who_can_claim
from review.services import countersign_decide, countersign_unit_name, referral_rule, review_decide
from tests.factories import UserFactory
from workflow.exceptions import AuthorsOwnTask, TaskNotAvailable
from workflow.models import Item
from workflow.selectors import queue_for_user
from workflow.services.approvals import approval_decide
from workflow.services.organisation import position_assign
from workflow.services.tasks import task_claim, task_release
from workflow.worklist import open_tasks_of

pytestmark = pytest.mark.django_db
D = dt.date


def person(username, role, unit, section=None):
    user = UserFactory(username=username)
    position_assign(user=user, unit=unit, section=section, role=role)
    return user


def also(user, role, unit, section=None):
    """Give `user` one more position; their grants are re-read on the next check."""
    position_assign(user=user, unit=unit, section=section, role=role)
    forget_cached_grants(user)
    return user


def open_task_of(item, name) -> Task:
    return Task.objects.get(
        process__disclosureprocess__item=item,
        flow_task_type="HUMAN",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
        flow_task__endswith=f".{name}",
    )


def reached(task) -> set[str]:
    return {u.username for u in users_who_can_claim(task)}


def in_work_list(user, task) -> bool:
    forget_cached_grants(user)
    return open_tasks_of(user).filter(pk=task.pk).exists()


def assert_refused_to(author, task, decide):
    """The author can neither see, claim nor complete the task."""
    forget_cached_grants(author)
    assert not in_work_list(author, task)
    assert not queue_for_user(user=author).filter(pk=task.pk).exists()
    assert not task_claimable_by(author, Task.objects.get(pk=task.pk))
    with pytest.raises(AuthorsOwnTask):
        task_claim(task_id=task.pk, user=author)
    with pytest.raises(TaskNotAvailable):
        decide(task.pk, author)
    assert author.username not in reached(task)


def review_pass(task_id, user):
    return review_decide(task_id=task_id, user=user, outcome="pass")


def approve(task_id, user):
    return approval_decide(task_id=task_id, user=user, approve=True)


def test_an_author_who_also_reviews_cannot_review_their_own_item(org, make_item, flow_steps):
    # given a drafter of the relief section who is also a reviewer of the unit
    both = also(person("both", "drafter", org.civil, org.relief), "reviewer", org.civil)
    own = make_item(author=both, title="本人起草的事项")
    flow_steps.submit(own, user=both)
    others = make_item(title="同事起草的事项")
    flow_steps.submit(others)
    task = open_task_of(own, "review")

    # then their own item's review is refused at every door
    assert_refused_to(both, task, review_pass)
    # while the colleague's item still reaches them as a reviewer
    assert in_work_list(both, open_task_of(others, "review"))
    # and their own goes to the unit's other reviewer, who can decide it
    assert reached(task) == {"reviewer"}
    assert in_work_list(org.users.reviewer, task)
    review_pass(task.pk, org.users.reviewer)
    own.refresh_from_db()
    assert own.status == Item.Status.IN_APPROVAL


@pytest.mark.parametrize(
    ("scope", "node", "head", "role"),
    [
        (Item.Scope.SECTION, "approve_section", "section_head", "section_head"),
        (Item.Scope.UNIT, "approve_unit", "unit_head", "unit_head"),
    ],
)
def test_an_approver_who_drafts_cannot_approve_their_own_item(
    org, make_item, flow_steps, scope, node, head, role
):
    # given a head who drafts an item of their own section, and a deputy in the same position
    author = also(getattr(org.users, head), "drafter", org.civil, org.relief)
    section = org.relief if role == "section_head" else None
    deputy = person("deputy", role, org.civil, section)
    item = make_item(author=author, scope=scope)
    flow_steps.submit(item, user=author)
    flow_steps.review(item, "pass")
    task = open_task_of(item, node)

    # then the approval is refused to its author and reaches the deputy, who approves it
    assert_refused_to(author, task, approve)
    assert reached(task) == {"deputy"}
    assert in_work_list(deputy, task)
    approve(task.pk, deputy)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED


def test_the_drafter_of_a_requests_answer_does_not_approve_it(org, req, flow_steps):
    # given a section head who also drafts, and who writes a request's answer
    head = also(org.users.section_head, "drafter", org.civil, org.relief)
    person("deputy", "section_head", org.civil, org.relief)
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    from workflow.services import requests as steps

    steps.answer_draft(
        task_id=req.task(head, "draft_answer"),
        user=head,
        outcome="disclosed",
        answer="经检索，现将所申请信息提供如下。",
    )
    request.refresh_from_db()
    assert request.answer_item.author == head
    flow_steps.review(None)
    task = open_task_of(request.answer_item, "approve_section")

    # then the approval is not theirs: not in their list, not claimable, nobody tells them
    assert_refused_to(head, task, approve)
    assert reached(task) == {"deputy"}
    task_available_notify(task_id=task.pk)  # the job the new task enqueued, run here
    told = Notification.objects.filter(
        verb="task_available", url=reverse("workflow:task_detail", args=[task.pk])
    ).values_list("recipient__username", flat=True)
    assert set(told) == {"deputy"}


def _notice(html: str) -> str:
    match = re.search(r'<div class="errors" role="alert" id="unstaffed">(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


def test_when_only_the_author_may_review_the_pages_say_whom_to_appoint(
    client, org, make_item, flow_steps
):
    # given the unit's only reviewer drafts and submits an item
    author = also(org.users.reviewer, "drafter", org.civil, org.relief)
    item = make_item(author=author)
    flow_steps.submit(item, user=author)
    task = open_task_of(item, "review")
    assert reached(task) == set()

    # then the task page tells the author it is not theirs and whom to appoint, read-only
    client.force_login(author)
    html = client.get(reverse("workflow:task_detail", args=[task.pk])).content.decode()
    assert 'id="own-work"' in html
    assert "民政局" in _notice(html) and "保密审查员" in _notice(html)
    assert 'name="outcome"' not in html  # no decision form
    # and the item page says the same to whoever opens it
    client.force_login(org.users.unit_head)
    html = client.get(reverse("workflow:item_detail", args=[item.pk])).content.decode()
    assert "民政局" in _notice(html) and "保密审查员" in _notice(html)

    # once a second reviewer is appointed, the notice goes
    person("new_reviewer", "reviewer", org.civil)
    html = client.get(reverse("workflow:item_detail", args=[item.pk])).content.decode()
    assert 'id="unstaffed"' not in html


def test_an_approval_only_its_author_could_take_names_the_section(
    client, org, make_item, flow_steps
):
    author = also(org.users.section_head, "drafter", org.civil, org.relief)
    item = make_item(author=author)
    flow_steps.submit(item, user=author)
    flow_steps.review(item, "pass")
    task = open_task_of(item, "approve_section")
    client.force_login(org.users.reviewer)

    html = client.get(reverse("workflow:task_detail", args=[task.pk])).content.decode()

    assert "社会救助科" in _notice(html) and "科长" in _notice(html)


def test_a_task_its_author_held_before_the_rule_cannot_be_decided_only_released(
    client, org, make_item, flow_steps
):
    # given an author who claimed their own review before the rule existed
    author = also(person("both", "drafter", org.civil, org.relief), "reviewer", org.civil)
    item = make_item(author=author)
    flow_steps.submit(item, user=author)
    task = open_task_of(item, "review")
    Task.objects.filter(pk=task.pk).update(owner=author, status=STATUS.ASSIGNED)

    # then they cannot decide it, through the service or the page
    with pytest.raises(AuthorsOwnTask):
        review_pass(task.pk, author)
    client.force_login(author)
    url = reverse("workflow:task_detail", args=[task.pk])
    html = client.get(url).content.decode()
    assert 'id="own-work"' in html and reverse("workflow:task_release", args=[task.pk]) in html
    client.post(url, {"outcome": "pass"})
    item.refresh_from_db()
    assert item.status == Item.Status.IN_REVIEW
    # but they can give it back, and it reaches the other reviewer
    task_release(task_id=task.pk, user=author)
    assert reached(open_task_of(item, "review")) == {"reviewer"}


@pytest.mark.parametrize(
    ("author_name", "goes_to"), [("section_head", None), ("drafter", "section_head")]
)
def test_escalation_does_not_hand_a_review_to_its_author(
    org, make_item, flow_steps, settings, author_name, goes_to
):
    # given a section head who may also review, and an overdue review held by the reviewer
    settings.ESCALATION_REASSIGN_RUNGS = ["section_head"]
    head = also(org.users.section_head, "reviewer", org.civil)
    also(head, "drafter", org.civil, org.relief)
    author = getattr(org.users, author_name)
    item = make_item(author=author, formed_on=D(2026, 10, 12))  # Art. 26: due 2026-11-09
    flow_steps.submit(item, user=author)
    task = open_task_of(item, "review")
    task_claim(task_id=task.pk, user=org.users.reviewer)

    # when the ladder reaches the section head and takes the task from its holder
    deadlines_sweep(today=D(2026, 11, 12))

    # then it goes to the section head only when they did not write the item
    task.refresh_from_db()
    assert DeadlineAlert.objects.filter(item=item, rung="section_head", action="reassign")
    if goes_to is None:
        assert task.status == STATUS.NEW and task.owner_id is None
        assert reached(task) == {"reviewer"}
    else:
        assert task.owner == getattr(org.users, goes_to)


def test_reminders_of_a_review_skip_its_author(org, make_item, flow_steps):
    # given an item due 2026-11-09, written by someone who may also review it
    both = also(person("both", "drafter", org.civil, org.relief), "reviewer", org.civil)
    item = make_item(author=both, formed_on=D(2026, 10, 12))
    flow_steps.submit(item, user=both)
    # when the first reminder is due
    deadlines_sweep(today=D(2026, 11, 2))
    # then the other reviewer is reminded, not the author
    told = Notification.objects.filter(verb="reminder", alert__item=item)
    assert set(told.values_list("recipient__username", flat=True)) == {"reviewer"}


def test_a_review_only_its_author_could_take_is_reported_to_the_heads(org, make_item, flow_steps):
    # given the unit's only reviewer writes an item due 2026-11-09
    only = also(org.users.reviewer, "drafter", org.civil, org.relief)
    item = make_item(author=only, formed_on=D(2026, 10, 12))
    flow_steps.submit(item, user=only)
    # when its first reminder is due
    deadlines_sweep(today=D(2026, 11, 2))
    # then nobody holds the work: the section head, who can see to an appointment, is told
    alert = DeadlineAlert.objects.get(item=item, kind="reminder")
    assert {u.username for u in _users(alert.recipients)} == {"section_head"}
    assert alert.note == "section_head"


def _users(ids):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=ids)


def test_work_list_queries_do_not_grow_with_the_authors_own_items(
    client, org, make_item, flow_steps
):
    both = also(person("both", "drafter", org.civil, org.relief), "reviewer", org.civil)
    url = reverse("workflow:inbox")

    def add(n):
        for k in range(n):
            flow_steps.submit(make_item(author=both, title=f"本人事项{k}"), user=both)
            flow_steps.submit(make_item(title=f"同事事项{k}"))

    def count():
        forget_cached_grants(both)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return len(queries), response.content.decode()

    client.force_login(both)
    add(3)
    count()  # warm the content-type cache
    few, html = count()
    assert html.count('data-task="') == 3
    add(27)
    many, html = count()

    assert html.count('data-task="') == 30  # the colleague's items only
    assert "本人事项" not in html
    assert many == few, (few, many)


def test_the_notice_costs_the_same_however_many_people_hold_the_position(
    client, org, make_item, flow_steps
):
    # given an item whose review only its author could take
    author = also(org.users.reviewer, "drafter", org.civil, org.relief)
    item = make_item(author=author)
    flow_steps.submit(item, user=author)
    client.force_login(org.users.unit_head)
    url = reverse("workflow:item_detail", args=[item.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        return len(queries), html

    count()  # warm the content-type cache
    alone, html = count()
    assert 'id="unstaffed"' in html
    # when reviewers are appointed, in this unit and in others
    person("second_reviewer", "reviewer", org.civil)
    for k in range(5):
        person(f"edu_reviewer{k}", "reviewer", org.edu)
    staffed, html = count()
    # then the notice goes, and the page reads no more than it did
    assert 'id="unstaffed"' not in html
    assert staffed <= alone, (alone, staffed)


def rule_disclosable(task_id, user):
    return referral_rule(task_id=task_id, user=user, ruling="disclosable")


def test_an_author_who_also_reviews_for_the_referred_unit_does_not_rule(org, make_item, flow_steps):
    # given a drafter of the civil affairs bureau who also reviews for the education bureau
    author = also(person("both", "drafter", org.civil, org.relief), "reviewer", org.edu)
    item = make_item(author=author)
    flow_steps.submit(item, user=author)
    flow_steps.review(item, "refer", comment="涉及学校数据，请教育局确定", refer_to=org.edu)
    task = open_task_of(item, "referral")

    # then the ruling on their own item is refused at every door and reaches the other reviewer
    assert_refused_to(author, task, rule_disclosable)
    assert reached(task) == {"outsider_reviewer"}
    rule_disclosable(task.pk, org.users.outsider_reviewer)
    assert Referral.objects.get(item=item).ruled_by == org.users.outsider_reviewer


def test_a_head_of_a_named_unit_who_drafted_the_item_does_not_countersign_it(
    org, make_item, flow_steps
):
    # given a drafter who is also a head of the education bureau, named to countersign
    author = also(person("both", "drafter", org.civil, org.relief), "unit_head", org.edu)
    item = make_item(author=author)
    countersign_unit_name(item=item, user=author, unit=org.edu)
    flow_steps.submit(item, user=author)
    flow_steps.review(item, "pass")
    pending = item.countersigns.get(unit=org.edu, status=Countersign.Status.PENDING)

    # then they cannot confirm it for the bureau; the bureau's other head does
    with pytest.raises(AuthorsOwnTask, match="您是本件的起草人，不能代表会签单位会签"):
        countersign_decide(countersign_id=pending.pk, user=author, confirm=True)
    pending.refresh_from_db()
    assert pending.status == Countersign.Status.PENDING
    countersign_decide(countersign_id=pending.pk, user=org.users.outsider_head, confirm=True)
    item.refresh_from_db()
    assert item.status == Item.Status.IN_APPROVAL
