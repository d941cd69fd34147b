"""Uploads are accepted by what they contain, not by what their name says."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    DOCX: "Word (.docx)",
}


def sniff_type(upload: UploadedFile) -> str | None:
    """The content type by magic bytes (and, for .docx, by the package's main part)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as package:
                if "word/document.xml" in package.namelist():
                    return DOCX
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
    return None


def check_upload(upload: UploadedFile, *, field: str = "attachment") -> str:
    """Refuse files over the size limit or of a type we do not accept; return the real type."""
    limit = settings.REQUEST_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {field: _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}}
        )
    detected = sniff_type(upload)
    if detected is None:
        raise ValidationError(
            {
                field: _("Only these files are accepted: %(types)s. This file is not one of them.")
                % {"types": ", ".join(ALLOWED_TYPES.values())}
            }
        )
    upload.detected_type = detected
    return detected
