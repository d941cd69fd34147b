"""Publication into the catalogue (Regulation Art. 12: 索引, 名称, 内容概述, 生成日期)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_log

from ..exceptions import PublicationRefused
from ..models import ApprovalDecision, DisclosureProcess, IndexSequence, Item, Unit
from .items import item_set_status


def index_number_allocate(*, unit: Unit, year: int) -> tuple[str, int]:
    """Next serial for the unit and year. Must run inside the publishing transaction: the row lock
    serialises concurrent publications and a rollback returns the serial, so numbers stay gap-free."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate index numbers inside the publishing transaction")
    IndexSequence.objects.bulk_create([IndexSequence(unit=unit, year=year)], ignore_conflicts=True)
    sequence = IndexSequence.objects.select_for_update().get(unit=unit, year=year)
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    number = settings.INDEX_NUMBER_FORMAT.format(
        unit_code=unit.code, year=year, serial=sequence.last_serial
    )
    return number, sequence.last_serial


def ensure_cleared_for_publication(*, item: Item, process: DisclosureProcess) -> None:
    """先审查、后公开 (Art. 17) and 分级审批 (seed 000 §三(一)), checked on the records themselves
    and on the content hash (review.integrity)."""
    from review.integrity import release_refusals

    reasons = release_refusals(item=item, process=process)
    if item.status != Item.Status.IN_APPROVAL:
        reasons.insert(0, _("The item is not awaiting publication."))
    if reasons:
        raise PublicationRefused(
            _("Publication refused: %(reasons)s") % {"reasons": " ".join(reasons)}
        )


def _content_hash(item: Item) -> str:
    from review.content import content_hash

    return content_hash(item)


def searchable_texts(item: Item) -> tuple[str, ...]:
    """What the catalogue search may index: what the public can read. An on-request entry is
    listed by title and summary only; its text is obtained by request (Art. 27)."""
    if item.attribute != Item.Attribute.PROACTIVE:
        return (item.title, item.summary)
    return (item.title, item.summary, item.public_body, item.public_interpretation)


def _freeze_public_version(item: Item) -> None:
    """The public version is made once, from the approved content: the catalogue serves only it."""
    from review.content import (
        BODY,
        INTERPRETATION,
        attachment_source,
        file_sha256,
        public_texts,
        redact_file,
    )

    from ..search import document_words

    with translation.override("zh-hans"):
        texts = public_texts(item)
        item.public_body = texts[BODY]
        item.public_interpretation = texts[INTERPRETATION] if item.is_policy_document else ""
        item.search_document = document_words(*searchable_texts(item))
        for attachment in item.attachments.all():
            source = attachment_source(attachment)
            if source in texts:
                redact_file(attachment, texts[source])
            attachment.published_sha256 = file_sha256(attachment)
            attachment.save(update_fields=["published_sha256"])


@transaction.atomic
def item_publish(*, process: DisclosureProcess) -> Item:
    item = Item.objects.select_for_update().get(pk=process.item_id)
    ensure_cleared_for_publication(item=item, process=process)
    approval: ApprovalDecision = process.approvals.order_by("-created_at", "-id").first()
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
    _freeze_public_version(item)
    item.published_hash = _content_hash(item)
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
            "public_body",
            "public_interpretation",
            "search_document",
            "published_hash",
            "updated_at",
        ]
    )
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
