"""Approval is routed by scope (seed 000 §三(一)) and reaches exactly the right person."""

import pytest

from review.permissions import users_who_can_claim
from workflow.exceptions import TaskNotAvailable
from workflow.models import Item
from workflow.selectors import queue_for_user
from workflow.services.tasks import task_claim

pytestmark = pytest.mark.django_db

EVERYONE = [
    "drafter",
    "reviewer",
    "section_head",
    "other_section_head",
    "colleague",
    "unit_head",
    "district_approver",
    "supervisor",
    "secrecy_reviewer",
    "outsider",
    "outsider_reviewer",
    "outsider_head",
]


def _only(org, task, expected):
    reached = {u.username for u in users_who_can_claim(task)}
    assert reached == {expected}
    for name in EVERYONE:
        user = getattr(org.users, name)
        in_queue = queue_for_user(user=user).filter(pk=task.pk).exists()
        assert in_queue == (name == expected), name


def test_review_task_reaches_only_the_units_reviewer(org, make_item, flow_steps):
    # given a submitted item of 民政局
    item = make_item()
    flow_steps.submit(item)
    # then only 民政局's confidentiality reviewer sees and may claim the review
    task = flow_steps.open_task(org.users.reviewer, "review")
    _only(org, task, "reviewer")


@pytest.mark.parametrize(
    ("scope", "task_name", "approver"),
    [
        (Item.Scope.SECTION, "approve_section", "section_head"),
        (Item.Scope.UNIT, "approve_unit", "unit_head"),
        (Item.Scope.DISTRICT, "approve_district", "district_approver"),
    ],
)
def test_approval_reaches_exactly_the_level_the_scope_requires(
    org, make_item, flow_steps, scope, task_name, approver
):
    # given an item of the given scope that passed review
    item = make_item(scope=scope)
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    # when the flow routes it
    task = flow_steps.open_task(getattr(org.users, approver), task_name)
    # then exactly one person is reached, and nobody else can claim it
    _only(org, task, approver)
    for name in EVERYONE:
        if name == approver:
            continue
        with pytest.raises(TaskNotAvailable):
            task_claim(task_id=task.pk, user=getattr(org.users, name))
    claimed = task_claim(task_id=task.pk, user=getattr(org.users, approver))
    claimed.refresh_from_db()
    assert claimed.owner == getattr(org.users, approver)


def test_superuser_without_position_cannot_claim(org, make_item, flow_steps):
    from tests.factories import UserFactory

    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    item = make_item()
    flow_steps.submit(item)
    task = flow_steps.open_task(org.users.reviewer, "review")
    assert not queue_for_user(user=admin).exists()
    with pytest.raises(TaskNotAvailable):
        task_claim(task_id=task.pk, user=admin)


def test_approval_level_follows_scope_changed_during_revision(org, make_item, flow_steps):
    from workflow.services.items import item_update

    # given an item returned by review
    item = make_item(scope=Item.Scope.SECTION)
    flow_steps.submit(item)
    flow_steps.review(item, "return", comment="涉及全区，应报区政府办公室")
    # when the drafter widens the scope and resubmits
    item.refresh_from_db()
    item_update(item=item, user=org.users.drafter, scope=Item.Scope.DISTRICT)
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    # then the district office approves it, not the section head
    assert not queue_for_user(user=org.users.section_head).exists()
    flow_steps.approve("approve_district", org.users.district_approver)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
