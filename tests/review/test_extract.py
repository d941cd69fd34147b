"""extract_text: the format is decided by the content; what cannot be read is an ExtractionError.

pypdf reads the Chinese text that reportlab writes with the built-in CID font STSong-Light
(encoding UniGB-UCS2-H), so the PDF tests assert on the Chinese text itself. Errors are told
apart by their `code`: their messages are translated.

The OCR tests draw Chinese text with the Noto CJK font (fonts-noto-cjk) and read it back with
Tesseract (tesseract-ocr, tesseract-ocr-chi-sim); without them they are skipped, in CI they fail.
"""

import io
import random
import shutil
import subprocess
import zipfile
from collections import Counter

import docx
import pypdf
import pytest
from docx.oxml import parse_xml
from openpyxl import Workbook
from PIL import Image, ImageDraw, ImageFont
from pypdf.errors import DependencyError
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from review.scanner import (
    ExtractionError,
    ExtractionRefused,
    Kind,
    NeedsOCR,
    extract_text,
    scan_text,
)
from review.scanner import extract as extract_module
from review.scanner import ocr as ocr_module

ID_NUMBER = "440305194601272449"
MOBILE = "13907551234"


def make_docx(*, sections: int = 1) -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "机密★10年"
    document.sections[0].footer.paragraphs[0].text = "第 1 页"
    document.add_paragraph("关于低保对象核查情况的报告")
    document.add_paragraph(f"联系人手机：{MOBILE}")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "姓名"
    table.cell(0, 1).text = "身份证号"
    table.cell(1, 0).text = "叶春梅"
    table.cell(1, 1).text = ID_NUMBER
    for n in range(1, sections):
        document.add_section()
        document.add_paragraph(f"第{n + 1}节正文")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(pages: list[list[str]]) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    c = canvas.Canvas(out)
    for lines in pages:
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            c.drawString(72, 760 - 20 * i, line)
        c.showPage()
    c.save()
    return out.getvalue()


PDF_LINES = [
    "秘密★长期",
    "申请人叶春梅，身份证号码" + ID_NUMBER,
    "邮箱 songjiayi@example.org",
]


# --- Word -----------------------------------------------------------------------------------


def test_docx_header_body_and_table():
    text = extract_text(make_docx(), "report.docx")
    lines = text.split("\n")
    assert lines[0] == "机密★10年"  # headers come first
    assert "关于低保对象核查情况的报告" in lines
    assert f"叶春梅\t{ID_NUMBER}" in lines
    assert lines[-1] == "第 1 页"  # footers last
    kinds = {(f.kind, f.text) for f in scan_text(text)}
    assert kinds == {
        (Kind.CLASSIFICATION_MARK, "机密★10年"),
        (Kind.MOBILE, MOBILE),
        (Kind.ID_NUMBER, ID_NUMBER),
    }


def test_docx_header_linked_to_previous_section_is_read_once():
    text = extract_text(make_docx(sections=3), "report.docx")
    assert text.count("机密★10年") == 1
    assert "第3节正文" in text


def test_docx_merged_cell_is_read_once():
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并单元格"
    table.cell(0, 2).text = "末列"
    out = io.BytesIO()
    document.save(out)
    assert extract_text(out.getvalue(), "t.docx") == "合并单元格\t末列"


def test_docx_text_box_in_the_header():
    # 公文 templates put the mark in a text box; Word also writes a VML copy for old readers.
    namespaces = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    )
    box = "<w:txbxContent><w:p><w:r><w:t>机密★5年</w:t></w:r></w:p></w:txbxContent>"
    run = parse_xml(
        f"<w:r {namespaces}><mc:AlternateContent>"
        f'<mc:Choice Requires="v"><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape>'
        f"</w:pict></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
        f"</mc:Fallback></mc:AlternateContent></w:r>"
    )
    document = docx.Document()
    document.sections[0].header.paragraphs[0]._p.append(run)
    document.add_paragraph("正文")
    out = io.BytesIO()
    document.save(out)
    text = extract_text(out.getvalue(), "boxed.docx")
    assert text.count("机密★5年") == 1
    assert [(f.kind, f.text) for f in scan_text(text)] == [(Kind.CLASSIFICATION_MARK, "机密★5年")]


def test_content_decides_not_the_name():
    text = extract_text(make_docx(), "really-a-word-file.pdf")
    assert ID_NUMBER in text
    assert "机密★10年" in extract_text(make_docx(), "no-extension")


