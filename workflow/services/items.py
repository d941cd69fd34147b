"""Drafting: create, edit, attach, submit. Edits are allowed only while the item is with its drafter."""

import datetime as dt
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_batch, audit_log
from review.permissions import user_has_object_perm

from ..exceptions import NotAllowed, WorkflowError
from ..models import Attachment, DisclosureProcess, Item, Section
from ..sqlrows import insert, item_locked_reader, read_item_locked
from ..uploads import ITEM_TYPES, check_upload
from ..workdays import WorkCalendar
from .dates import date_refusal, formation_date_floor

EDITABLE_FIELDS = (
    "title",
    "summary",
    "body",
    "category",
    "attribute",
    "scope",
    "withhold_reason",
    "withhold_ground",
    "formed_on",
    "is_policy_document",
    "interpretation",
)
PUBLICATION_DAYS = 20  # Art. 26: publish within 20 working days of being formed or changed


# Relations the services are handed as instances (or a form has just validated): full_clean would
# read each of them back from the database only to find it exists.
HELD_RELATIONS = ("unit", "section", "author", "category", "withhold_ground")


def _validate_fields(item: Item) -> None:
    """Field validation without the database round trips: the relations are held (above), and the
    check constraints are the rules `_check_withhold` has just applied (and the database keeps)."""
    item.full_clean(exclude=HELD_RELATIONS, validate_constraints=False)


def _check_withhold(item: Item) -> None:
    # 公开为原则、不公开为例外 (seed 000): not disclosing needs a stated reason and legal ground.
    if item.attribute == Item.Attribute.WITHHELD:
        errors = {}
        if not (item.withhold_reason or "").strip():
            errors["withhold_reason"] = _("Give the reason for not disclosing.")
        if not item.withhold_ground_id:
            errors["withhold_ground"] = _("Choose the legal ground for not disclosing.")
        if errors:
            raise ValidationError(errors)
    else:
        item.withhold_reason = ""
        item.withhold_ground = None


def _check_interpretation(item: Item) -> None:
    # 谁起草、谁解读 (seeds 002, 004): the interpretation goes through review with the document.
    if item.is_policy_document and not (item.interpretation or "").strip():
        raise ValidationError(
            {"interpretation": _("A policy document needs its interpretation before submission.")}
        )


def _check_summary(item: Item) -> None:
    # The catalogue, the feed and the API describe an entry by its summary (内容概述, Art. 12),
    # and an on-request entry by nothing else (its text is obtained by request): an item that
    # will be listed needs one. A withheld item is filed, never listed. Answers to disclosure
    # requests are items too, but never pass here: services.requests.answer_draft creates them
    # already in review, summarised by their outcome, and they go to the applicant in a letter,
    # never to the catalogue.
    if item.attribute in (Item.Attribute.PROACTIVE, Item.Attribute.ON_REQUEST) and not (
        (item.summary or "").strip()
    ):
        raise ValidationError(
            {
                "summary": _(
                    "Write the summary before submitting: the catalogue lists the entry by it."
                )
            }
        )


def publication_due(formed_on: dt.date, *, calendar: WorkCalendar | None = None) -> dt.date:
    return (calendar or WorkCalendar.load()).count_forward(formed_on, PUBLICATION_DAYS).due


def _set_publication_due(item: Item) -> None:
    # A formation date in the future, or before the unit or the floor (services.dates), would make
    # the Art. 26 deadline meaningless: refused beside the field.
    refusal = date_refusal(
        item.formed_on, floor=formation_date_floor(item.unit), today=timezone.localdate()
    )
    if refusal:
        raise ValidationError({"formed_on": refusal})
    item.formed_on = item.formed_on or timezone.localdate()
    item.publication_due_on = publication_due(item.formed_on)


def can_draft_in(user, section: Section) -> bool:
    return user_has_object_perm(user, "workflow.draft_section_items", section)


