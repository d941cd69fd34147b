"""Returned items go back to drafting and run the whole path again; referrals come back."""

import pytest
from django.core.exceptions import ValidationError

from review.models import Referral, ReviewDecision
from workflow.exceptions import NotAllowed, WorkflowError
from workflow.models import Item
from workflow.selectors import queue_for_user
from workflow.services.items import item_update

pytestmark = pytest.mark.django_db


def _nodes(item):
    process = item.processes.get()
    return [t.flow_task.name for t in process.task_set.order_by("created", "id")]


def test_return_from_review_goes_back_to_the_drafter_and_round_again(org, make_item, flow_steps):
    item = make_item()
    flow_steps.submit(item)
    # when the reviewer returns it
    flow_steps.review(item, "return", comment="请删除申请人身份证号")
    item.refresh_from_db()
    assert item.status == Item.Status.RETURNED
    # then the drafter holds a revision task and may edit again
    rework = org.users.drafter.task_set.get(status="ASSIGNED")
    assert rework.flow_task.name == "rework"
    item_update(item=item, user=org.users.drafter, body="已删除个人信息的正文。")
    # and resubmitting sends it to review again, then approval, then publication
    flow_steps.submit(item)
    item.refresh_from_db()
    assert item.status == Item.Status.IN_REVIEW
    flow_steps.review(item, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    # The review decision routes by itself: no gateway task between a review and what follows.
    assert _nodes(item)[:5] == ["start", "review", "rework", "review", "approve_section"]


def test_return_from_approval_runs_review_again(org, make_item, flow_steps):
    item = make_item(scope=Item.Scope.UNIT)
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    # when the unit head returns it
    flow_steps.approve("approve_unit", org.users.unit_head, approve=False, comment="数据口径需核实")
    item.refresh_from_db()
    assert item.status == Item.Status.RETURNED
    # then after revision it needs a fresh review before any approval
    flow_steps.submit(item)
    assert not queue_for_user(user=org.users.unit_head).exists()
    flow_steps.review(item, "pass")
    flow_steps.approve("approve_unit", org.users.unit_head)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    assert [d.approved for d in item.approvals.all()] == [False, True]
    assert item.reviews.count() == 2


def test_return_needs_a_comment_and_loses_nothing(org, make_item, flow_steps):
    item = make_item()
    flow_steps.submit(item)
    with pytest.raises(ValidationError) as exc:
        flow_steps.review(item, "return", comment="  ")
    assert "comment" in exc.value.error_dict
    # nothing was written: the task is still open and unclaimed
    task = flow_steps.open_task(org.users.reviewer, "review")
    assert task.status == "NEW"
    assert not ReviewDecision.objects.exists()


def test_referral_to_the_secrecy_bureau_and_back(org, make_item, flow_steps):
    item = make_item()
    flow_steps.submit(item)
    # when the reviewer cannot decide and refers (Art. 17 ¶3)
    flow_steps.review(item, "refer", comment="是否涉及工作秘密？")
    item.refresh_from_db()
    assert item.status == Item.Status.REFERRED
    referral = Referral.objects.get(item=item)
    assert referral.to_unit == org.secrecy
    # then the bureau, and only the bureau, rules
    assert not queue_for_user(user=org.users.reviewer).exists()
    assert not queue_for_user(user=org.users.outsider_reviewer).exists()
    flow_steps.rule("disclosable", comment="不涉密")
    referral.refresh_from_db()
    assert (
        referral.ruling == Referral.Ruling.DISCLOSABLE
        and referral.ruled_by == org.users.secrecy_reviewer
    )
    # and the ruling comes back to the reviewer, who decides with it
    item.refresh_from_db()
    assert item.status == Item.Status.IN_REVIEW
    flow_steps.review(item, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED


def test_not_disclosable_files_the_item_with_its_ground(org, make_item, flow_steps):
    from workflow.models import LegalGround

    ground = LegalGround.objects.get(code="art15-third-party")
    item = make_item()
    flow_steps.submit(item)
    with pytest.raises(ValidationError):
        flow_steps.review(item, "withhold", comment="含个人隐私")  # no ground
    flow_steps.review(item, "withhold", comment="含个人隐私", legal_ground=ground)
    item.refresh_from_db()
    assert item.status == Item.Status.WITHHELD
    assert item.attribute == Item.Attribute.WITHHELD and item.withhold_ground == ground
    assert item.index_number is None
    assert item.processes.get().status == "DONE"


def test_only_the_drafter_edits_and_only_while_it_is_theirs(org, make_item, flow_steps):
    item = make_item()
    with pytest.raises(NotAllowed):
        item_update(item=item, user=org.users.colleague, title="改")
    flow_steps.submit(item)
    item.refresh_from_db()
    with pytest.raises(WorkflowError):
        item_update(item=item, user=org.users.drafter, title="审查中修改")
    with pytest.raises(WorkflowError):
        flow_steps.submit(item)