def test_zip_that_is_not_an_office_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "not an office file")
    with pytest.raises(ExtractionError) as error:
        extract_text(out.getvalue(), "book.docx")
    assert error.value.code == "not_office"
    assert "book.docx" in str(error.value)


def test_corrupt_zip():
    with pytest.raises(ExtractionError) as error:
        extract_text(b"PK\x03\x04" + b"\x00garbage" * 10, "broken.docx")
    assert error.value.code == "corrupt"


def test_legacy_word_document():
    with pytest.raises(ExtractionError) as error:
        extract_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old.doc")
    assert error.value.code == "legacy"
    assert ".docx" in str(error.value)


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_with_text_layer_in_chinese():
    text = extract_text(make_pdf([PDF_LINES]), "scan.pdf")
    for line in PDF_LINES:
        assert line in text
    found = {(f.kind, f.text) for f in scan_text(text)}
    assert found == {
        (Kind.CLASSIFICATION_MARK, "秘密★长期"),
        (Kind.ID_NUMBER, ID_NUMBER),
        (Kind.EMAIL, "songjiayi@example.org"),
    }


def test_pdf_pages_are_separated():
    text = extract_text(make_pdf([["第一页"], ["第二页"]]), "two.pdf")
    first, second = text.split(extract_module.PAGE_BREAK)
    assert "第一页" in first
    assert "第二页" in second


def test_pdf_with_neither_text_nor_pictures():
    # Shapes only (text converted to outlines looks like this): nothing OCR could read either.
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.rect(72, 600, 200, 100, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(ExtractionError) as error:
        extract_text(out.getvalue(), "outlines.pdf", ocr=True)
    assert error.value.code == "no_text"


def _encrypt(data: bytes, user_password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    # RC4 needs no extra package; AES would need `cryptography`, which is not installed.
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf():
    data = _encrypt(make_pdf([PDF_LINES]), user_password="secret")
    assert pypdf.PdfReader(io.BytesIO(data)).is_encrypted
    with pytest.raises(ExtractionError) as error:
        extract_text(data, "locked.pdf")
    assert error.value.code == "encrypted"


def test_pdf_with_owner_password_only_is_read():
    # Restrictions on printing or copying do not stop anyone reading the text: neither the
    # scanner.
    data = _encrypt(make_pdf([PDF_LINES]), user_password="")
    assert ID_NUMBER in extract_text(data, "restricted.pdf")


def test_pdf_encrypted_with_aes_without_the_library(monkeypatch):
    # pypdf needs `cryptography` for AES (not installed here, not even to write a sample), so
    # the reader's failure is simulated on an RC4 file.
    def needs_cryptography(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    data = _encrypt(make_pdf([PDF_LINES]), user_password="")
    monkeypatch.setattr(pypdf.PdfReader, "decrypt", needs_cryptography)
    with pytest.raises(ExtractionError) as error:
        extract_text(data, "aes.pdf")
    assert error.value.code == "encrypted"


def test_corrupt_pdf():
    with pytest.raises(ExtractionError) as error:
        extract_text(b"%PDF-1.7\n" + b"\x01\x02garbage" * 50, "broken.pdf")
    assert error.value.code == "corrupt"


# --- plain text -----------------------------------------------------------------------------

TEXT = "机密★10年\n申请人：宋佳怡，手机13907551234\n"


def test_utf8():
    assert extract_text(TEXT.encode("utf-8"), "a.txt") == TEXT


def test_utf8_with_bom():
    text = extract_text(TEXT.encode("utf-8-sig"), "a.txt")
    assert text == TEXT
    assert scan_text(text)[0].start == 0  # the BOM does not shift offsets


def test_gb18030():
    data = TEXT.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert extract_text(data, "a.txt") == TEXT


def test_utf16_with_bom():
    assert extract_text(TEXT.encode("utf-16"), "notepad.txt") == TEXT


def test_line_breaks_are_normalised():
    assert extract_text("秘密\r\n正文\r末行".encode(), "a.txt") == "秘密\n正文\n末行"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), id="png"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64), id="jpeg"),
        pytest.param(bytes(range(256)) * 4, id="binary with NUL"),
        pytest.param(b"\x01\x02\x03\x1b[0m\x7f", id="control characters"),
        pytest.param(b"\x81\x30\xff\xfe\x80", id="neither UTF-8 nor GB18030"),
    ],
)
def test_binary_is_refused(data):
    with pytest.raises(ExtractionError):
        extract_text(data, "picture.txt")


