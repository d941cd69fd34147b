"""会签 (countersignatures), referrals with their own deadline, and 谁起草、谁解读."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from review.models import Countersign, Referral
from review.services import countersign_decide, countersign_unit_name, countersign_unit_remove
from workflow.exceptions import NotAllowed, PublicationRefused, WorkflowError
from workflow.models import Item
from workflow.services.items import item_update

pytestmark = pytest.mark.django_db


def _pending(item):
    return {c.unit_id: c for c in item.countersigns.filter(status=Countersign.Status.PENDING)}


@pytest.fixture
def two_units(org, make_item):
    """An item that the education bureau and the district office must countersign."""
    item = make_item()
    countersign_unit_name(item=item, user=org.users.drafter, unit=org.edu)
    countersign_unit_name(item=item, user=org.users.drafter, unit=org.office)
    return item


@pytest.fixture
def office_head(org):
    from tests.factories import UserFactory
    from workflow.services.organisation import position_assign

    user = UserFactory(username="office_head")
    position_assign(user=user, unit=org.office, section=None, role="unit_head")
    return user


def test_countersignatures_run_in_parallel_and_all_must_confirm_before_approval(
    org, two_units, flow_steps, office_head
):
    item = two_units
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    item.refresh_from_db()
    assert item.status == Item.Status.COUNTERSIGNING
    pending = _pending(item)
    assert set(pending) == {org.edu.pk, org.office.pk}
    assert all(c.due_on for c in pending.values())
    # No approval task exists while confirmations are outstanding.
    with pytest.raises(StopIteration):
        flow_steps.open_task(org.users.section_head, "approve_section")
    # Either order: the district office first, then the education bureau.
    countersign_decide(countersign_id=pending[org.office.pk].pk, user=office_head, confirm=True)
    item.refresh_from_db()
    assert item.status == Item.Status.COUNTERSIGNING
    countersign_decide(
        countersign_id=pending[org.edu.pk].pk, user=org.users.outsider_head, confirm=True
    )
    item.refresh_from_db()
    assert item.status == Item.Status.IN_APPROVAL
    flow_steps.approve("approve_section", org.users.section_head)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED


def test_an_objection_returns_the_item_and_the_next_round_asks_again(
    org, two_units, flow_steps, office_head
):
    item = two_units
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    pending = _pending(item)
    countersign_decide(countersign_id=pending[org.office.pk].pk, user=office_head, confirm=True)
    with pytest.raises(ValidationError):
        countersign_decide(
            countersign_id=pending[org.edu.pk].pk, user=org.users.outsider_head, confirm=False
        )
    countersign_decide(
        countersign_id=pending[org.edu.pk].pk,
        user=org.users.outsider_head,
        confirm=False,
        comment="涉及教育局的数据口径需更正",
    )
    item.refresh_from_db()
    assert item.status == Item.Status.RETURNED
    assert flow_steps.open_task  # the drafter holds the rework task
    item_update(item=item, user=org.users.drafter, body=item.body + "（数据口径已更正）")
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    # The content changed, so both units are asked again, the office's earlier yes included.
    assert set(_pending(item)) == {org.edu.pk, org.office.pk}


def test_only_the_named_units_head_may_countersign(org, two_units, flow_steps):
    item = two_units
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    edu = _pending(item)[org.edu.pk]
    for user in (org.users.unit_head, org.users.reviewer, org.users.outsider):
        with pytest.raises(NotAllowed):
            countersign_decide(countersign_id=edu.pk, user=user, confirm=True)
    countersign_decide(countersign_id=edu.pk, user=org.users.outsider_head, confirm=True)
    with pytest.raises(WorkflowError):
        countersign_decide(countersign_id=edu.pk, user=org.users.outsider_head, confirm=True)


def test_publication_is_refused_while_a_named_unit_has_not_confirmed(org, make_item, flow_steps):
    from review.content import content_hash
    from workflow.models import ApprovalDecision
    from workflow.services.publication import item_publish

    item = make_item()
    process = flow_steps.submit(item)
    flow_steps.review(item, "pass")
    item.refresh_from_db()
    # A unit named behind the services after the review: the approval it would need is missing.
    from review.models import CountersignUnit

    CountersignUnit.objects.create(item=item, unit=org.edu, named_by=org.users.reviewer)
    ApprovalDecision.objects.create(
        process=process, item=item, level=item.scope, approver=org.users.section_head,
        approved=True, content_hash=content_hash(item),
    )  # fmt: skip
    with pytest.raises(PublicationRefused) as refused:
        item_publish(process=process)
    assert "会签" in str(refused.value.message)


def test_units_are_named_by_the_drafter_or_the_reviewer_only(org, make_item, flow_steps):
    item = make_item()
    with pytest.raises(ValidationError):
        countersign_unit_name(item=item, user=org.users.drafter, unit=org.civil)  # own unit
    with pytest.raises(NotAllowed):
        countersign_unit_name(item=item, user=org.users.colleague, unit=org.edu)
    countersign_unit_name(item=item, user=org.users.drafter, unit=org.edu)
    flow_steps.submit(item)
    with pytest.raises(NotAllowed):  # submitted: no longer the drafter's to change
        countersign_unit_remove(item=item, user=org.users.drafter, unit=org.edu)
    from workflow.services.tasks import task_claim

    task_claim(
        task_id=flow_steps.open_task(org.users.reviewer, "review").pk, user=org.users.reviewer
    )
    countersign_unit_name(item=item, user=org.users.reviewer, unit=org.office)
    assert set(item.countersign_units.values_list("unit_id", flat=True)) == {
        org.edu.pk,
        org.office.pk,
    }


def test_a_referral_to_a_competent_department_goes_to_its_reviewers_with_a_deadline(
    org, make_item, flow_steps
):
    item = make_item()
    flow_steps.submit(item)
    with time_machine.travel(dt.datetime(2026, 9, 25, 10, tzinfo=dt.UTC), tick=False):
        flow_steps.review(item, "refer", comment="涉及学校安全数据，请教育局确定", refer_to=org.edu)
    referral = Referral.objects.get(item=item)
    assert referral.to_unit == org.edu
    # 10 working days after Friday 2026-09-25: 09-28..30, then the National Day holiday
    # (10-01..10-07), then 10-08, 10-09, the make-up Saturday 10-10, 10-12..10-15.
    assert referral.due_on == dt.date(2026, 10, 15)
    # The education bureau's reviewer rules; the secrecy bureau's does not see it in its queue.
    with pytest.raises(StopIteration):
        flow_steps.open_task(org.users.secrecy_reviewer, "referral")
    flow_steps.rule("disclosable", user=org.users.outsider_reviewer)
    referral.refresh_from_db()
    assert referral.ruled_by == org.users.outsider_reviewer
    # The ruling sits beside the reviewer's decisions; the reviewer decides again with it.
    flow_steps.review(item, "pass")
    item.refresh_from_db()
    assert item.status == Item.Status.IN_APPROVAL


def test_a_referral_to_the_secrecy_bureau_by_default(org, make_item, flow_steps):
    item = make_item()
    flow_steps.submit(item)
    flow_steps.review(item, "refer", comment="是否涉密请审定")
    assert Referral.objects.get(item=item).to_unit == org.secrecy
    flow_steps.rule("not_disclosable", comment="属于工作秘密")
    flow_steps.review(
        item, "withhold", comment="保密局认定不宜公开", legal_ground=_ground("art14-state-secret")
    )
    item.refresh_from_db()
    assert item.status == Item.Status.WITHHELD


def _ground(code):
    from workflow.models import LegalGround

    return LegalGround.objects.get(code=code)


def test_a_referral_cannot_go_outside_the_district_or_to_the_own_unit(org, make_item, flow_steps):
    item = make_item()
    flow_steps.submit(item)
    with pytest.raises(ValidationError):
        flow_steps.review(item, "refer", comment="?", refer_to=org.civil)
    assert not Referral.objects.exists()


def test_an_overdue_referral_is_reminded_and_escalated(org, make_item, flow_steps):
    from notifications.models import Deadline, DeadlineAlert
    from notifications.sweep import deadlines_sweep

    item = make_item()
    flow_steps.submit(item)
    with time_machine.travel(dt.datetime(2026, 9, 25, 10, tzinfo=dt.UTC), tick=False):
        flow_steps.review(item, "refer", comment="请审定")
    deadlines_sweep(today=dt.date(2026, 10, 15))  # the due day: the last reminder
    reminder = DeadlineAlert.objects.get(deadline=Deadline.REFERRAL_RULING, kind="reminder")
    assert reminder.recipients == [org.users.secrecy_reviewer.pk]
    deadlines_sweep(today=dt.date(2026, 10, 21))  # 4 working days late: rung 1
    escalations = DeadlineAlert.objects.filter(
        deadline=Deadline.REFERRAL_RULING, kind="escalation"
    ).order_by("step")
    assert [a.rung for a in escalations] == ["holder", "section_head"]
    assert org.users.section_head.pk in escalations[1].recipients


def test_a_late_countersignature_reminds_the_named_units_head(
    org, two_units, flow_steps, office_head
):
    from notifications.models import Deadline, DeadlineAlert
    from notifications.sweep import deadlines_sweep

    item = two_units
    flow_steps.submit(item)
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC), tick=False):
        flow_steps.review(item, "pass")
    due = _pending(item)[org.edu.pk].due_on
    assert due == dt.date(2026, 11, 9)
    deadlines_sweep(today=due)
    told = {
        tuple(a.recipients)
        for a in DeadlineAlert.objects.filter(deadline=Deadline.COUNTERSIGN, kind="reminder")
    }
    assert told == {(org.users.outsider_head.pk,), (office_head.pk,)}


def test_a_policy_document_needs_its_interpretation(org, make_item, flow_steps):
    item = make_item(is_policy_document=True)
    with pytest.raises(ValidationError) as refused:
        flow_steps.submit(item)
    assert "interpretation" in refused.value.error_dict
    item_update(
        item=item,
        user=org.users.drafter,
        interpretation="一、出台背景……二、主要内容……三、解读机关及联系方式。",
    )
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    assert item.public_interpretation.startswith("一、出台背景")


def test_a_policy_document_whose_interpretation_vanished_is_not_passed_or_published(
    org, make_item, flow_steps
):
    from review.content import content_hash
    from workflow.models import ApprovalDecision
    from workflow.services.publication import item_publish

    item = make_item(is_policy_document=True, interpretation="解读材料")
    process = flow_steps.submit(item)
    Item.objects.filter(pk=item.pk).update(interpretation="")
    with pytest.raises(ValidationError):
        flow_steps.review(item, "pass")
    Item.objects.filter(pk=item.pk).update(interpretation="解读材料")
    flow_steps.review(item, "pass")
    Item.objects.filter(pk=item.pk).update(interpretation="")
    item.refresh_from_db()
    ApprovalDecision.objects.create(
        process=process, item=item, level=item.scope, approver=org.users.section_head,
        approved=True, content_hash=content_hash(item),
    )  # fmt: skip
    with pytest.raises(PublicationRefused) as refused:
        item_publish(process=process)
    assert "解读" in str(refused.value.message)
