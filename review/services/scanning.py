"""Running the scanner over an item (every item and every draft answer, on submission)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_log
from workflow.models import Item
from workflow.sqlrows import insert

from ..content import active_redactions, content_hash, item_attachments, item_sources
from ..models import Scan, ScanFinding
from ..readiness import LATEST_SCAN
from ..scanner import Kind, scan_text
from ..selectors import negative_terms_for
from .redactions import covering, redactions_spread

# Settled on an earlier version and kept: a dismissal with its reason (never of a classification
# mark: only the secrecy bureau's ruling settles one, and that ruling is kept).
_CARRIED_OVER = Q(resolution=ScanFinding.Resolution.DISMISSED) & ~Q(
    kind=Kind.CLASSIFICATION_MARK
) | Q(resolution=ScanFinding.Resolution.RULED, kind=Kind.CLASSIFICATION_MARK)


@transaction.atomic(savepoint=False)  # nothing catches its errors: no savepoint needed
def item_scan(
    *,
    item: Item,
    user=None,
    attachments: list | None = None,
    redactions: list | None = None,
    force: bool = False,
) -> Scan:
    """Scan every text of the item (title, summary, body, interpretation, attachments); the same
    raw content is scanned once.

    Findings wait for the reviewer, who settles each one. What the reviewer already settled on an
    earlier version stays settled: a finding dismissed with a reason (same place, kind and text)
    stays dismissed, a classification mark the secrecy bureau ruled invalid stays ruled, and a
    string the reviewer redacted is redacted wherever it occurs now (redactions_spread), which
    settles the findings inside it. `attachments` and `redactions` (those in force): the item's
    rows when the caller has just read them, or knows there are none.
    """
    if attachments is None:
        attachments = item_attachments(item)
    source_hash = content_hash(item, with_redactions=False, attachments=attachments)
    latest = next((scan for (scan,), _extras in LATEST_SCAN.read_all([item.pk])), None)
    # `force`: the content is the same but an attachment's text is new (OCR has finished).
    if not force and latest is not None and latest.source_hash == source_hash:
        return latest
    read = item_sources(item, attachments=attachments)
    terms = negative_terms_for(unit=item.unit)
    scan = Scan(
        item=item, source_hash=source_hash, requested_by=user, unreadable=read["unreadable"]
    )
    insert(scan)
    settled = {}
    if latest is not None:
        for row in latest.findings.filter(_CARRIED_OVER):
            settled[(row.source, row.kind, row.text)] = row
    if redactions is None:
        redactions = active_redactions(item)
    if redactions:
        redactions += redactions_spread(
            item=item, actor=user, sources=read["sources"], active=redactions
        )
    now = timezone.now()
    rows = []
    for source, text in read["sources"].items():
        for finding in scan_text(text, negative_terms=terms):
            row = ScanFinding(
                scan=scan,
                item=item,
                source=source,
                kind=finding.kind,
                start=finding.start,
                end=finding.end,
                text=finding.text[:500],
                confidence=finding.confidence,
                detail=finding.detail[:200],
            )
            earlier = settled.get((source, finding.kind, row.text))
            inside = covering(redactions, source, row.start, row.end)
            if earlier is not None:
                row.resolution = earlier.resolution
                row.resolved_by_id = earlier.resolved_by_id
                row.resolved_at = now
                row.resolution_note = earlier.resolution_note
            elif inside is not None and finding.kind != Kind.CLASSIFICATION_MARK:
                row.resolution = ScanFinding.Resolution.REDACTED
                row.resolved_by_id = inside.created_by_id
                row.resolved_at = now
            rows.append(row)
    ScanFinding.objects.bulk_create(rows)
    audit_log(
        actor=user,
        action="review.scan.completed",
        subject=item,
        data={
            "scan": scan.pk,
            "findings": len(rows),
            "open": sum(r.resolution == ScanFinding.Resolution.OPEN for r in rows),
            "unreadable": [u["name"] for u in read["unreadable"]],
        },
    )
    return scan


@transaction.atomic
def item_rescan(*, item: Item, user) -> Scan:
    """Scan the item again at someone's request: its drafter while it is with them (a draft, or
    returned for revision), or the reviewer holding its confidentiality review. Anyone else who
    can read the item is refused: a scan brings findings the review must settle, so it belongs to
    whoever is working on the item now."""
    from django.utils.translation import gettext as _

    from workflow.exceptions import NotAllowed

    from .redactions import held_review_task

    # Decide on the stored row, under its lock, as the drafting services do: a copy read before
    # the item was submitted must not let its drafter rescan it in review.
    locked = Item.objects.select_for_update().select_related("unit").get(pk=item.pk)
    if not (locked.author_id == user.pk and locked.is_editable):
        try:
            held_review_task(item=locked, user=user)
        except NotAllowed as exc:
            raise NotAllowed(
                _(
                    "Only the drafter, before submitting, and the reviewer holding the item's "
                    "confidentiality review can scan it again."
                )
            ) from exc
    return item_scan(item=locked, user=user)