@transaction.atomic
def item_create(*, author, section: Section, **fields) -> Item:
    if not can_draft_in(author, section):
        raise NotAllowed(_("You do not draft for this section."))
    item = Item(author=author, section=section, unit=section.unit, **fields)
    _check_withhold(item)
    _set_publication_due(item)
    _validate_fields(item)
    insert(item)
    audit_log(actor=author, action="workflow.item.created", subject=item, new_state=item.status)
    return item


@transaction.atomic
def item_update(*, item: Item, user, **fields) -> Item:
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.author_id != user.pk:
        raise NotAllowed(_("Only the drafter can edit this item."))
    if not item.is_editable:
        raise WorkflowError(_("The item is in review or published and cannot be edited now."))
    changed = {}
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not editable")
        old = getattr(item, name)
        if old != value:
            changed[name] = [
                str(old) if old is not None else "",
                str(value) if value is not None else "",
            ]
            setattr(item, name, value)
    _check_withhold(item)
    if "formed_on" in changed or item.publication_due_on is None:
        _set_publication_due(item)
    _validate_fields(item)
    item.save()
    if changed:
        audit_log(
            actor=user,
            action="workflow.item.edited",
            subject=item,
            old_state=item.status,
            new_state=item.status,
            data={"changed": sorted(changed)},
        )
    return item


