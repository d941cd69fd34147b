"""Text recognition (OCR) of an attachment, on the worker (review.tasks.attachment_ocr).

Uploads of pictures and scanned PDFs are kept with their text pending (review/extraction.py);
this reads them and keeps the text, and if the item's latest scan was waiting for it, scans the
item again so that the findings in the picture reach the reviewer.
"""

import hashlib

from django.db import transaction

from audit.services import audit_log
from workflow.models import Attachment, Item

from ..content import attachment_source, file_bytes
from ..extraction import Reading, reading_fields
from ..models import Scan
from ..scanner import ExtractionError, read_text


def attachment_recognise(*, attachment_id: int, sha256: str) -> str:
    """Recognise the text of the attachment's content `sha256` and keep it. Safe to run twice and
    late: it acts only while that content's text is still pending. Returns what it did."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or attachment.text_sha256 != sha256 or not attachment.text_pending:
        return "nothing to do"
    try:
        data = file_bytes(attachment)
    except OSError:
        return "the file is missing"  # a restore without its media: nothing to read yet
    if hashlib.sha256(data).hexdigest() != sha256:
        return "the file has changed"  # its new content is read (and queued) when next asked for
    # Minutes of work outside any transaction: no lock is held meanwhile.
    try:
        reading = Reading(read_text(data, attachment.name, ocr=True))
    except ExtractionError as exc:
        reading = Reading(None, error=str(exc))
    return _keep(attachment_id=attachment_id, sha256=sha256, reading=reading)


@transaction.atomic
def _keep(*, attachment_id: int, sha256: str, reading: Reading) -> str:
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        return "nothing to do"
    # The item's lock, as every change to its attachments takes (review.content.HAS_ATTACHMENTS).
    item = Item.objects.select_for_update().get(pk=attachment.item_id)
    kept = Attachment.objects.filter(pk=attachment_id, text_sha256=sha256, text_pending=True)
    if not kept.update(**reading_fields(sha256, reading)):
        return "nothing to do"  # a run before this one kept it, or the file was replaced
    audit_log(
        actor=None,
        action="review.attachment.text_recognised",
        subject=item,
        data={
            "attachment": attachment_id,
            "name": attachment.name,
            "sha256": sha256,
            "characters": len(reading.text or ""),
            "error": reading.error,
        },
    )
    latest = Scan.objects.filter(item=item).order_by("-created_at", "-pk").first()
    source = attachment_source(attachment)
    if latest is None or not any(u.get("source") == source for u in latest.unreadable):
        return "kept"
    from .scanning import item_scan

    item_scan(item=item, force=True)
    return "kept and scanned again"