def test_empty_file_is_empty_text():
    assert extract_text(b"", "empty.txt") == ""


# --- limits ---------------------------------------------------------------------------------


def test_input_too_large(monkeypatch):
    monkeypatch.setattr(extract_module, "MAX_INPUT_BYTES", 1024)
    with pytest.raises(ExtractionError) as error:
        extract_text(b"a" * 1025, "big.txt")
    assert error.value.code == "too_large"
    assert extract_text(b"a" * 1024, "ok.txt") == "a" * 1024


def test_real_limits():
    assert extract_module.MAX_INPUT_BYTES == 20 * 1024 * 1024
    assert extract_module.MAX_TEXT_CHARS == 2_000_000
    with pytest.raises(ExtractionError) as error:
        extract_text(b" " * (20 * 1024 * 1024 + 1), "big.txt")
    assert error.value.code == "too_large"
    assert "20 MB" in str(error.value)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: ("很长的文字" * 30).encode(), id="text"),
        pytest.param(make_docx, id="docx"),
        pytest.param(lambda: make_xlsx(), id="xlsx"),
        pytest.param(lambda: make_pdf([PDF_LINES] * 2), id="pdf"),
    ],
)
def test_text_too_long(monkeypatch, make):
    monkeypatch.setattr(extract_module, "MAX_TEXT_CHARS", 40)
    with pytest.raises(ExtractionError) as error:
        extract_text(make(), "long")
    assert error.value.code == "too_long"


