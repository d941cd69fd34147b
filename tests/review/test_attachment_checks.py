"""Files the scanner cannot read are not waved through: each needs the reviewer's confirmation
that it was checked by eye, page by page (已逐页人工审看), for the bytes it has; and the reviewer
can replace an attachment with a redacted version, which must no longer carry what was redacted."""

import io
import os

import docx
import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reportlab.pdfgen import canvas

from audit.models import AuditEntry
from review.models import ManualCheck, Redaction
from review.services import attachment_confirm_checked, attachment_replace, passage_redact
from workflow.exceptions import NotAllowed
from workflow.models import Item
from workflow.services.items import attachment_add

pytestmark = pytest.mark.django_db

NAME = "王某某"


def _protected_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 700, "list of names")
    page.showPage()
    page.save()
    writer = pypdf.PdfWriter()
    writer.append(pypdf.PdfReader(io.BytesIO(out.getvalue())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    protected = io.BytesIO()
    writer.write(protected)
    return protected.getvalue()


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def unreadable(org, make_item, flow_steps, held_review):
    item = make_item()
    attachment = attachment_add(
        item=item,
        user=org.users.drafter,
        upload=SimpleUploadedFile("扫描件.pdf", _protected_pdf()),
    )
    flow_steps.submit(item)
    task = held_review()
    return item, attachment, task


def test_an_unreadable_file_stops_the_pass_until_checked_by_eye(
    org, unreadable, decide_held, flow_steps, client
):
    item, attachment, task = unreadable
    scan = item.scans.get()
    assert [u["source"] for u in scan.unreadable] == [f"attachment:{attachment.pk}"]
    with pytest.raises(ValidationError) as refused:
        decide_held(task, "pass")
    assert "扫描件.pdf" in " ".join(refused.value.messages)
    # Only the reviewer holding the review confirms.
    with pytest.raises(NotAllowed):
        attachment_confirm_checked(attachment_id=attachment.pk, user=org.users.drafter)

    client.force_login(org.users.reviewer)
    response = client.post(
        reverse("review:attachment_confirm_checked", args=[item.pk, attachment.pk]),
        {"note": "共3页，已逐页核对"},
    )
    assert response.status_code == 302
    check = ManualCheck.objects.get(attachment=attachment)
    assert check.confirmed_by == org.users.reviewer and check.note == "共3页，已逐页核对"
    assert AuditEntry.objects.filter(
        action="review.attachment.checked_by_eye", subject_id=str(item.pk)
    ).exists()
    decide_held(task, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED


def test_a_confirmation_holds_for_the_bytes_checked_only(org, unreadable, decide_held):
    item, attachment, task = unreadable
    attachment_confirm_checked(attachment_id=attachment.pk, user=org.users.reviewer)
    with open(attachment.file.path, "ab") as handle:
        handle.write(b"\n% appended after the check\n")
    with pytest.raises(ValidationError):
        decide_held(task, "pass")


def test_a_readable_file_is_settled_by_its_findings_not_by_a_confirmation(
    org, make_item, flow_steps, held_review
):
    item = make_item()
    attachment = attachment_add(
        item=item,
        user=org.users.drafter,
        upload=SimpleUploadedFile("名单.txt", "救助名单".encode()),
    )
    flow_steps.submit(item)
    held_review()
    with pytest.raises(ValidationError):
        attachment_confirm_checked(attachment_id=attachment.pk, user=org.users.reviewer)


@pytest.fixture
def redacted_attachment(org, make_item, flow_steps, held_review, ground):
    item = make_item()
    attachment = attachment_add(
        item=item,
        user=org.users.drafter,
        upload=SimpleUploadedFile("名单.docx", _docx(f"救助对象{NAME}，发放3000元。")),
    )
    flow_steps.submit(item)
    task = held_review()
    passage_redact(item=item, user=org.users.reviewer, passage=NAME, ground=ground)
    return item, attachment, task


def test_a_replacement_that_still_carries_a_redacted_string_is_refused(org, redacted_attachment):
    item, attachment, _task = redacted_attachment
    before = (attachment.file.name, attachment.name)
    with pytest.raises(ValidationError) as refused:
        attachment_replace(
            attachment_id=attachment.pk,
            user=org.users.reviewer,
            upload=SimpleUploadedFile("名单-删减.docx", _docx(f"救助对象{NAME}，发放3000元。")),
        )
    assert NAME in " ".join(refused.value.messages)
    attachment.refresh_from_db()
    assert (attachment.file.name, attachment.name) == before
    assert not attachment.original_file
    # The refused file was removed again: only the drafter's file is in the item's folder.
    folder = os.path.dirname(attachment.file.path)
    assert sorted(os.listdir(folder)) == [os.path.basename(attachment.file.name)]


def test_the_reviewer_replaces_an_attachment_with_a_redacted_version(
    org, redacted_attachment, decide_held, flow_steps, client
):
    item, attachment, task = redacted_attachment
    original = attachment.file.name
    old_redactions = set(
        Redaction.objects.filter(item=item, source=f"attachment:{attachment.pk}").values_list(
            "pk", flat=True
        )
    )
    assert old_redactions
    client.force_login(org.users.reviewer)
    response = client.post(
        reverse("review:attachment_replace", args=[item.pk, attachment.pk]),
        {"file": SimpleUploadedFile("名单-删减.docx", _docx("救助对象某户，发放3000元。"))},
    )
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.original_file.name == original  # the drafter's file, kept for the record
    assert attachment.name == "名单-删减.docx" and attachment.replaced_by == org.users.reviewer
    assert not Redaction.objects.filter(pk__in=old_redactions, withdrawn_at__isnull=True).exists()
    assert item.scans.count() == 2  # scanned again, as it now is
    assert AuditEntry.objects.filter(action="review.attachment.replaced").exists()

    decide_held(task, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    served = client.get(reverse("portal:catalogue_attachment", args=[item.pk, attachment.pk]))
    data = b"".join(served.streaming_content)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "某户" in text and NAME not in text
