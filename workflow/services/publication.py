"""Publication into the catalogue (Regulation Art. 12: 索引, 名称, 内容概述, 生成日期)."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_log

from ..exceptions import PublicationRefused
from ..models import ApprovalDecision, DisclosureProcess, IndexSequence, Item, Unit
from ..search.index import entry_index
from ..search.words import document_words
from .items import item_set_status
from .sequences import next_serial


@dataclass
class ClearedContent:
    """What the approval step read under the item's lock, handed to the publish node that runs
    next in the same transaction (through `process.step_memo`) so it need not read it again."""

    item: Item
    attachments: list
    redactions: list
    content_hash: str
    last_review: object
    last_approval: ApprovalDecision
    referral_open: bool
    countersign_units_named: bool
    undecided: list[str]  # review.integrity.undecided_content, read by the approval


def index_number_allocate(*, unit: Unit, year: int) -> tuple[str, int]:
    """Next serial for the unit and year. Must run inside the publishing transaction: the row lock
    serialises concurrent publications and a rollback returns the serial, so numbers stay gap-free."""
    serial = next_serial(
        sequence=IndexSequence, unit_id=unit.pk, year=year, purpose="index numbers"
    )
    number = settings.INDEX_NUMBER_FORMAT.format(unit_code=unit.code, year=year, serial=serial)
    return number, serial


def ensure_cleared_for_publication(*, item: Item, process: DisclosureProcess, **known) -> None:
    """先审查、后公开 (Art. 17) and 分级审批 (seed 000 §三(一)), checked on the records themselves
    and on the content hash (review.integrity). `known`: what the caller read under the item's
    lock in this transaction (the keywords of release_refusals)."""
    from review.integrity import release_refusals

    reasons = release_refusals(item=item, process=process, **known)
    if item.status != Item.Status.IN_APPROVAL:
        reasons.insert(0, _("The item is not awaiting publication."))
    if reasons:
        raise PublicationRefused(
            _("Publication refused: %(reasons)s") % {"reasons": " ".join(reasons)}
        )


def searchable_texts(item: Item) -> tuple[str, ...]:
    """What the catalogue search may index: what the public can read. An on-request entry is
    listed by title and summary only; its text is obtained by request (Art. 27)."""
    if item.attribute != Item.Attribute.PROACTIVE:
        return (item.public_title, item.public_summary)
    return (item.public_title, item.public_summary, item.public_body, item.public_interpretation)


def _freeze_public_version(item: Item, *, attachments: list, redactions: list) -> None:
    """The public version is made once, from the approved content: the catalogue serves only it."""
    from review.content import (
        BODY,
        INTERPRETATION,
        SUMMARY,
        TITLE,
        attachment_source,
        file_sha256,
        public_texts,
        redact_file,
    )

    with translation.override("zh-hans"):
        texts = public_texts(item, redactions=redactions)
        item.public_title = texts[TITLE]
        item.public_summary = texts[SUMMARY]
        item.public_body = texts[BODY]
        item.public_interpretation = texts[INTERPRETATION] if item.is_policy_document else ""
        item.search_document = document_words(*searchable_texts(item))
        for attachment in attachments:
            source = attachment_source(attachment)
            if source in texts:
                redact_file(attachment, texts[source])
            attachment.published_sha256 = file_sha256(attachment)
            attachment.save(update_fields=["published_sha256"])


def item_publish(*, process: DisclosureProcess) -> Item:
    if transaction.get_connection().in_atomic_block:
        # In the publish node's savepoint (or a caller's transaction): no savepoint of our own.
        # A refusal is raised before anything is written, so a caller may catch it and go on.
        return _item_publish(process)
    with transaction.atomic():
        return _item_publish(process)


def _item_publish(process: DisclosureProcess) -> Item:
    from review.content import active_redactions, content_hash, item_attachments

    cleared = getattr(process, "step_memo", {}).get("cleared_content")
    if cleared is not None:
        # The approval of this very step locked the item and read its content a moment ago.
        item, attachments, redactions = cleared.item, cleared.attachments, cleared.redactions
        current, approval = cleared.content_hash, cleared.last_approval
        known = {
            "last_review": cleared.last_review,
            "referral_open": cleared.referral_open,
            "countersign_units_named": cleared.countersign_units_named,
            "undecided": cleared.undecided,
        }
    else:
        item = (
            Item.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=process.item_id)
        )
        # Read once under the item's lock: the hash the release is checked on is the hash
        # published, and the public version is made from the same rows.
        attachments, redactions = item_attachments(item), active_redactions(item)
        current = content_hash(item, attachments=attachments, redactions=redactions)
        approval = (
            process.approvals.select_related("approver").order_by("-created_at", "-id").first()
        )
        known = {}
    ensure_cleared_for_publication(
        item=item,
        process=process,
        current=current,
        last_approval=approval,
        attachments=attachments,
        redactions=redactions,
        **known,
    )
    if item.attribute == Item.Attribute.WITHHELD:
        # Drafted as 不予公开 and confirmed by review and approval: filed, not catalogued.
        item_set_status(
            item=item,
            user=approval.approver,
            status=Item.Status.WITHHELD,
            action="workflow.item.withheld",
        )
        return item
    now = timezone.now()
    year = timezone.localdate(now).year
    number, serial = index_number_allocate(unit=item.unit, year=year)
    old = item.status
    _freeze_public_version(item, attachments=attachments, redactions=redactions)
    item.published_hash = current
    item.index_number = number
    item.index_year = year
    item.index_serial = serial
    item.status = Item.Status.PUBLISHED
    item.published_at = now
    item.save(
        update_fields=[
            "index_number",
            "index_year",
            "index_serial",
            "status",
            "published_at",
            "public_title",
            "public_summary",
            "public_body",
            "public_interpretation",
            "search_document",
            "published_hash",
            "updated_at",
        ]
    )
    # In this transaction: the entry is searchable, and counted, exactly when it is published.
    entry_index(item=item)
    audit_log(
        actor=approval.approver,
        action="workflow.item.published",
        subject=item,
        old_state=old,
        new_state=item.status,
        data={"index_number": number, "content_hash": item.published_hash},
    )
    return item


@transaction.atomic
def item_file_as_withheld(*, process: DisclosureProcess) -> Item:
    """The reviewer found the item not disclosable: record 不予公开 with the reviewer's ground."""
    from review.models import ReviewDecision

    item = Item.objects.select_for_update().get(pk=process.item_id)
    decision = process.reviews.order_by("-created_at", "-id").first()
    if decision is None or decision.outcome != ReviewDecision.Outcome.WITHHOLD:
        raise PublicationRefused()
    old = item.status
    item.attribute = Item.Attribute.WITHHELD
    item.withhold_reason = decision.comment
    item.withhold_ground = decision.legal_ground
    item.status = Item.Status.WITHHELD
    item.save(
        update_fields=["attribute", "withhold_reason", "withhold_ground", "status", "updated_at"]
    )
    audit_log(
        actor=decision.reviewer,
        action="workflow.item.withheld",
        subject=item,
        old_state=old,
        new_state=item.status,
        comment=decision.comment,
        data={"legal_ground": decision.legal_ground.code if decision.legal_ground else None},
    )
    return item
