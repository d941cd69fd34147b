"""Scanning on submission, redacting findings and passages, the public version and the log."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from review.models import Redaction, ScanFinding
from review.services import (
    finding_dismiss,
    finding_redact,
    item_scan,
    passage_redact,
    redaction_withdraw,
)
from workflow.exceptions import NotAllowed
from workflow.models import Item

from .conftest import ID_NUMBER, MOBILE

pytestmark = pytest.mark.django_db


def _findings(item):
    return {f.kind: f for f in item.findings.order_by("pk")}


def test_submission_scans_the_item_and_the_reviewer_sees_the_findings(
    org, sensitive_item, flow_steps
):
    item = sensitive_item()
    flow_steps.submit(item)
    found = _findings(item)
    assert found["id_number"].text == ID_NUMBER
    assert found["mobile"].text == MOBILE
    assert all(f.resolution == ScanFinding.Resolution.OPEN for f in found.values())
    assert AuditEntry.objects.filter(
        action="review.scan.completed", subject_id=str(item.pk)
    ).exists()
    # The same content is scanned once: asking again returns the same scan.
    assert item_scan(item=item).pk == item.scans.get().pk


def test_redacting_a_finding_makes_the_public_version_and_keeps_the_log(
    org, sensitive_item, flow_steps, held_review, decide_held, ground
):
    item = sensitive_item()
    flow_steps.submit(item)
    task = held_review()
    reviewer = org.users.reviewer
    [redaction] = finding_redact(
        finding_id=_findings(item)["id_number"].pk, user=reviewer, ground=ground
    )
    assert redaction.text == ID_NUMBER and redaction.ground == ground
    assert redaction.created_by == reviewer
    finding_dismiss(finding_id=_findings(item)["mobile"].pk, user=reviewer, note="公开的办事电话")
    decide_held(task, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    assert ID_NUMBER not in item.public_body
    assert "《条例》第十五条" in item.public_body
    assert MOBILE in item.public_body  # dismissed: left as written
    assert ID_NUMBER in item.body  # the original is kept, internally
    log = Redaction.objects.get(item=item)
    assert (log.source, log.text, log.created_by) == ("body", ID_NUMBER, reviewer)
    assert AuditEntry.objects.filter(
        action="review.redaction.added", subject_id=str(item.pk)
    ).exists()


def test_the_catalogue_serves_only_the_public_version(
    org, sensitive_item, flow_steps, held_review, decide_held, ground, client
):
    item = sensitive_item()
    flow_steps.submit(item)
    task = held_review()
    passage_redact(item=item, user=org.users.reviewer, passage="王某某", ground=ground)
    finding_redact(
        finding_id=_findings(item)["id_number"].pk, user=org.users.reviewer, ground=ground
    )
    finding_dismiss(
        finding_id=_findings(item)["mobile"].pk, user=org.users.reviewer, note="社区公开的服务电话"
    )
    decide_held(task, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    page = client.get(reverse("portal:catalogue_detail", args=[item.pk])).content.decode()
    assert "王某某" not in page and ID_NUMBER not in page
    assert "已于9月发放临时救助金" in page


def test_a_passage_is_redacted_everywhere_it_occurs(
    org, make_item, flow_steps, held_review, decide_held, ground
):
    item = make_item()
    item.body = "李四申请救助。经核查，李四家庭人均收入低于标准。"
    item.save()
    flow_steps.submit(item)
    held_review()
    created = passage_redact(item=item, user=org.users.reviewer, passage="李四", ground=ground)
    assert [(r.start, r.end) for r in created] == [(0, 2), (11, 13)]
    # Marking the same passage again adds nothing.
    assert passage_redact(item=item, user=org.users.reviewer, passage="李四", ground=ground) == []
    with pytest.raises(ValidationError) as refused:
        passage_redact(item=item, user=org.users.reviewer, passage="张五", ground=ground)
    assert "passage" in refused.value.error_dict


def test_only_the_reviewer_holding_the_task_may_redact(
    org, sensitive_item, flow_steps, held_review, decide_held, ground
):
    item = sensitive_item()
    flow_steps.submit(item)
    finding = _findings(item)["id_number"]
    # Not claimed yet, then the drafter, then a reviewer of another unit: all refused.
    for user in (org.users.reviewer, org.users.drafter, org.users.outsider_reviewer):
        with pytest.raises(NotAllowed):
            finding_redact(finding_id=finding.pk, user=user, ground=ground)
    held_review()
    assert finding_redact(finding_id=finding.pk, user=org.users.reviewer, ground=ground)
    assert Redaction.objects.count() == 1


def test_a_withdrawn_redaction_stays_in_the_log_and_reopens_its_finding(
    org, sensitive_item, flow_steps, held_review, decide_held, ground
):
    item = sensitive_item()
    flow_steps.submit(item)
    held_review()
    finding = _findings(item)["id_number"]
    [redaction] = finding_redact(finding_id=finding.pk, user=org.users.reviewer, ground=ground)
    with pytest.raises(ValidationError):
        redaction_withdraw(redaction_id=redaction.pk, user=org.users.reviewer, reason=" ")
    redaction_withdraw(redaction_id=redaction.pk, user=org.users.reviewer, reason="误标")
    redaction.refresh_from_db()
    assert redaction.withdrawn_by == org.users.reviewer and redaction.withdrawn_reason == "误标"
    finding.refresh_from_db()
    assert finding.resolution == ScanFinding.Resolution.OPEN
    assert Redaction.objects.filter(item=item).count() == 1


def test_a_pass_settles_nothing_by_default(org, sensitive_item, flow_steps):
    """Pressing pass with findings open is refused and settles none of them in anyone's name."""
    item = sensitive_item()
    flow_steps.submit(item)
    with pytest.raises(ValidationError) as refused:
        flow_steps.review(item, "pass")
    assert "2" in " ".join(refused.value.messages)
    assert {f.resolution for f in item.findings.all()} == {ScanFinding.Resolution.OPEN}
    assert not item.reviews.exists()
    item.refresh_from_db()
    assert item.status == Item.Status.IN_REVIEW


