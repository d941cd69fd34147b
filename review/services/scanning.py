"""Running the scanner over an item (every item and every draft answer, on submission)."""

from django.db import transaction
from django.utils import timezone

from audit.services import audit_log
from workflow.models import Item
from workflow.sqlrows import Part, RowReader, insert

from ..content import content_hash, item_attachments, item_sources
from ..models import Scan, ScanFinding
from ..scanner import scan_text
from ..selectors import negative_terms_for

# Read on every submission: fixed SQL (workflow.sqlrows).
_LATEST_SCAN = RowReader(
    [Part(Scan, "s")],
    f"FROM {Scan._meta.db_table} s WHERE s.item_id = %s ORDER BY s.created_at DESC, s.id DESC"
    " LIMIT 1",
)


@transaction.atomic(savepoint=False)  # nothing catches its errors: no savepoint needed
def item_scan(*, item: Item, user=None, attachments: list | None = None) -> Scan:
    """Scan the item's body, interpretation and attachments; the same raw content is scanned once.

    The scanner never blocks: findings wait for the reviewer. A finding the reviewer dismissed on
    an earlier version (same place, kind and text) stays dismissed, so a resubmission after a small
    edit does not bring back everything the reviewer already cleared. `attachments`: the item's
    attachment rows when the caller has just read them (or knows there are none).
    """
    if attachments is None:
        attachments = item_attachments(item)
    source_hash = content_hash(item, with_redactions=False, attachments=attachments)
    latest = next((scan for (scan,), _extras in _LATEST_SCAN.read_all([item.pk])), None)
    if latest is not None and latest.source_hash == source_hash:
        return latest
    read = item_sources(item, attachments=attachments)
    terms = negative_terms_for(unit=item.unit)
    scan = Scan(
        item=item, source_hash=source_hash, requested_by=user, unreadable=read["unreadable"]
    )
    insert(scan)
    dismissed = {}
    if latest is not None:
        for row in latest.findings.filter(resolution=ScanFinding.Resolution.DISMISSED):
            dismissed[(row.source, row.kind, row.text)] = row
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
            earlier = dismissed.get((source, finding.kind, row.text))
            if earlier is not None:
                row.resolution = ScanFinding.Resolution.DISMISSED
                row.resolved_by_id = earlier.resolved_by_id
                row.resolved_at = now
                row.resolution_note = earlier.resolution_note
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