@transaction.atomic
def attachment_add(*, item: Item, user, upload: UploadedFile) -> Attachment:
    # Decide on the stored row, under its lock, as item_update does: a copy loaded before the item
    # was submitted would let a file in after the scan. The steps that read an item under this
    # lock rely on its attachments not changing (review.content.HAS_ATTACHMENTS).
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.author_id != user.pk:
        raise NotAllowed(_("Only the drafter can add attachments."))
    if not item.is_editable:
        raise WorkflowError(_("The item is in review or published and cannot be edited now."))
    check_upload(upload, field="file", allowed=ITEM_TYPES, limit=settings.ATTACHMENT_MAX_BYTES)
    from review.extraction import ocr_queue, reading_fields, upload_reading
    from review.scanner import ExtractionRefused

    # The text is read now, within the web request's limits (a few seconds, bounded memory): a
    # file that would cost the server more is refused here, before anything is stored, and the
    # submission's scan finds the text kept. Pictures and scans are read by OCR on the worker.
    try:
        sha256, reading = upload_reading(upload)
    except ExtractionRefused as exc:
        raise ValidationError({"file": str(exc)}) from None
    attachment = Attachment(
        item=item,
        name=upload.name[:255],
        size=upload.size,
        uploaded_by=user,
        **reading_fields(sha256, reading),
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    audit_log(
        actor=user,
        action="workflow.item.attachment_added",
        subject=item,
        data={"name": attachment.name},
    )
    if reading.pending:
        ocr_queue(attachment=attachment, sha256=sha256)
    return attachment


def item_submit(*, item: Item, user) -> DisclosureProcess:
    """Send a draft into review, or resubmit a returned item (completes the rework task)."""
    from ..flows import DisclosureFlow
    from .tasks import task_complete

    if item.author_id != user.pk:
        raise NotAllowed(_("Only the drafter can submit this item."))
    # Decide on the stored state, never on the caller's copy: a draft is locked and sent on at
    # once; a returned item goes through its rework task, under the flow lock taken first.
    process = _submit_draft(item=item, user=user)
    if process is not None:
        return process
    if item.status == Item.Status.RETURNED:
        process = item.processes.order_by("-pk").first()
        rework = (
            process.task_set.filter(flow_task=DisclosureFlow.rework, owner=user)
            .exclude(status__in=["DONE", "CANCELED"])
            .first()
        )
        if rework is None:
            raise WorkflowError(_("There is no open revision task for this item."))

        def resubmit(task, process):
            from review.services.redactions import redactions_reanchor
            from review.services.scanning import item_scan

            _check_summary(process.item)
            _check_interpretation(process.item)
            redactions_reanchor(item=process.item, user=user)
            item_scan(item=process.item, user=user)
            _set_status(
                item=process.item,
                user=user,
                status=Item.Status.IN_REVIEW,
                action="workflow.item.resubmitted",
            )
            process.review_outcome = ""
            process.approval_outcome = ""
            process.step_outcome = ""
            process.save(update_fields=["review_outcome", "approval_outcome", "step_outcome"])

        task_complete(task_id=rework.pk, user=user, apply=resubmit)
        return process

    raise WorkflowError(_("This item has already been submitted."))


@functools.cache
def _item_locked_for_submit():
    from review.content import HAS_ATTACHMENTS

    return item_locked_reader(HAS_ATTACHMENTS)


@transaction.atomic
def _submit_draft(*, item: Item, user) -> DisclosureProcess | None:
    """Start the flow for a draft; None (nothing written) when the stored item is not a draft,
    with `item.status` set to the stored status."""
    from review.services.scanning import item_scan

    from ..flows import DisclosureFlow
    from .tasks import flow_savepoints_skipped

    locked, (has_attachments,) = read_item_locked(_item_locked_for_submit(), [item.pk])
    if locked.status != Item.Status.DRAFT:
        item.status = locked.status
        return None
    _check_withhold(locked)
    _check_summary(locked)
    _check_interpretation(locked)
    _validate_fields(locked)
    with audit_batch():
        # A draft has never been reviewed, so it has no redactions to carry into the scan.
        item_scan(
            item=locked, user=user, attachments=None if has_attachments else [], redactions=[]
        )
        _set_status(
            item=locked, user=user, status=Item.Status.IN_REVIEW, action="workflow.item.submitted"
        )
        with flow_savepoints_skipped():
            process = DisclosureFlow.start.run(item=locked)
    # The caller's copy becomes the stored row, without reading it back.
    item.__dict__.update(
        {f.attname: getattr(locked, f.attname) for f in Item._meta.concrete_fields}
    )
    return process


_SET_STATUS_SQL = f"UPDATE {Item._meta.db_table} SET status = %s, updated_at = %s WHERE id = %s"  # noqa: S608


def _set_status(
    *, item: Item, user, status: str, action: str, comment: str = "", data=None
) -> None:
    old = item.status
    item.status, item.updated_at = status, timezone.now()
    # Every step changes an item's status: a fixed statement, not an ORM update built each time.
    with connection.cursor() as cursor:
        updated_at = Item._meta.get_field("updated_at").get_db_prep_save(
            item.updated_at, connection
        )
        cursor.execute(_SET_STATUS_SQL, [item.status, updated_at, item.pk])
    audit_log(
        actor=user,
        action=action,
        subject=item,
        old_state=old,
        new_state=status,
        comment=comment,
        data=data,
    )


item_set_status = _set_status


def repeal_problem(*, item: Item, repealed_on: dt.date | None) -> str:
    if item.status != Item.Status.PUBLISHED:
        return _("Only published items can be repealed.")
    if repealed_on and item.published_at and repealed_on < timezone.localdate(item.published_at):
        return _("An item cannot be repealed before it was published.")
    return ""


@transaction.atomic
def item_set_repealed(*, item: Item, user, repealed_on: dt.date | None) -> Item:
    """Record that a published regulation or normative document is no longer in force (or undo
    it). The text stays in the catalogue as published; the annual report's table 二 counts it."""
    locked = Item.objects.select_for_update().get(pk=item.pk)
    problem = repeal_problem(item=locked, repealed_on=repealed_on)
    if problem:
        raise ValidationError({"repealed_on": problem})
    old = locked.repealed_on
    if old == repealed_on:
        return locked
    locked.repealed_on = repealed_on
    locked.save(update_fields=["repealed_on", "updated_at"])
    audit_log(
        actor=user,
        action="workflow.item.repealed" if repealed_on else "workflow.item.repeal_undone",
        subject=locked,
        data={
            "old": old.isoformat() if old else None,
            "new": repealed_on.isoformat() if repealed_on else None,
        },
    )
    return locked
