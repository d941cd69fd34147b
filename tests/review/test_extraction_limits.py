"""Bounded work on hostile files (issue 20, point 7), and the way of an upload's text: read at once
within the web request's limits, pictures and scans by OCR on the worker, then scanned.

Time is measured on the wall clock, memory as the growth of the peak resident size of the
process reading and of the child process the parsing runs in (Measured). The bounds asserted
are generous; the numbers measured are far below them.
"""

import io
import json
import os
import random
import resource
import struct
import time
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from docx.shared import Inches
from openpyxl import Workbook
from PIL import Image

from audit.models import AuditEntry
from notifications.models import OutboxMessage
from review.content import attachment_source, item_sources
from review.extraction import OCR_TASK
from review.models import Scan
from review.scanner import ExtractionError, Kind, read_text, scan_text
from review.tasks import attachment_ocr
from tests.chinese import english_words
from tests.review.test_extract import PNG_4X4, needs_ocr, picture_bytes
from workflow.models import Attachment
from workflow.services.items import attachment_add

MB = 1024 * 1024
MOBILE = "13907551234"
SECONDS = 10  # "a few seconds", generously
MEGABYTES = 600  # bounded memory, generously: the issue measured 3.5 GB


# --- hostile and normal files -----------------------------------------------------------------


def expanding_docx(xml_bytes: int = 190 * MB) -> bytes:
    """A Word document whose document.xml inflates to `xml_bytes` of paragraphs: under 1 MB on
    disk. Written in streamed steps, so making it costs no memory either."""
    base = io.BytesIO()
    docx.Document().save(base)
    source = zipfile.ZipFile(base)
    paragraph = b"<w:p><w:r><w:t>" + "机密文件".encode() * 16 + b"</w:t></w:r></w:p>"
    chunk = paragraph * (MB // len(paragraph))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for info in source.infolist():
            content = source.read(info)
            if info.filename != "word/document.xml":
                package.writestr(info.filename, content)
                continue
            head, tail = content.split(b"<w:body>")
            with package.open("word/document.xml", "w") as part:
                part.write(head + b"<w:body>")
                for _ in range(xml_bytes // len(chunk)):
                    part.write(chunk)
                part.write(tail)
    return out.getvalue()


def lying_about_sizes(data: bytes, part: str, declared: int) -> bytes:
    """The same archive, with `part` declaring `declared` unpacked bytes in its local header and
    in the central directory."""
    patched = bytearray(data)
    name = part.encode()
    # Central directory entry: signature, then the uncompressed size at offset 24, the name at 46.
    at = patched.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", patched, at + 28)[0]
        if bytes(patched[at + 46 : at + 46 + name_length]) == name:
            struct.pack_into("<I", patched, at + 24, declared)
            local = struct.unpack_from("<I", patched, at + 42)[0]
            struct.pack_into("<I", patched, local + 22, declared)
            return bytes(patched)
        at = patched.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{part} not in the archive")


_HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
)


def normal_docx(size: int = 5 * MB) -> bytes:
    """A long report as offices write them: chapters of text, a roster table in each (names, ID
    numbers, mobile numbers), and photos, up to `size` bytes."""
    rng = random.Random(20)

    def sentence(length: int) -> str:
        return "".join(rng.choice(_HANZI) for _ in range(length)) + "。"

    document = docx.Document()
    document.add_heading("关于2025年度城乡低保对象复核情况的报告", 0)
    for chapter in range(60):
        document.add_heading(f"第{chapter + 1}章 {sentence(10)}", 1)
        for _ in range(25):
            document.add_paragraph(sentence(rng.randint(60, 200)))
        table = document.add_table(rows=1, cols=5)
        for cell, title in zip(
            table.rows[0].cells, ["序号", "姓名", "联系电话", "住址", "金额"], strict=True
        ):
            cell.text = title
        for number in range(40):
            cells = table.add_row().cells
            cells[0].text = str(number + 1)
            cells[1].text = rng.choice(_SURNAMES) + sentence(2)[:2]
            cells[2].text = f"139{rng.randrange(10**8):08d}"
            cells[3].text = "某街道" + sentence(6)
            cells[4].text = f"{rng.randint(500, 1500)}.00"
    document.add_paragraph(f"联系人：张三，手机{MOBILE}")
    while True:
        out = io.BytesIO()
        document.save(out)
        if len(out.getvalue()) >= size:
            return out.getvalue()
        photo = io.BytesIO()
        Image.effect_noise((1200, 900), 40).convert("RGB").save(photo, "JPEG", quality=85)
        document.add_picture(photo, width=Inches(5))


def numbers_xlsx(rows: int = 45_000, columns: int = 10) -> bytes:
    """A workbook of 450,000 numbers: 13 MB of sheet XML and 1.7 million characters of text,
    within the unpacked and the text limits, and seconds of openpyxl's work."""
    base = io.BytesIO()
    Workbook().save(base)
    source = zipfile.ZipFile(base)
    letters = [chr(ord("A") + c) for c in range(columns)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                package.writestr(info.filename, source.read(info))
                continue
            with package.open(info.filename, "w") as part:
                part.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    b'main"><sheetData>'
                )
                for r in range(1, rows + 1):
                    cells = "".join(f'<c r="{c}{r}"><v>{r * 7 % 1000}</v></c>' for c in letters)
                    part.write(f'<row r="{r}">{cells}</row>'.encode())
                part.write(b"</sheetData></worksheet>")
    return out.getvalue()


class Measured:
    """Wall time and memory of `call()`, run in a forked helper so that the numbers are its own:
    a forked process starts with the resident size of this one (however large the test run has
    made it) and with no children. Memory is counted as growth over that start, for the helper
    and for the largest child it waited for (where the parsing runs). The helper touches no
    database and leaves with os._exit."""

    def __init__(self, call):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the helper
            os.close(read_fd)
            status = 1
            try:
                start_mb = _resident_mb()
                started = time.monotonic()
                answer = {"error": None, "code": None, "result": None}
                try:
                    answer["result"] = call()
                except ExtractionError as exc:
                    answer.update(error=type(exc).__name__, code=exc.code, message=str(exc))
                answer["seconds"] = time.monotonic() - started
                answer["grew_mb"] = _peak_mb(resource.RUSAGE_SELF) - start_mb
                answer["child_mb"] = max(0, _peak_mb(resource.RUSAGE_CHILDREN) - start_mb)
                with os.fdopen(write_fd, "w") as pipe:
                    json.dump(answer, pipe)
                status = 0
            finally:
                os._exit(status)
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            answer = json.loads(pipe.read() or "{}")
        os.waitpid(pid, 0)
        assert answer, "the measuring helper died"
        self.__dict__.update(answer)

    def bounded(self) -> bool:
        return self.seconds < SECONDS and self.grew_mb < 100 and self.child_mb < MEGABYTES


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


def _peak_mb(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return expanding_docx()


# --- bombs and slow files are refused, within seconds and bounded memory -----------------------


def test_expanding_docx_is_refused_at_once(bomb):
    # given a 0.6 MB .docx whose document.xml inflates to 190 MB
    assert len(bomb) < MB
    declared = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist())
    assert declared > 190 * MB
    # when its text is read as an upload's is
    measured = Measured(lambda: read_text(bomb, "名单.docx"))
    # then it is refused by its declared sizes, before anything is parsed
    assert (measured.error, measured.code) == ("ExtractionRefused", "unpacked_too_large")
    assert "名单.docx" in measured.message
    assert measured.bounded(), vars(measured)
    assert measured.seconds < 2


def test_expanding_docx_is_stopped_by_the_child_limits_when_let_through(bomb, settings):
    # given a limit on declared sizes raised so far that the bomb gets to the parser
    settings.EXTRACTION_MAX_UNPACKED_BYTES = 1024 * MB
    settings.EXTRACTION_MEMORY_MB = 256
    # when it is read
    measured = Measured(lambda: read_text(bomb, "名单.docx"))
    # then the child process runs out of memory or time, and is stopped there
    assert measured.error == "ExtractionRefused"
    assert measured.code in {"memory", "timeout"}
    assert measured.bounded(), vars(measured)


def test_bomb_lying_about_its_sizes_is_refused(bomb):
    # given the bomb declaring 4 KB for its 190 MB document.xml
    liar = lying_about_sizes(bomb, "word/document.xml", 4096)
    info = zipfile.ZipFile(io.BytesIO(liar)).getinfo("word/document.xml")
    assert info.file_size == 4096
    # zipfile read in steps unpacks no more than the declared bytes, and finds the lie at once
    with zipfile.ZipFile(io.BytesIO(liar)).open(info) as part, pytest.raises(zipfile.BadZipFile):
        part.read(1024)
    # when its text is read
    measured = Measured(lambda: read_text(liar, "名单.docx"))
    # then it is refused as damaged before a parser inflates the part in one go
    assert (measured.error, measured.code) == ("ExtractionRefused", "corrupt")
    assert measured.bounded(), vars(measured)
    assert measured.seconds < 2


def test_a_file_that_takes_too_long_is_stopped(settings):
    # given a workbook of 450,000 numbers, within the limits but slow to read, and a 0.5 s budget
    data = numbers_xlsx()
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert unpacked < settings.EXTRACTION_MAX_UNPACKED_BYTES
    settings.EXTRACTION_TIMEOUT_SECONDS = 0.5
    # when its text is read
    measured = Measured(lambda: read_text(data, "统计.xlsx"))
    # then the reading is stopped at the budget and the file refused
    assert (measured.error, measured.code) == ("ExtractionRefused", "timeout")
    assert measured.seconds < 2
    assert measured.bounded(), vars(measured)


def test_a_normal_5_mb_docx_is_read_and_scanned():
    # given a 5 MB report: 60 chapters of text, a roster in each, and photos
    data = normal_docx()
    assert 5 * MB <= len(data) < 7 * MB
    # when it is read within the web request's default limits
    measured = Measured(lambda: read_text(data, "报告.docx"))
    # then its text is complete and the scanner finds what it holds
    assert measured.error is None, vars(measured)
    text = measured.result
    assert text.startswith("关于2025年度城乡低保对象复核情况的报告")
    assert f"联系人：张三，手机{MOBILE}" in text
    mobiles = [f for f in scan_text(text) if f.kind == Kind.MOBILE]
    assert len(mobiles) == 60 * 40 + 1
    assert measured.bounded(), vars(measured)


# --- uploads ----------------------------------------------------------------------------------


def _upload(client, item, name: str, data: bytes):
    return client.post(
        reverse("workflow:attachment_upload", args=[item.pk]),
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def _latest_scan(item) -> Scan:
    return Scan.objects.filter(item=item).order_by("-created_at", "-pk").first()


@pytest.mark.django_db
def test_uploading_a_bomb_is_refused_with_a_chinese_message(client, org, make_item, bomb, settings):
    # given a drafter's item
    item = make_item()
    audit_rows = AuditEntry.objects.count()
    client.force_login(org.users.drafter)
    # when the drafter uploads the bomb
    started = time.monotonic()
    response = _upload(client, item, "名单.docx", bomb)
    # then the page says why, in Chinese, within seconds, and nothing is kept
    assert time.monotonic() - started < SECONDS
    assert response.status_code == 200
    message = " ".join(str(m) for m in response.context["messages"])
    assert "名单.docx" in message and "解压后" in message and "20" in message
    assert english_words(message) == []
    assert message in response.content.decode()
    assert not item.attachments.exists()
    assert AuditEntry.objects.count() == audit_rows
    assert not list((settings.MEDIA_ROOT).rglob("*.docx"))


@pytest.mark.django_db
def test_an_encrypted_pdf_is_accepted_as_unreadable(org, make_item):
    # Merely unreadable: kept, for the reviewer to check by eye.
    from tests.review.test_extract import PDF_LINES, _encrypt, make_pdf

    item = make_item()
    attachment = attachment_add(
        item=item,
        user=org.users.drafter,
        upload=SimpleUploadedFile("名单.pdf", _encrypt(make_pdf([PDF_LINES]), "secret")),
    )
    attachment.refresh_from_db()
    assert attachment.text_error and not attachment.text_pending
    assert "名单.pdf" in attachment.text_error


@pytest.mark.django_db
def test_a_docx_upload_is_read_once_at_upload(org, make_item, flow_steps):
    from tests.review.test_extract import make_docx

    item = make_item()
    attachment = attachment_add(
        item=item, user=org.users.drafter, upload=SimpleUploadedFile("报告.docx", make_docx())
    )
    attachment.refresh_from_db()
    assert attachment.text_sha256 and "机密★10年" in attachment.text
    flow_steps.submit(item)
    found = {(f.source, f.kind) for f in _latest_scan(item).findings.all()}
    assert (attachment_source(attachment), Kind.CLASSIFICATION_MARK) in found


@pytest.mark.django_db
def test_a_picture_is_read_by_ocr_on_the_worker_and_then_scanned(
    client, org, make_item, flow_steps, django_capture_on_commit_callbacks
):
    needs_ocr()
    # given a drafter's item
    item = make_item()
    client.force_login(org.users.drafter)
    # when the drafter uploads a photo of a list: the web request does not read it
    with django_capture_on_commit_callbacks() as after_commit:
        response = _upload(client, item, "名单照片.jpg", picture_bytes(["张三", MOBILE], "JPEG"))
    assert response.status_code == 200
    attachment = item.attachments.get()
    assert attachment.text_pending and attachment.text == ""
    assert OutboxMessage.objects.filter(task_name=OCR_TASK).count() == 1
    # and the item is submitted before OCR has finished
    flow_steps.submit(item)
    waiting = _latest_scan(item)
    source = attachment_source(attachment)
    assert waiting.unreadable == [
        {"source": source, "name": "名单照片.jpg", "error": "", "pending": True}
    ]
    assert not waiting.findings.filter(source=source).exists()
    item_page = reverse("workflow:item_detail", args=[item.pk])
    assert "文字识别" in client.get(item_page).content.decode()  # the review panel says so
    # then the worker reads it (Celery runs eagerly here, once the upload has committed)
    for callback in after_commit:
        callback()
    attachment.refresh_from_db()
    assert not attachment.text_pending and MOBILE in attachment.text
    # and the item is scanned again: the mobile number in the photo reaches the reviewer
    scan = _latest_scan(item)
    assert scan.pk != waiting.pk and scan.unreadable == []
    assert [(f.source, f.text) for f in scan.findings.filter(kind=Kind.MOBILE)] == [
        (source, MOBILE)
    ]
    assert "文字识别" not in client.get(item_page).content.decode()
    # and running the task again changes nothing
    assert attachment_ocr(attachment.pk, attachment.text_sha256) == "nothing to do"
    assert _latest_scan(item).pk == scan.pk


@pytest.mark.django_db
def test_ocr_before_submission_needs_no_second_scan(
    org, make_item, flow_steps, django_capture_on_commit_callbacks
):
    needs_ocr()
    item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        attachment = attachment_add(
            item=item,
            user=org.users.drafter,
            upload=SimpleUploadedFile("扫描件.png", picture_bytes([f"联系电话{MOBILE}"])),
        )
    attachment.refresh_from_db()
    assert MOBILE in attachment.text
    assert not Scan.objects.filter(item=item).exists()  # a draft has no scan to repeat
    flow_steps.submit(item)
    assert MOBILE in {f.text for f in _latest_scan(item).findings.filter(kind=Kind.MOBILE)}


@pytest.mark.django_db
def test_an_upload_rolled_back_queues_nothing(org, make_item, django_capture_on_commit_callbacks):
    item = make_item()

    @transaction.atomic
    def upload_then_fail():
        attachment_add(
            item=item, user=org.users.drafter, upload=SimpleUploadedFile("扫描件.png", PNG_4X4)
        )
        raise RuntimeError("the request failed after the upload")

    with django_capture_on_commit_callbacks() as after_commit, pytest.raises(RuntimeError):
        upload_then_fail()
    assert after_commit == []
    assert not OutboxMessage.objects.filter(task_name=OCR_TASK).exists()
    assert not Attachment.objects.filter(item=item).exists()


@pytest.mark.django_db
def test_ocr_not_installed_leaves_the_file_unreadable_with_a_chinese_message(
    org, make_item, settings, tmp_path, django_capture_on_commit_callbacks
):
    # given a server without Tesseract
    settings.OCR_TESSERACT_COMMAND = str(tmp_path / "no-such-tesseract")
    item = make_item()
    # when a scan is uploaded and the worker gets to it
    with django_capture_on_commit_callbacks(execute=True):
        attachment = attachment_add(
            item=item,
            user=org.users.drafter,
            upload=SimpleUploadedFile("扫描件.png", PNG_4X4),
        )
    # then the file is unreadable, and the reviewer is told why and what to do
    attachment.refresh_from_db()
    assert not attachment.text_pending
    [entry] = item_sources(item)["unreadable"]
    assert entry["source"] == attachment_source(attachment) and "pending" not in entry
    assert "未安装文字识别" in entry["error"]
    assert "逐页人工审看" in entry["error"]
    assert "tesseract-ocr-chi-sim" in entry["error"]
