"""extract_text: the text of an uploaded file, for the scanner.

The format is decided by the content, not by the file name: uploads are renamed, and a .pdf that
is really a .docx must still be scanned. Line breaks are normalised to "\\n"; finding offsets
index the returned text. The messages of ExtractionError are plain English; the caller
translates them for display.
"""

import codecs
import io
import struct
import zipfile
import zlib

MAX_INPUT_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000
# A .docx is a ZIP: a small file can inflate to gigabytes (a "zip bomb").
MAX_DOCX_XML_BYTES = 200 * 1024 * 1024
PAGE_BREAK = "\n\f\n"

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps, encrypted .docx
# C0 controls other than tab, line feed, form feed and carriage return do not occur in text; a
# "text" that decodes with them is binary that happens to be valid GB18030.
_CONTROL = frozenset(chr(c) for c in range(32)) - set("\t\n\f\r")


# What reading a damaged file raises (found by fuzzing truncated and bit-flipped files): the
# libraries do not wrap their parsers' and decompressors' errors.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    NotImplementedError,  # "zip file version 12.5", "Unsupported filter /AS¡II85Decode"
    RuntimeError,  # zipfile: "File ... is encrypted, password required"
)
_PDF_ERRORS = (
    *_ZIP_ERRORS,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
    struct.error,
)


class ExtractionError(Exception):
    """The file's text could not be read: unsupported format, encrypted, corrupt, or no text."""


def extract_text(data: bytes, name: str) -> str:
    """The text of a .docx, a .pdf with a text layer, or a plain-text file (UTF-8 or GB18030).

    `name` is used in messages only."""
    if len(data) > MAX_INPUT_BYTES:
        raise ExtractionError(
            f"{name}: the file is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB."
        )
    if data.startswith(_PDF_MAGIC):
        text = _pdf_text(data, name)
    elif data.startswith(_ZIP_MAGIC):
        text = _docx_text(data, name)
    elif data.startswith(_OLE_MAGIC):
        # Word also saves a password-protected .docx in this container.
        raise ExtractionError(
            f"{name}: legacy Word (.doc), WPS and password-protected Word files are not "
            "supported; save an unprotected copy as .docx."
        )
    else:
        text = _plain_text(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_length(text, name)
    return text


def _check_length(text: str, name: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise ExtractionError(f"{name}: the text is longer than {MAX_TEXT_CHARS:,} characters.")


def _plain_text(data: bytes, name: str) -> str:
    # Windows Notepad's "Unicode" is UTF-16 with a byte order mark; without one, UTF-16 cannot be
    # told from binary, so only the marked form is accepted.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ExtractionError(f"{name}: the UTF-16 text is corrupt.") from None
    elif b"\x00" in data:
        raise ExtractionError(f"{name}: not a text, PDF or Word (.docx) file.")
    else:
        text = _decode(data, name)
    if _CONTROL.intersection(text):
        raise ExtractionError(f"{name}: not a text, PDF or Word (.docx) file.")
    return text


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError(f"{name}: the text is neither UTF-8 nor GB18030 (GBK).")


def _pdf_text(data: bytes, name: str) -> str:
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # A PDF with only an owner password (no copying/printing) opens with an empty user
            # password; anything else needs a password the reviewer does not have.
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError):
                # AES needs the `cryptography` package, which is not a dependency.
                raise ExtractionError(
                    f"{name}: the PDF is encrypted with a method this server cannot read; "
                    "upload an unprotected copy."
                ) from None
            if not opened:
                raise ExtractionError(
                    f"{name}: the PDF is password-protected; upload an unprotected copy."
                )
        pages: list[str] = []
        total = 0
        for page in reader.pages:
            page_text = page.extract_text() or ""
            total += len(page_text) + len(PAGE_BREAK)
            if total > MAX_TEXT_CHARS:
                raise ExtractionError(
                    f"{name}: the text is longer than {MAX_TEXT_CHARS:,} characters."
                )
            pages.append(page_text)
    except ExtractionError:
        raise
    except FileNotDecryptedError:
        raise ExtractionError(
            f"{name}: the PDF is password-protected; upload an unprotected copy."
        ) from None
    except (PyPdfError, *_PDF_ERRORS) as exc:
        raise ExtractionError(f"{name}: the PDF is corrupt or unreadable ({exc}).") from None
    if not any(p.strip() for p in pages):
        raise ExtractionError(
            f"{name}: the PDF has no text layer (a scan?); text recognition (OCR) is not supported."
        )
    return PAGE_BREAK.join(pages)


def _docx_text(data: bytes, name: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        xml_size = sum(i.file_size for i in archive.infolist() if i.filename.endswith(".xml"))
    except _ZIP_ERRORS:
        raise ExtractionError(f"{name}: the ZIP archive is corrupt.") from None
    if "word/document.xml" not in names:
        raise ExtractionError(f"{name}: a ZIP archive, but not a Word (.docx) document.")
    if xml_size > MAX_DOCX_XML_BYTES:
        raise ExtractionError(f"{name}: the Word document is too large once unpacked.")

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
        return "\n".join(_docx_parts(document))
    except (PackageNotFoundError, XMLSyntaxError, *_ZIP_ERRORS) as exc:
        raise ExtractionError(f"{name}: the Word document is corrupt ({exc}).") from None


def _docx_parts(document) -> list[str]:
    """Headers first (classification marks live in page headers), then the body in document
    order with the text of tables, then footers."""
    headers: list[str] = []
    footers: list[str] = []
    for section in document.sections:
        for attr, out in (
            ("first_page_header", headers),
            ("header", headers),
            ("even_page_header", headers),
            ("first_page_footer", footers),
            ("footer", footers),
            ("even_page_footer", footers),
        ):
            part = getattr(section, attr)
            # A part "linked to previous" repeats the previous section's; reading it again would
            # report every mark once per section.
            if part.is_linked_to_previous:
                continue
            out.extend(_block_texts(part))
    return [*headers, *_block_texts(document), *footers]


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# Word saves a text box twice, as a DrawingML shape and as a VML fallback: read the first only.
_TEXT_BOXES = "//w:txbxContent[not(ancestor::mc:Fallback)][not(ancestor::w:txbxContent)]"


def _block_texts(container) -> list[str]:
    """Paragraphs and tables in order, then the text boxes (公文 templates often put the mark
    in a text box in the header), which the paragraph API does not see."""
    from docx.table import Table
    from lxml import etree

    texts: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            texts.extend(_table_texts(block))
        else:
            texts.append(block.text)
    root = container._element
    for box in etree.ElementBase.xpath(root, _TEXT_BOXES, namespaces={"w": _W, "mc": _MC}):
        for paragraph in box.iter(f"{{{_W}}}p"):
            texts.append("".join(t.text or "" for t in paragraph.iter(f"{{{_W}}}t")))
    return texts


def _table_texts(table) -> list[str]:
    """One line per row, cells separated by tabs; a merged cell is read once."""
    rows: list[str] = []
    for row in table.rows:
        seen: list[object] = []
        cells: list[str] = []
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):
                continue
            seen.append(cell._tc)
            nested = [line for t in cell.tables for line in _table_texts(t)]
            cells.append(" ".join([*(p.text for p in cell.paragraphs), *nested]).strip())
        rows.append("\t".join(cells))
    return rows
