"""Uploads are accepted by what they contain, not by what their name says.

Two doors take files: the public request form (Regulation Art. 29: proof of identity, the
application) and the drafter's attachments to an item. Each has its own list of types and size
limit; both refuse a file whose bytes are not one of them, whatever its extension, so an HTML page
or a program renamed `.pdf` is stopped at the door.
"""

import codecs
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "text/plain"
OLE = "application/x-ole-storage"  # legacy .doc/.xls/.wps, and password-protected Office files

ALLOWED_TYPES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", DOCX: "Word (.docx)"}
# Item attachments: what the confidentiality scanner reads: PDF, .docx, .xlsx and text, and scans
# and photos by text recognition (OCR) on the worker (review/scanner, review/extraction.py).
ITEM_TYPES = {
    **ALLOWED_TYPES,
    XLSX: "Excel (.xlsx)",
    TEXT: gettext_lazy("plain text (.txt)"),
}

_MAGIC = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
)
# The part every Office Open XML package of each kind has.
_OOXML_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))
# Text is judged on its first bytes: enough to see markup or binary, cheap on a 20 MB file.
_TEXT_SAMPLE = 64 * 1024


def sniff_type(upload: UploadedFile) -> str | None:
    """The content type by magic bytes, by an Office package's main part, or as plain text."""
    upload.seek(0)
    head = upload.read(_TEXT_SAMPLE)
    upload.seek(0)
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        return next((mime for part, mime in _OOXML_PARTS if part in names), None)
    return TEXT if _is_plain_text(head) else None


def _is_plain_text(head: bytes) -> bool:
    """UTF-8, GB18030 or BOM-marked UTF-16 text that is not markup (HTML, SVG, XML)."""
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = head.decode("utf-16")
        except UnicodeDecodeError:
            return False
    else:
        if b"\x00" in head:
            return False
        text = None
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                # The sample may end inside a character: ignore at most its last three bytes.
                text = head[: len(head) - 3 if len(head) == _TEXT_SAMPLE else None].decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            return False
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
        return False
    # A browser would render these as pages or run their scripts: not "plain text" here.
    return not text.lstrip().startswith("<")


def check_upload(
    upload: UploadedFile,
    *,
    field: str = "attachment",
    allowed: dict | None = None,
    limit: int | None = None,
) -> str:
    """Refuse files over the size limit or of a type not allowed; return the real type."""
    allowed = ALLOWED_TYPES if allowed is None else allowed
    limit = settings.REQUEST_ATTACHMENT_MAX_BYTES if limit is None else limit
    if upload.size > limit:
        raise ValidationError(
            {field: _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}}
        )
    if upload.size == 0:
        raise ValidationError({field: _("The file is empty.")})
    detected = sniff_type(upload)
    if detected == OLE and detected not in allowed:
        raise ValidationError(
            {
                field: _(
                    "Legacy Word, Excel and WPS files and password-protected Office files are not "
                    "accepted. Save an unprotected copy as .docx, .xlsx or PDF and upload that."
                )
            }
        )
    if detected not in allowed:
        raise ValidationError(
            {
                field: _("Only these files are accepted: %(types)s. This file is not one of them.")
                % {"types": ", ".join(str(label) for label in allowed.values())}
            }
        )
    upload.detected_type = detected
    return detected
