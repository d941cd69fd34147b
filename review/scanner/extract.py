"""extract_text: the text of an uploaded file, for the scanner.

The format is decided by the content, not by the file name: uploads are renamed, and a .pdf that
is really a .docx must still be scanned. Line breaks are normalised to "\\n"; finding offsets
index the returned text. The messages of ExtractionError are translated where they are raised
and say what the user can do; their `code` names the case.

This parses in the calling process, without limits: callers with untrusted files use
read.read_text, which runs it in a bounded child process.
"""

import codecs

from django.utils.translation import gettext as _

from .errors import ExtractionError, ExtractionRefused, NeedsOCR
from .package import DOCX, package_kind
from .pdf import PAGE_BREAK, pdf_text

__all__ = [
    "PAGE_BREAK",
    "ExtractionError",
    "ExtractionRefused",
    "NeedsOCR",
    "extract_text",
]

MAX_INPUT_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000
# Generous for one file: the worker's time limit (OCR_TIMEOUT_SECONDS) is what usually applies.
DEFAULT_OCR_TIMEOUT = 120

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .wps, encrypted .docx/.xlsx
_PICTURE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG
# C0 controls other than tab, line feed, form feed and carriage return do not occur in text; a
# "text" that decodes with them is binary that happens to be valid GB18030.
_CONTROL = frozenset(chr(c) for c in range(32)) - set("\t\n\f\r")


def extract_text(data: bytes, name: str, *, ocr: bool = False) -> str:
    """The text of a .docx, an .xlsx, a .pdf, a plain-text file (UTF-8 or GB18030) or, with
    `ocr`, a PNG or JPEG picture or a PDF's scanned pages. Without `ocr`, those raise NeedsOCR.

    `name` is used in messages only."""
    if len(data) > MAX_INPUT_BYTES:
        raise ExtractionError(
            _("%(name)s: the file is larger than %(limit)s MB. Split it into smaller files.")
            % {"name": name, "limit": MAX_INPUT_BYTES // (1024 * 1024)},
            code="too_large",
        )
    if data.startswith(_PDF_MAGIC):
        text = pdf_text(data, name, ocr=_recogniser(name) if ocr else None, **_text_limit(name))
    elif data.startswith(_ZIP_MAGIC):
        text = _office_text(data, name)
    elif data.startswith(_OLE_MAGIC):
        # Word and Excel also save a password-protected file in this container.
        raise ExtractionError(
            _(
                "%(name)s: legacy Word or Excel (.doc, .xls), WPS and password-protected Office "
                "files cannot be read. Save an unprotected copy as .docx or .xlsx and upload that."
            )
            % {"name": name},
            code="legacy",
        )
    elif data.startswith(_PICTURE_MAGIC):
        text = _picture_text(data, name, ocr=ocr)
    else:
        text = _plain_text(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_TEXT_CHARS:
        raise _too_long(name)
    return text


def _too_long(name: str) -> ExtractionError:
    return ExtractionError(
        _(
            "%(name)s: the text is longer than %(limit)s characters, too long to check. Split it "
            "into smaller files."
        )
        % {"name": name, "limit": f"{MAX_TEXT_CHARS:,}"},
        code="too_long",
    )


def _text_limit(name: str) -> dict:
    # Read at call time: tests lower MAX_TEXT_CHARS.
    return {"max_chars": MAX_TEXT_CHARS, "too_long": lambda: _too_long(name)}


def _office_text(data: bytes, name: str) -> str:
    # The declared sizes are checked before either reader unpacks anything.
    if package_kind(data, name) == DOCX:
        from .word import docx_text

        return docx_text(data, name)
    from .xlsx import xlsx_text

    return xlsx_text(data, name, **_text_limit(name))


def _recogniser(name: str):
    from django.conf import settings

    from .ocr import Recogniser

    timeout = getattr(settings, "OCR_TIMEOUT_SECONDS", DEFAULT_OCR_TIMEOUT)
    return Recogniser(name, timeout=timeout)


def _picture_text(data: bytes, name: str, *, ocr: bool) -> str:
    from .ocr import open_picture

    # The size is checked from the header even when OCR comes later: an upload of a picture
    # too large to recognise is refused at once.
    image = open_picture(data, name)
    if not ocr:
        raise NeedsOCR(
            _("%(name)s: a picture; its text waits for text recognition.") % {"name": name},
            code="needs_ocr",
        )
    text = _recogniser(name).picture(image)
    if not text.strip():
        raise ExtractionError(
            _("%(name)s: no text could be recognised in this picture. Check it by eye.")
            % {"name": name},
            code="no_text",
        )
    return text


def _plain_text(data: bytes, name: str) -> str:
    # Windows Notepad's "Unicode" is UTF-16 with a byte order mark; without one, UTF-16 cannot be
    # told from binary, so only the marked form is accepted.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ExtractionError(
                _("%(name)s: the UTF-16 text is damaged. Save it as UTF-8 and upload that.")
                % {"name": name},
                code="corrupt",
            ) from None
    elif b"\x00" in data:
        raise _not_supported(name)
    else:
        text = _decode(data, name)
    if _CONTROL.intersection(text):
        raise _not_supported(name)
    return text


def _not_supported(name: str) -> ExtractionError:
    return ExtractionError(
        _(
            "%(name)s: not a format whose text can be read (text, PDF, Word .docx, Excel .xlsx, "
            "PNG or JPEG). Save it as PDF and upload that."
        )
        % {"name": name},
        code="unsupported",
    )


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError(
        _(
            "%(name)s: the text is neither UTF-8 nor GB18030 (GBK). Save it as UTF-8 and upload "
            "that."
        )
        % {"name": name},
        code="encoding",
    )
