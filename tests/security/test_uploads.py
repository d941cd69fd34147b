"""Uploads are judged by their bytes, not their names, and by size: the drafter's attachments and
the public request form."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import Workbook
from PIL import Image

from audit.models import AuditEntry
from workflow.uploads import DOCX, ITEM_TYPES, JPEG, PDF, PNG, TEXT, XLSX, check_upload

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("低保标准表")
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "标准"
    book.save(buffer)
    return buffer.getvalue()


def image_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, kind)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("readme.txt", "not an office file")
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        # The extension says nothing: each of these is what its bytes are.
        ("标准.txt", PDF_BYTES, PDF),
        ("名单.pdf", docx_bytes(), DOCX),
        ("统计", xlsx_bytes(), XLSX),
        ("扫描件.pdf", image_bytes("PNG"), PNG),
        ("照片.png", image_bytes("JPEG"), JPEG),
        ("说明.txt", "城乡低保标准说明".encode("gb18030"), TEXT),
        ("说明.txt", "城乡低保标准说明".encode("utf-16"), TEXT),
        ("说明", "城乡低保\n标准".encode(), TEXT),
    ],
)
def test_accepted_types_are_recognised_by_content(name, data, expected, settings):
    assert check_upload(upload(name, data), allowed=ITEM_TYPES, limit=10**7) == expected


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("通知.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("图.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("附件.docx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"),
        ("附件.docx", plain_zip()),
        ("附件.txt", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 32),
        ("附件.pdf", b"PK\x03\x04 broken zip"),
        ("附件.txt", b"  \n<?xml version='1.0'?><x/>"),
    ],
)
def test_other_content_is_refused_whatever_its_name(name, data):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, data), allowed=ITEM_TYPES, limit=10**7)
    assert "仅接受以下类型的文件" in " ".join(refused.value.messages)


def test_legacy_office_files_are_refused_with_the_way_out():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("通知.doc", ole), allowed=ITEM_TYPES, limit=10**7)
    assert ".docx" in " ".join(refused.value.messages)


def test_size_limits_and_empty_files():
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("大.pdf", PDF_BYTES), allowed=ITEM_TYPES, limit=10)
    assert "不能超过" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        check_upload(upload("空.pdf", b""), allowed=ITEM_TYPES, limit=10**7)


def test_the_public_form_does_not_take_what_only_staff_may_attach():
    with pytest.raises(ValidationError):
        check_upload(upload("说明.txt", "文本".encode()))  # the request form's own list
    assert check_upload(upload("身份证.jpg", image_bytes("JPEG"))) == JPEG


@pytest.mark.django_db
def test_a_drafter_uploading_a_disguised_page_gets_a_message_and_nothing_is_kept(
    client, org, make_item
):
    item = make_item()
    audit_rows = AuditEntry.objects.count()
    client.force_login(org.users.drafter)
    response = client.post(
        reverse("workflow:attachment_upload", args=[item.pk]),
        {"file": upload("通知.pdf", b"<html><body onload=alert(1)>x</body></html>")},
        follow=True,
    )
    assert response.status_code == 200
    messages = " ".join(str(m) for m in response.context["messages"])
    assert "仅接受以下类型的文件" in messages
    assert not item.attachments.exists()
    assert AuditEntry.objects.count() == audit_rows

    response = client.post(
        reverse("workflow:attachment_upload", args=[item.pk]),
        {"file": upload("名单.docx", docx_bytes())},
        follow=True,
    )
    assert item.attachments.count() == 1


@pytest.mark.django_db
def test_a_file_missing_on_disk_answers_404_not_a_server_error(client, org, make_item):
    # For instance a database restored without its media volume (docs/backup-restore.md).
    item = make_item()
    client.force_login(org.users.drafter)
    client.post(
        reverse("workflow:attachment_upload", args=[item.pk]),
        {"file": upload("名单.docx", docx_bytes())},
    )
    attachment = item.attachments.get()
    url = reverse("workflow:attachment_download", args=[item.pk, attachment.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(url).status_code == 404
