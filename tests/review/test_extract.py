"""extract_text: the format is decided by the content; what cannot be read is an ExtractionError.

pypdf reads the Chinese text that reportlab writes with the built-in CID font STSong-Light
(encoding UniGB-UCS2-H), so the PDF tests assert on the Chinese text itself."""

import io
import random
import zipfile
from collections import Counter

import docx
import pypdf
import pytest
from docx.oxml import parse_xml
from pypdf.errors import DependencyError
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from review.scanner import ExtractionError, Kind, extract_text, scan_text
from review.scanner import extract as extract_module

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


def test_zip_that_is_not_a_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ExtractionError, match="not a Word"):
        extract_text(out.getvalue(), "book.xlsx")


def test_corrupt_zip():
    with pytest.raises(ExtractionError, match="corrupt"):
        extract_text(b"PK\x03\x04" + b"\x00garbage" * 10, "broken.docx")


def test_legacy_word_document():
    with pytest.raises(ExtractionError, match=r"\.docx"):
        extract_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old.doc")


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


def test_pdf_without_text_layer():
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.rect(72, 600, 200, 100, fill=1)  # a picture only, as a scanner would produce
    c.showPage()
    c.save()
    with pytest.raises(ExtractionError, match="no text layer"):
        extract_text(out.getvalue(), "scanned.pdf")


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
    with pytest.raises(ExtractionError, match="password-protected"):
        extract_text(data, "locked.pdf")


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
    with pytest.raises(ExtractionError, match="cannot read"):
        extract_text(data, "aes.pdf")


def test_corrupt_pdf():
    with pytest.raises(ExtractionError, match="PDF"):
        extract_text(b"%PDF-1.7\n" + b"\x01\x02garbage" * 50, "broken.pdf")


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
    with pytest.raises(ExtractionError, match="larger than"):
        extract_text(b"a" * 1025, "big.txt")
    assert extract_text(b"a" * 1024, "ok.txt") == "a" * 1024


def test_real_limits():
    assert extract_module.MAX_INPUT_BYTES == 20 * 1024 * 1024
    assert extract_module.MAX_TEXT_CHARS == 2_000_000
    with pytest.raises(ExtractionError, match="larger than 20 MB"):
        extract_text(b" " * (20 * 1024 * 1024 + 1), "big.txt")


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: ("很长的文字" * 30).encode(), id="text"),
        pytest.param(make_docx, id="docx"),
        pytest.param(lambda: make_pdf([PDF_LINES] * 2), id="pdf"),
    ],
)
def test_text_too_long(monkeypatch, make):
    monkeypatch.setattr(extract_module, "MAX_TEXT_CHARS", 40)
    with pytest.raises(ExtractionError, match="longer than"):
        extract_text(make(), "long")


@pytest.mark.parametrize("make", [make_docx, lambda: make_pdf([PDF_LINES, PDF_LINES])])
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
