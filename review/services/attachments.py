"""What the reviewer does with an attachment: confirm that a file the scanner could not read was
checked by eye, page by page (已逐页人工审看), and replace a file with a redacted version of it.

Both belong to the reviewer holding the item's review task, under the item's lock (the steps that
read an item under that lock rely on its attachments not changing behind them).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from workflow.models import Attachment, Item
from workflow.uploads import ITEM_TYPES, check_upload

from ..content import active_redactions, attachment_source, file_sha256, forget_file_sha256
from ..extraction import ocr_queue, reading_fields, upload_reading
from ..models import ManualCheck
from ..readiness import latest_scan
from ..scanner import ExtractionRefused
from .redactions import held_review_task, redaction_withdraw_row
from .scanning import item_scan


def _locked_attachment(attachment_id: int) -> tuple[Item, Attachment]:
    attachment = Attachment.objects.select_related("item").get(pk=attachment_id)
    item = Item.objects.select_for_update().select_related("unit").get(pk=attachment.item_id)
    return item, Attachment.objects.get(pk=attachment.pk)


@transaction.atomic
def attachment_confirm_checked(*, attachment_id: int, user, note: str = "") -> ManualCheck:
    """The reviewer confirms having read an unreadable attachment page by page, for the bytes it
    has now. Audited; a file replaced later needs a new confirmation."""
    item, attachment = _locked_attachment(attachment_id)
    held_review_task(item=item, user=user)
    scan = latest_scan(item)
    unreadable = {u["source"] for u in (scan.unreadable if scan else [])}
    if attachment_source(attachment) not in unreadable:
        raise ValidationError(_("The scanner read this file's text; settle its findings instead."))
    sha = file_sha256(attachment)
    check, created = ManualCheck.objects.get_or_create(
        attachment=attachment,
        sha256=sha,
        defaults={"item": item, "confirmed_by": user, "note": note.strip()},
    )
    if created:
        audit_log(
            actor=user,
            action="review.attachment.checked_by_eye",
            subject=item,
            comment=note.strip(),
            data={"attachment": attachment.pk, "name": attachment.name, "sha256": sha},
        )
    return check


def attachment_replace(*, attachment_id: int, user, upload: UploadedFile) -> Attachment:
    """Replace an attachment with a redacted version (the file the public will get). The drafter's
    original is kept for the record. The new file is read and must no longer contain any string
    the reviewer redacted in the item; the redactions that pointed into the old file are
    withdrawn, and the item is scanned again, so its findings are those of the new file.

    The new file is removed again if the replacement fails, at commit included (Django has no
    on-rollback hook, and a stored file without its row would never be cleaned up)."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _replace(attachment_id=attachment_id, user=user, upload=upload, stored=stored)
    except BaseException:
        storage = Attachment._meta.get_field("file").storage
        for name in stored:
            storage.delete(name)
        raise


def _replace(*, attachment_id: int, user, upload: UploadedFile, stored: list[str]) -> Attachment:
    item, attachment = _locked_attachment(attachment_id)
    held_review_task(item=item, user=user)
    check_upload(upload, field="file", allowed=ITEM_TYPES, limit=settings.ATTACHMENT_MAX_BYTES)
    # Read as an upload is: a file that would cost the server too much is refused here.
    try:
        sha256, reading = upload_reading(upload)
    except ExtractionRefused as exc:
        raise ValidationError({"file": str(exc)}) from None
    redacted = active_redactions(item)
    if reading.text is not None:
        still = sorted({r.text for r in redacted if r.text in reading.text})
        if still:
            raise ValidationError(
                {
                    "file": _(
                        "The new file still contains what was redacted: %(strings)s. Remove it "
                        "from the file and upload it again."
                    )
                    % {"strings": "、".join(still)}
                }
            )
    # A picture or a scan is read by OCR on the worker; the scan that follows it redacts any
    # redacted string it finds there (review.services.redactions.redactions_spread).
    old_name, old_sha = attachment.name, file_sha256(attachment)
    if not attachment.original_file:
        attachment.original_file.name = attachment.file.name
    attachment.file.save(upload.name, upload, save=False)
    stored.append(attachment.file.name)
    forget_file_sha256(attachment)
    attachment.name = upload.name[:255]
    attachment.size = upload.size
    for field, value in reading_fields(sha256, reading).items():
        setattr(attachment, field, value)
    attachment.replaced_by, attachment.replaced_at = user, timezone.now()
    attachment.save()
    if reading.pending:
        ocr_queue(attachment=attachment, sha256=sha256)
    source = attachment_source(attachment)
    for redaction in redacted:
        if redaction.source == source:
            redaction_withdraw_row(
                redaction, user, _("The attachment was replaced by a redacted version.")
            )
    audit_log(
        actor=user,
        action="review.attachment.replaced",
        subject=item,
        data={
            "attachment": attachment.pk,
            "old": {"name": old_name, "sha256": old_sha},
            "new": {"name": attachment.name, "sha256": sha256},
        },
    )
    item_scan(item=item, user=user)
    return attachment
