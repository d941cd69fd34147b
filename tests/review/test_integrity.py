"""The integrity rule: only content whose latest review passed and whose required approval was
given for exactly that content (body, interpretation, attachments, redactions) is released.

Each test takes one way around the rule (a write that skips the services, as the admin, a shell or
a stray task could) and shows it refused.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from viewflow.workflow.status import STATUS

from review.content import content_hash
from review.models import Redaction, ReviewDecision
from workflow.exceptions import ContentChanged, PublicationRefused
from workflow.models import ApprovalDecision, Attachment, Item
from workflow.services.items import attachment_add
from workflow.services.publication import item_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(org, make_item, flow_steps):
    """An item whose review passed: waiting for the section head."""

    def make(**extra):
        item = make_item(**extra)
        process = flow_steps.submit(item)
        flow_steps.review(item, "pass")
        item.refresh_from_db()
        assert item.status == Item.Status.IN_APPROVAL
        return item, process

    return make


def _approve_sends_back(org, flow_steps, item):
    with pytest.raises(ContentChanged):
        flow_steps.approve("approve_section", org.users.section_head)
    item.refresh_from_db()
    assert item.status == Item.Status.IN_REVIEW and item.index_number is None
    assert not ApprovalDecision.objects.filter(item=item, approved=True).exists()
    # ... and it is back in the reviewers' queue, to be reviewed on what it now says.
    assert flow_steps.open_task(org.users.reviewer, "review")


def _forge_approval(process, item, approver):
    """An approval row as if the section head had approved the current content."""
    return ApprovalDecision.objects.create(
        process=process,
        item=item,
        level=item.scope,
        approver=approver,
        approved=True,
        content_hash=content_hash(item),
    )


def test_body_edited_behind_the_services_after_review_goes_back_to_review(
    org, reviewed, flow_steps
):
    item, _process = reviewed()
    Item.objects.filter(pk=item.pk).update(body=item.body + "（后加的一句）")
    _approve_sends_back(org, flow_steps, item)
    # Sent back, it was scanned as it now is; reviewed again, it is approved and published.
    assert item.scans.count() == 2
    flow_steps.review(item, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED and "后加的一句" in item.public_body


@pytest.mark.parametrize("field", ["title", "summary", "attribute", "interpretation"])
def test_any_catalogue_field_edited_after_review_goes_back_to_review(
    org, reviewed, flow_steps, field
):
    item, _process = reviewed()
    value = {"attribute": Item.Attribute.ON_REQUEST}.get(field, "改过的内容")
    Item.objects.filter(pk=item.pk).update(**{field: value})
    _approve_sends_back(org, flow_steps, item)


def test_attachment_slipped_in_after_review_goes_back_to_review(org, reviewed, flow_steps):
    item, _process = reviewed()
    attachment = Attachment(item=item, name="追加.txt", size=6, uploaded_by=org.users.drafter)
    attachment.file.save("追加.txt", ContentFile("追加材料".encode()), save=True)
    _approve_sends_back(org, flow_steps, item)


def test_attachment_replaced_on_disk_after_review_goes_back_to_review(org, make_item, flow_steps):
    item = make_item()
    attachment = attachment_add(
        item=item,
        user=org.users.drafter,
        upload=SimpleUploadedFile("名单.txt", "原始名单".encode()),
    )
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    with open(attachment.file.path, "wb") as handle:
        handle.write("被替换的名单".encode())
    _approve_sends_back(org, flow_steps, item)


def test_redaction_withdrawn_behind_the_services_goes_back_to_review(
    org, sensitive_item, flow_steps, held_review, decide_held, ground, settle
):
    from review.services import passage_redact

    item = sensitive_item()
    flow_steps.submit(item)
    task = held_review()
    passage_redact(item=item, user=org.users.reviewer, passage="王某某", ground=ground)
    settle(item)
    decide_held(task, "pass")
    Redaction.objects.filter(item=item).update(withdrawn_at=timezone.now())
    _approve_sends_back(org, flow_steps, item)


def test_redaction_added_behind_the_services_goes_back_to_review(
    org, sensitive_item, flow_steps, held_review, decide_held, ground, settle
):
    item = sensitive_item()
    flow_steps.submit(item)
    task = held_review()
    settle(item, dismiss=True)
    decide_held(task, "pass")
    Redaction.objects.create(
        item=item, source="body", start=0, end=2, text=item.body[:2], ground=ground,
        created_by=org.users.drafter,
    )  # fmt: skip
    _approve_sends_back(org, flow_steps, item)


def test_publication_checks_the_approved_content_not_just_the_approval(org, reviewed):
    item, process = reviewed()
    _forge_approval(process, item, org.users.section_head)
    Item.objects.filter(pk=item.pk).update(body="批准后被改动的正文")
    item.refresh_from_db()
    with pytest.raises(PublicationRefused) as refused:
        item_publish(process=process)
    assert "审批后内容已被改动" in str(refused.value.message)
    item.refresh_from_db()
    assert item.status == Item.Status.IN_APPROVAL and not item.public_body


def test_a_forged_passing_review_on_other_content_does_not_clear(org, reviewed):
    item, process = reviewed()
    ReviewDecision.objects.create(
        process=process,
        item=item,
        reviewer=org.users.reviewer,
        outcome=ReviewDecision.Outcome.PASS,
        content_hash="0" * 64,
    )
    _forge_approval(process, item, org.users.section_head)
    with pytest.raises(PublicationRefused) as refused:
        item_publish(process=process)
    assert "保密审查后内容已被改动" in str(refused.value.message)


def test_an_approval_older_than_the_latest_review_does_not_clear(org, reviewed):
    item, process = reviewed()
    approval = _forge_approval(process, item, org.users.section_head)
    ApprovalDecision.objects.filter(pk=approval.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=1)
    )
    with pytest.raises(PublicationRefused):
        item_publish(process=process)


def test_a_later_failed_review_voids_an_earlier_pass(org, reviewed):
    item, process = reviewed()
    _forge_approval(process, item, org.users.section_head)
    ReviewDecision.objects.create(
        process=process,
        item=item,
        reviewer=org.users.reviewer,
        outcome=ReviewDecision.Outcome.RETURN,
        content_hash=content_hash(item),
    )
    with pytest.raises(PublicationRefused):
        item_publish(process=process)


def test_a_status_forced_to_awaiting_approval_without_review_is_refused(org, make_item, flow_steps):
    item = make_item()
    process = flow_steps.submit(item)
    Item.objects.filter(pk=item.pk).update(status=Item.Status.IN_APPROVAL)
    _forge_approval(process, item, org.users.section_head)
    with pytest.raises(PublicationRefused) as refused:
        item_publish(process=process.coerced if hasattr(process, "coerced") else process)
    assert "保密审查未通过" in str(refused.value.message)


def test_scope_widened_after_approval_is_refused(org, reviewed):
    item, process = reviewed()
    _forge_approval(process, item, org.users.section_head)
    Item.objects.filter(pk=item.pk).update(scope=Item.Scope.DISTRICT)
    with pytest.raises(PublicationRefused):
        item_publish(process=process)


def test_an_open_referral_blocks_publication(org, reviewed):
    from review.models import Referral

    item, process = reviewed()
    _forge_approval(process, item, org.users.section_head)
    Referral.objects.create(
        process=process, item=item, to_unit=org.secrecy, requested_by=org.users.reviewer,
        question="是否涉密？",
    )  # fmt: skip
    with pytest.raises(PublicationRefused):
        item_publish(process=process)


def test_the_admin_cannot_edit_an_item(org, reviewed, client, admin_user):
    from django.urls import reverse

    item, _process = reviewed()
    client.force_login(admin_user)
    url = reverse("admin:workflow_item_change", args=[item.pk])
    client.post(url, {"body": "管理员改的正文", "title": "管理员改的标题"})
    item.refresh_from_db()
    assert item.body != "管理员改的正文" and item.title != "管理员改的标题"


def test_the_drafter_cannot_edit_once_submitted(org, reviewed):
    from workflow.exceptions import WorkflowError
    from workflow.services.items import item_update

    item, _process = reviewed()
    with pytest.raises(WorkflowError):
        item_update(item=item, user=org.users.drafter, body="审查后修改")


def test_a_delivered_answer_is_the_approved_one(org, req, flow_steps):
    """The request flow's delivery applies the same rule to the answer item."""
    from workflow.exceptions import WorkflowError
    from workflow.models import DisclosureRequest
    from workflow.services import requests as steps

    request = req.register()
    req.to_drafting(request)
    req.answer()
    flow_steps.review(None, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    request = DisclosureRequest.objects.get(pk=request.pk)
    Item.objects.filter(pk=request.answer_item_id).update(body="批准后被改动的答复")
    task = flow_steps.open_task(org.users.officer, "deliver")
    with pytest.raises(WorkflowError) as refused:
        steps.request_deliver(task_id=task.pk, user=org.users.officer)
    assert "已被改动" in str(refused.value.message)
    request.refresh_from_db()
    assert request.status != DisclosureRequest.Status.CLOSED
    assert not request.letters.exists()
    assert task.__class__.objects.get(pk=task.pk).status == STATUS.NEW


def test_publishing_twice_is_refused_and_an_edit_after_publication_never_reaches_the_public(
    org, reviewed, flow_steps, client
):
    from django.urls import reverse

    item, process = reviewed()
    flow_steps.approve("approve_section", org.users.section_head)
    item.refresh_from_db()
    number = item.index_number
    with pytest.raises(PublicationRefused):
        item_publish(process=process)
    # The public version was frozen from the approved content at publication: a later write
    # behind the services changes the internal record, not what the public reads.
    Item.objects.filter(pk=item.pk).update(body="发布后被改动的正文")
    page = client.get(reverse("portal:catalogue_detail", args=[item.pk])).content.decode()
    assert "发布后被改动的正文" not in page and "城乡最低生活保障标准" in page
    item.refresh_from_db()
    assert item.index_number == number
    assert item.published_hash != content_hash(item)  # and the tampering is detectable


def test_attachments_added_or_replaced_after_publication_are_not_served(
    org, make_item, flow_steps, client
):
    from django.urls import reverse

    item = make_item()
    approved = attachment_add(
        item=item,
        user=org.users.drafter,
        upload=SimpleUploadedFile("附件.txt", "批准的附件".encode()),
    )
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    url = reverse("portal:catalogue_attachment", args=[item.pk, approved.pk])
    assert b"".join(client.get(url).streaming_content) == "批准的附件".encode()
    # A row slipped in afterwards is neither listed nor served.
    late = Attachment(item=item, name="后加.txt", size=4, uploaded_by=org.users.drafter)
    late.file.save("后加.txt", ContentFile("后加".encode()), save=True)
    page = client.get(reverse("portal:catalogue_detail", args=[item.pk])).content.decode()
    assert "附件.txt" in page and "后加.txt" not in page
    assert (
        client.get(reverse("portal:catalogue_attachment", args=[item.pk, late.pk])).status_code
        == 404
    )
    # The approved file replaced on disk is no longer served.
    with open(approved.file.path, "wb") as handle:
        handle.write("被替换".encode())
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("with_content", [False, True], ids=["plain", "attachment+redaction"])
def test_decisions_sign_the_whole_content_whether_or_not_it_has_files_and_redactions(
    org, sensitive_item, flow_steps, held_review, decide_held, ground, with_content, settle
):
    """A step reads attachments and redactions only when its locked read of the item says there
    are some; the hash it signs is the full content hash either way."""
    from review.services import passage_redact

    item = sensitive_item()
    if with_content:
        attachment_add(
            item=item,
            user=org.users.drafter,
            upload=SimpleUploadedFile("名单.txt", "救助名单".encode()),
        )
    flow_steps.submit(item)
    task = held_review()
    if with_content:
        passage_redact(item=item, user=org.users.reviewer, passage="王某某", ground=ground)
    settle(item, dismiss=not with_content)
    decide_held(task, "pass")
    flow_steps.approve("approve_section", org.users.section_head)

    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    signed = content_hash(item)
    assert ReviewDecision.objects.get(item=item).content_hash == signed
    assert ApprovalDecision.objects.get(item=item).content_hash == signed
    assert item.published_hash == signed
    assert Redaction.objects.filter(item=item).exists() is with_content