@pytest.mark.parametrize(
    "make", [make_docx, lambda: make_xlsx(), lambda: make_pdf([PDF_LINES, PDF_LINES])]
)
def test_damaged_files_raise_only_extraction_error(make):
    # Truncated and bit-flipped copies: the libraries raise zlib, XML, parser and "not
    # implemented" errors of their own, which must all reach the caller as ExtractionError.
    rng = random.Random(1)
    good = make()
    outcomes = Counter()
    for i in range(120):
        data = bytearray(good[: rng.randrange(10, len(good))] if i % 2 else good)
        for _ in range(0 if i % 2 else rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            outcomes[type(extract_text(bytes(data), "damaged")).__name__] += 1
        except ExtractionError:
            outcomes["ExtractionError"] += 1
    assert set(outcomes) <= {"str", "ExtractionError"}
    assert outcomes["ExtractionError"] > 0


# --- Word: everything the file carries --------------------------------------------------------

_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_with_body(*xml: str) -> bytes:
    document = docx.Document()
    document.add_paragraph("正文")
    for fragment in xml:
        document.element.body.insert(-1, parse_xml(fragment))  # before the section properties
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_content_controls_are_read():
    # 公文 templates fill their fields (发文字号, 联系人) with content controls.
    control = (
        f"<w:sdt {_W_NS}><w:sdtPr/><w:sdtContent>"
        f"<w:p><w:r><w:t>联系人手机：{MOBILE}</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    text = extract_text(_docx_with_body(control), "template.docx")
    assert f"联系人手机：{MOBILE}" in text.split("\n")
    assert [(f.kind, f.text) for f in scan_text(text)] == [(Kind.MOBILE, MOBILE)]


def test_docx_tracked_changes_insertions_in_place_deletions_after():
    # Word shows deleted text in its review pane: the file still carries the ID number.
    paragraph = (
        f"<w:p {_W_NS}><w:r><w:t>申请人</w:t></w:r>"
        f'<w:del w:id="1" w:author="a"><w:r><w:delText>叶春梅，身份证号{ID_NUMBER}</w:delText>'
        "</w:r></w:del>"
        '<w:ins w:id="2" w:author="a"><w:r><w:t>叶某</w:t></w:r></w:ins></w:p>'
    )
    lines = extract_text(_docx_with_body(paragraph), "tracked.docx").split("\n")
    assert "申请人叶某" in lines
    assert lines[-1] == f"叶春梅，身份证号{ID_NUMBER}"


def test_docx_comments_and_footnotes_are_read():
    document = docx.Document()
    paragraph = document.add_paragraph("见附表。")
    document.add_comment(paragraph.runs, text=f"核对：申请人手机{MOBILE}", author="审核人")
    out = io.BytesIO()
    document.save(out)
    data = _add_footnotes(out.getvalue(), f"注：身份证号{ID_NUMBER}")
    text = extract_text(data, "notes.docx")
    assert f"核对：申请人手机{MOBILE}" in text
    assert f"注：身份证号{ID_NUMBER}" in text
    assert {f.kind for f in scan_text(text)} == {Kind.MOBILE, Kind.ID_NUMBER}


def _add_footnotes(data: bytes, note: str) -> bytes:
    """python-docx cannot write footnotes: add the part, its relationship and its content type."""
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {_W_NS}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        f'</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>{note}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    rel = (
        '<Relationship Id="rIdNotes" Target="footnotes.xml" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/footnotes"/></Relationships>'
    )
    override = (
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.footnotes+xml"/></Types>'
    )
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                content = content.replace(b"</Relationships>", rel.encode())
            elif info.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", override.encode())
            package.writestr(info.filename, content)
        package.writestr("word/footnotes.xml", footnotes.encode())
    return out.getvalue()


# --- Excel ----------------------------------------------------------------------------------


def make_xlsx() -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    summary.append(["项目", "人数", "金额"])
    summary.append(["城乡低保", 120, 95000.5])
    roster = book.create_sheet("名单")
    roster.append(["序号", "姓名", "联系电话", "住址"])
    roster.append([1, "叶春梅", int(MOBILE), "龙岗区"])
    roster.append([2, "宋佳怡", None, "坪山区"])
    hidden = book.create_sheet("备注")
    hidden.sheet_state = "hidden"  # hidden sheets are where lists go to be forgotten
    hidden["C3"] = f"身份证号{ID_NUMBER}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_every_sheet_every_cell():
    lines = extract_text(make_xlsx(), "名单.xlsx").split("\n")
    assert lines == [
        "工作表：汇总",
        "项目\t人数\t金额",
        "城乡低保\t120\t95000.5",
        "工作表：名单",
        "序号\t姓名\t联系电话\t住址",
        f"1\t叶春梅\t{MOBILE}\t龙岗区",
        "2\t宋佳怡\t\t坪山区",
        "工作表：备注",
        f"\t\t身份证号{ID_NUMBER}",
    ]


def test_xlsx_mobile_number_in_the_second_sheet_is_found():
    text = extract_text(make_xlsx(), "名单.xlsx")
    found = [f for f in scan_text(text) if f.kind == Kind.MOBILE]
    assert [f.text for f in found] == [MOBILE]
    sheet_two = text.index("工作表：名单")
    assert sheet_two < found[0].start < text.index("工作表：备注")
    assert ID_NUMBER in {f.text for f in scan_text(text) if f.kind == Kind.ID_NUMBER}


def test_xlsx_declared_dimension_does_not_pad_rows():
    # A formatted cell far away makes Excel declare A1:XFD1048576; reading is by cells present.
    book = Workbook()
    book.active["A1"] = "表头"
    book.active["XFD1048576"] = "末格"
    out = io.BytesIO()
    book.save(out)
    lines = extract_text(out.getvalue(), "wide.xlsx").split("\n")
    assert lines[:2] == ["工作表：Sheet", "表头"]
    assert lines[2] == "\t" * 16383 + "末格"


# --- pictures and scans (OCR) ----------------------------------------------------------------

SCAN_LINES = ["机密★10年", "关于低保对象张三的核查情况", f"申请人张三，联系电话{MOBILE}"]


def needs_ocr() -> None:
    """Skip without Tesseract and its Chinese model and the CJK font (fail in CI)."""
    from tests.conftest import _unavailable

    tesseract = shutil.which("tesseract")
    languages = (
        subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, check=False)
        if tesseract
        else None
    )
    if languages is None or "chi_sim" not in (languages.stdout + languages.stderr).split():
        _unavailable("needs OCR: apt-get install tesseract-ocr tesseract-ocr-chi-sim")
    if cjk_font() is None:
        _unavailable("needs a Chinese font to draw test scans: apt-get install fonts-noto-cjk")


