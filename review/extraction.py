"""An attachment's text: read once per file content, within the server's limits, and kept on its
row for the content `text_sha256` names, in one of three states:

- read: `text` (possibly empty);
- waiting for text recognition (OCR) on the worker: `text_pending` (a picture, a scanned PDF);
- unreadable: `text_error` says why, in words for the reviewer, who then reads it by eye.

Uploads are read at once (workflow.services.items.attachment_add), so a file that must be refused
is refused then, and the submission's scan finds the text already kept.
"""

import hashlib
from dataclasses import dataclass

from workflow.models import Attachment

from .scanner import ExtractionError, ExtractionRefused, NeedsOCR, read_text

OCR_TASK = "review.tasks.attachment_ocr"


@dataclass(frozen=True)
class Reading:
    text: str | None  # None: not readable (yet)
    error: str = ""
    pending: bool = False  # waiting for OCR on the worker


def upload_reading(upload) -> tuple[str, Reading]:
    """The SHA-256 and the reading of an uploaded file (see read_upload)."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return hashlib.sha256(data).hexdigest(), read_upload(data, upload.name)


def read_upload(data: bytes, name: str) -> Reading:
    """Read a new file within the web request's limits. Raises ExtractionRefused for a file that
    must not be accepted (a zip bomb, too slow, too much memory)."""
    try:
        return Reading(read_text(data, name))
    except NeedsOCR:
        return Reading(None, pending=True)
    except ExtractionRefused:
        raise
    except ExtractionError as exc:
        return Reading(None, error=str(exc))


def read_kept(data: bytes, name: str) -> Reading:
    """Read a file already kept (its content changed, or it predates reading at upload): what
    would refuse an upload makes it unreadable."""
    try:
        return read_upload(data, name)
    except ExtractionRefused as exc:
        return Reading(None, error=str(exc))


def kept_reading(attachment: Attachment) -> Reading:
    """What the row says about the file content `text_sha256` names."""
    if attachment.text_pending:
        return Reading(None, pending=True)
    if attachment.text_error:
        return Reading(None, error=attachment.text_error)
    return Reading(attachment.text)


def reading_fields(sha256: str, reading: Reading) -> dict:
    return {
        "text": reading.text or "",
        "text_sha256": sha256,
        "text_pending": reading.pending,
        "text_error": reading.error,
    }


def reading_keep(attachment: Attachment, sha256: str, reading: Reading) -> None:
    """Keep a reading on the saved row (and the instance); queue OCR if it waits for it."""
    fields = reading_fields(sha256, reading)
    for field, value in fields.items():
        setattr(attachment, field, value)
    Attachment.objects.filter(pk=attachment.pk).update(**fields)
    if reading.pending:
        ocr_queue(attachment=attachment, sha256=sha256)


def ocr_queue(*, attachment: Attachment, sha256: str) -> None:
    """Queue text recognition for this content of the attachment: sent to the worker after the
    caller's transaction commits, never if it rolls back (the outbox)."""
    from notifications.dispatch import enqueue

    enqueue(OCR_TASK, attachment.pk, sha256)