def test_redactions_follow_the_text_when_the_drafter_revises(
    org, make_item, flow_steps, held_review, decide_held, ground
):
    from workflow.services.items import item_update

    item = make_item()
    item.body = "申请人李四，住址略。"
    item.save()
    flow_steps.submit(item)
    task = held_review()
    passage_redact(item=item, user=org.users.reviewer, passage="李四", ground=ground)
    passage_redact(item=item, user=org.users.reviewer, passage="住址略", ground=ground)
    decide_held(task, "return", comment="请补充发放日期")
    item.refresh_from_db()
    item_update(item=item, user=org.users.drafter, body="2026年9月，申请人李四获得救助。")
    flow_steps.submit(item)
    moved = Redaction.objects.get(item=item, text="李四")
    assert (moved.start, moved.end, moved.withdrawn_at) == (11, 13, None)
    gone = Redaction.objects.get(item=item, text="住址略")
    assert gone.withdrawn_at is not None and gone.withdrawn_reason


def test_dismissals_carry_over_to_the_next_scan_of_the_same_text(
    org, sensitive_item, flow_steps, held_review, decide_held
):
    from workflow.services.items import item_update

    item = sensitive_item()
    flow_steps.submit(item)
    task = held_review()
    finding_dismiss(
        finding_id=_findings(item)["mobile"].pk, user=org.users.reviewer, note="办事电话"
    )
    decide_held(task, "return", comment="补充")
    item.refresh_from_db()
    item_update(item=item, user=org.users.drafter, body=item.body + "\n补充：已核实。")
    flow_steps.submit(item)
    assert item.scans.count() == 2
    latest = item.scans.order_by("-pk").first()
    mobile = latest.findings.get(kind="mobile")
    assert mobile.resolution == ScanFinding.Resolution.DISMISSED
    assert mobile.resolution_note == "办事电话"
    assert latest.findings.get(kind="id_number").resolution == ScanFinding.Resolution.OPEN


def test_an_attachment_is_scanned_and_its_redacted_public_version_is_served(
    org, make_item, flow_steps, held_review, decide_held, ground, client
):
    import io

    import docx
    from django.core.files.uploadedfile import SimpleUploadedFile

    from workflow.services.items import attachment_add

    document = docx.Document()
    document.add_paragraph(f"发放名单：赵六，身份证号{ID_NUMBER}。")
    buffer = io.BytesIO()
    document.save(buffer)
    item = make_item()
    attachment = attachment_add(
        item=item,
        user=org.users.drafter,
        upload=SimpleUploadedFile("名单.docx", buffer.getvalue()),
    )
    flow_steps.submit(item)
    finding = item.findings.get(kind="id_number")
    assert finding.source == f"attachment:{attachment.pk}"
    task = held_review()
    finding_redact(finding_id=finding.pk, user=org.users.reviewer, ground=ground)
    decide_held(task, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    response = client.get(reverse("portal:catalogue_attachment", args=[item.pk, attachment.pk]))
    assert response.status_code == 200
    public = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in public.paragraphs)
    assert ID_NUMBER not in text and "赵六" in text and "第十五条" in text


def test_a_partial_disclosure_answer_cites_the_redaction_log(
    org, req, flow_steps, held_review, decide_held, ground
):
    """Art. 37: the applicant gets the disclosable part and, for each redaction, its ground."""
    from workflow.models import DisclosureRequest

    request = req.register()
    req.to_drafting(request)
    req.answer(
        outcome="partly_disclosed",
        answer=f"2026年第三季度低保资金发放明细如下：户主王某某，身份证号{ID_NUMBER}，发放金额900元。",
    )
    request = DisclosureRequest.objects.get(pk=request.pk)
    item = request.answer_item
    finding = item.findings.get(kind="id_number")  # every draft answer is scanned
    task = held_review()
    finding_redact(finding_id=finding.pk, user=org.users.reviewer, ground=ground)
    passage_redact(item=item, user=org.users.reviewer, passage="王某某", ground=ground)
    decide_held(task, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    letter = req.deliver(today=request.received_on)
    assert ID_NUMBER not in letter.body and "王某某" not in letter.body
    assert "发放金额900元" in letter.body
    assert "删减情况说明" in letter.body
    log_lines = [line for line in letter.body.splitlines() if "第十五条" in line and "正文" in line]
    assert len(log_lines) == 2, letter.body
