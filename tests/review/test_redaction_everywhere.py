"""A redaction covers the whole item: a string withheld in one text is withheld in the title, the
summary, the body, the interpretation and the text of every attachment, in every public
rendering (catalogue page, attachment downloads, search, API, feed)."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from review.models import Redaction
from review.scanner import extract_text
from review.services import passage_redact, redaction_withdraw
from tests.review.test_extract import needs_ocr, picture_bytes
from workflow.models import Item
from workflow.services.items import attachment_add, item_update

pytestmark = pytest.mark.django_db

NAME = "王某某"


def _docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(lines: list[str]) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("STSong-Light", 12)
    for i, line in enumerate(lines):
        page.drawString(72, 760 - 20 * i, line)
    page.showPage()
    page.save()
    return out.getvalue()


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    book.active.title = "发放名单"
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _public_bytes(client, item, attachment) -> bytes:
    response = client.get(reverse("portal:catalogue_attachment", args=[item.pk, attachment.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def everywhere(org, make_item, django_capture_on_commit_callbacks):
    """A policy document naming the same person in every text it has: title, summary, body,
    interpretation, and attachments in text, Word, Excel, PDF and a photographed list (read by
    OCR on the worker, which runs eagerly here once the upload commits)."""
    needs_ocr()
    item = make_item(
        title=f"关于{NAME}等3户临时救助的公示",
        summary=f"{NAME}等3户获得临时救助",
        is_policy_document=True,
        interpretation=f"解读：本次救助对象包括{NAME}，标准按规定执行。",
    )
    item_update(
        item=item,
        user=org.users.drafter,
        body=f"经审核，{NAME}家庭符合临时救助条件，发放救助金3000元。",
    )
    files = {
        "名单.txt": f"救助名单\n{NAME}\t3000元".encode(),
        "名单.docx": _docx(f"救助名单\n{NAME} 3000元"),
        "名单.pdf": _pdf(["救助名单", f"{NAME} 3000元"]),
        "名单.xlsx": _xlsx([["姓名", "金额"], [NAME, "3000元"]]),
        "名单照片.png": picture_bytes(["救助名单", f"{NAME} 3000元"]),
    }
    with django_capture_on_commit_callbacks(execute=True):
        attachments = [
            attachment_add(item=item, user=org.users.drafter, upload=SimpleUploadedFile(name, data))
            for name, data in files.items()
        ]
    for attachment in attachments:
        attachment.refresh_from_db()
        assert NAME in attachment.text, attachment.name  # every one of them was read
    return item, attachments


def test_a_passage_redacted_once_is_withheld_in_every_text_and_every_public_rendering(
    org, everywhere, flow_steps, held_review, decide_held, ground, settle, client
):
    item, attachments = everywhere
    flow_steps.submit(item)
    task = held_review()

    created = passage_redact(item=item, user=org.users.reviewer, passage=NAME, ground=ground)

    sources = {r.source for r in created}
    assert {"title", "summary", "body", "interpretation"} <= sources
    assert {f"attachment:{a.pk}" for a in attachments} <= sources
    settle(item)
    decide_held(task, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED

    for text in (
        item.public_title,
        item.public_summary,
        item.public_body,
        item.public_interpretation,
    ):
        assert NAME not in text and "第十五条" in text
    assert NAME not in item.search_document
    for attachment in attachments:
        attachment.refresh_from_db()
        assert attachment.public_file, attachment.name  # never the original
        rendered = extract_text(_public_bytes(client, item, attachment), "public.docx")
        assert NAME not in rendered and "3000元" in rendered
    page = client.get(reverse("portal:catalogue_detail", args=[item.pk])).content.decode()
    assert NAME not in page
    found = client.get(reverse("portal:catalogue"), {"q": NAME}).content.decode()
    assert f'href="{reverse("portal:catalogue_detail", args=[item.pk])}"' not in found
    for url in ("/api/v1/catalogue/", f"/api/v1/catalogue/{item.pk}/"):
        assert NAME not in client.get(url).content.decode()
    assert NAME not in client.get(reverse("portal:feed")).content.decode()


def test_a_string_redacted_before_a_revision_is_redacted_where_the_revision_adds_it(
    org, make_item, flow_steps, held_review, decide_held, ground
):
    item = make_item()
    item_update(item=item, user=org.users.drafter, body=f"救助对象{NAME}。")
    flow_steps.submit(item)
    task = held_review()
    passage_redact(item=item, user=org.users.reviewer, passage=NAME, ground=ground)
    decide_held(task, "return", comment="请附上发放名单")
    item.refresh_from_db()
    listed = attachment_add(
        item=item,
        user=org.users.drafter,
        upload=SimpleUploadedFile("发放名单.txt", f"{NAME} 3000元".encode()),
    )

    flow_steps.submit(item)

    spread = Redaction.objects.get(item=item, source=f"attachment:{listed.pk}")
    assert spread.text == NAME and spread.withdrawn_at is None
    assert spread.created_by == org.users.reviewer  # the reviewer's decision, applied again


def test_withdrawing_a_redaction_takes_back_every_occurrence_of_the_string(
    org, everywhere, flow_steps, held_review, ground
):
    item, _attachments = everywhere
    flow_steps.submit(item)
    held_review()
    created = passage_redact(item=item, user=org.users.reviewer, passage=NAME, ground=ground)
    withdrawn = redaction_withdraw(
        redaction_id=created[0].pk, user=org.users.reviewer, reason="经核实为公开人员姓名"
    )
    assert {r.pk for r in withdrawn} == {r.pk for r in created}
    assert not item.redactions.filter(withdrawn_at__isnull=True).exists()