def cjk_font() -> tuple[str, int] | None:
    """Noto Sans CJK SC's file and index in its collection, found by fontconfig."""
    found = subprocess.run(
        ["fc-match", "--format=%{file}\t%{index}\t%{family}", "Noto Sans CJK SC"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split("\t")
    if len(found) < 3 or "CJK" not in found[2]:
        return None
    return found[0], int(found[1])


def draw_text(lines: list[str], *, size: int = 36):
    """A page of text as a scanner would give it: black on white, no text layer."""
    path, index = cjk_font()
    font = ImageFont.truetype(path, size, index=index)
    image = Image.new("L", (size * 24, size * (2 * len(lines) + 1)), "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((size, size // 2 + 2 * size * number), line, font=font, fill="black")
    return image


def picture_bytes(lines: list[str], kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    draw_text(lines).convert("RGB").save(out, kind)
    return out.getvalue()


def scanned_pdf(pages: list[list[str] | None]) -> bytes:
    """A PDF whose pages are pictures of `lines`, or typed text where a page is given as None."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(595, 842))
    for lines in pages:
        if lines is None:
            c.setFont("STSong-Light", 12)
            c.drawString(72, 760, "第一页为打印的正文。")
        else:
            c.drawImage(ImageReader(draw_text(lines)), 36, 500, width=520, height=200)
        c.showPage()
    c.save()
    return out.getvalue()


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_picture_waits_for_ocr_and_ocr_reads_it(kind):
    needs_ocr()
    data = picture_bytes(SCAN_LINES, kind)
    with pytest.raises(NeedsOCR):
        extract_text(data, f"扫描件.{kind.lower()}")
    text = extract_text(data, f"扫描件.{kind.lower()}", ocr=True)
    assert "张三" in text
    found = {(f.kind, f.text) for f in scan_text(text)}
    assert (Kind.MOBILE, MOBILE) in found
    # The model has no ★; the star it misreads before a secrecy period is taken back.
    assert (Kind.CLASSIFICATION_MARK, "机密★10年") in found


def test_pdf_without_text_layer_is_read_by_ocr():
    needs_ocr()
    data = scanned_pdf([SCAN_LINES])
    assert not (pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text() or "").strip()
    with pytest.raises(NeedsOCR):
        extract_text(data, "scan.pdf")
    text = extract_text(data, "scan.pdf", ocr=True)
    assert "张三" in text
    assert MOBILE in {f.text for f in scan_text(text) if f.kind == Kind.MOBILE}


def test_typed_pdf_with_one_scanned_page_waits_for_ocr():
    # The signed last page, or a copy of an ID card, scanned into a typed document.
    needs_ocr()
    data = scanned_pdf([None, [f"联系电话{MOBILE}"]])
    with pytest.raises(NeedsOCR):
        extract_text(data, "mixed.pdf")
    first, second = extract_text(data, "mixed.pdf", ocr=True).split(extract_module.PAGE_BREAK)
    assert "第一页为打印的正文" in first
    assert MOBILE in second


@pytest.mark.parametrize(
    ("recognised", "tidied"),
    [
        ("机密女10年", "机密★10年"),
        ("秘密娘长期", "秘密★长期"),
        ("绝密女", "绝密★"),
        ("关 于 低 保", "关于低保"),
        ("机密文件", "机密文件"),  # no period, not alone on its line: prose
        ("秘密投票 10 年", "秘密投票 10 年"),
        ("电话 139 0755 1234", "电话 139 0755 1234"),
    ],
)
def test_ocr_output_is_tidied(recognised, tidied):
    assert ocr_module.tidy(recognised) == tidied


def test_ocr_not_installed(settings, tmp_path):
    settings.OCR_TESSERACT_COMMAND = str(tmp_path / "no-such-tesseract")
    data = picture_bytes(["张三"]) if cjk_font() else PNG_4X4
    with pytest.raises(ExtractionError) as error:
        extract_text(data, "扫描件.png", ocr=True)
    assert error.value.code == "ocr_missing"
    assert "tesseract-ocr-chi-sim" in str(error.value)


def test_ocr_without_the_chinese_model(settings, tmp_path):
    fake = tmp_path / "tesseract"
    fake.write_text('#!/bin/sh\necho "List of available languages (1):"\necho eng\n')
    fake.chmod(0o755)
    settings.OCR_TESSERACT_COMMAND = str(fake)
    with pytest.raises(ExtractionError) as error:
        extract_text(PNG_4X4, "扫描件.png", ocr=True)
    assert error.value.code == "ocr_missing"


def test_picture_too_large_to_recognise_is_refused_from_its_header():
    # 20000 x 20000 pixels of one colour: a few hundred kilobytes, 400 million pixels.
    image = Image.new("1", (20000, 20000), 1)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    with pytest.raises(ExtractionRefused) as error:
        extract_text(out.getvalue(), "huge.png")
    assert error.value.code == "picture_too_large"


def _png_4x4() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


PNG_4X4 = _png_4x4()
