"""Whether a confidentiality review may pass, read the same way wherever it is asked: the decision
form (how many findings are open, with links to them), the pass itself, the approval page (found,
redacted, dismissed with reasons) and the release check before anything is published or
delivered (review.integrity).

先审查、后公开 (Regulation Art. 17; State Secrets implementing regulation Art. 42) means that
nothing reaches the public that a reviewer did not decide:
- every finding of the latest scan, in every text of the item, is settled: redacted with a legal
  ground or dismissed with a written reason; nothing is settled by default;
- a classification mark (绝密/机密/秘密) is settled only by the secrecy bureau's ruling that the
  mark is wrong (疑密从紧; 涉密信息不上网);
- every attachment whose text could not be read was checked by eye, page by page, in the form
  it has now;
- the latest scan is of the content as it is now;
- no redacted string is readable anywhere in the public version (`redacted_strings_visible`).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from workflow.models import Attachment, Item
from workflow.sqlrows import Part, RowReader, exists

from .content import ATTACHMENT_PREFIX, content_hash, file_sha256, item_attachments, redact
from .models import ManualCheck, Scan, ScanFinding
from .scanner import Kind, classification_marks

CLASSIFICATION = Kind.CLASSIFICATION_MARK.value
Resolution = ScanFinding.Resolution


@dataclass(frozen=True)
class FindingCounts:
    """The latest scan's findings by how they were settled: what the reviewer saw, and what the
    approver is shown (never a smaller number)."""

    found: int
    open: int
    redacted: int
    dismissed: int
    ruled: int


@dataclass
class Unchecked:
    """An attachment of the latest scan whose text could not be read, without a manual check of
    the bytes it has now."""

    attachment: Attachment
    error: str
    pending: bool  # text recognition (OCR) is still running on the worker


@dataclass
class ReviewState:
    scan: Scan | None
    findings: list[ScanFinding] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)
    stale: bool = False  # the latest scan is not of the current content (or there is none)

    @cached_property
    def open_findings(self) -> list[ScanFinding]:
        return [f for f in self.findings if f.resolution == Resolution.OPEN]

    @cached_property
    def live_marks(self) -> list[ScanFinding]:
        """Classification marks the secrecy bureau has not ruled invalid."""
        return [
            f
            for f in self.findings
            if f.kind == CLASSIFICATION and f.resolution != Resolution.RULED
        ]

    @cached_property
    def counts(self) -> FindingCounts:
        by = [f.resolution for f in self.findings]
        return FindingCounts(
            found=len(by),
            open=by.count(Resolution.OPEN),
            redacted=by.count(Resolution.REDACTED),
            dismissed=by.count(Resolution.DISMISSED),
            ruled=by.count(Resolution.RULED),
        )

    @property
    def dismissed(self) -> list[ScanFinding]:
        return [f for f in self.findings if f.resolution == Resolution.DISMISSED]

    def mark_blocker(self) -> str:
        if not self.live_marks:
            return ""
        marks = "、".join(dict.fromkeys(f.text for f in self.live_marks))
        return _(
            "The item carries a classification mark (%(marks)s). Only the secrecy bureau can rule "
            "that a mark is wrong: refer the item to the secrecy bureau, or file it as not "
            "disclosable (Art. 14)."
        ) % {"marks": marks}

    def pass_blockers(self) -> list[str]:
        """Why the review cannot pass now; empty when it can."""
        problems = []
        if self.stale:
            problems.append(
                _("The item has not been scanned in its current form: scan it again first.")
            )
        if blocker := self.mark_blocker():
            problems.append(blocker)
        unsettled = [f for f in self.open_findings if f.kind != CLASSIFICATION]
        if unsettled:
            problems.append(
                ngettext(
                    "%(n)d finding is not settled: redact it with a legal ground or dismiss it "
                    "with a reason.",
                    "%(n)d findings are not settled: redact each with a legal ground or dismiss "
                    "it with a reason.",
                    len(unsettled),
                )
                % {"n": len(unsettled)}
            )
        if self.unchecked:
            problems.append(
                _(
                    "The text of %(names)s could not be read by the scanner: check each such "
                    "file page by page and confirm it before passing."
                )
                % {"names": "、".join(u.attachment.name for u in self.unchecked)}
            )
        return problems


def latest_scan(item: Item) -> Scan | None:
    return item.scans.order_by("-created_at", "-id").first()


# Read by every review decision and every release: fixed SQL (workflow.sqlrows), with whether
# the scan has any finding at all, so that the clean item (most of them) reads no more.
LATEST_SCAN = RowReader(
    [Part(Scan, "s")],
    f"FROM {Scan._meta.db_table} s WHERE s.item_id = %s ORDER BY s.created_at DESC, s.id DESC"
    " LIMIT 1",
    extras=[exists(ScanFinding, "f", "f.scan_id = s.id")],
)


def _latest_scan_read(item: Item) -> tuple[Scan | None, bool]:
    read = LATEST_SCAN.read([item.pk])
    if read is None:
        return None, False
    (scan,), (has_findings,) = read
    return scan, bool(has_findings)


def review_state(
    item: Item, *, attachments: list[Attachment] | None = None, scan: Scan | None = None
) -> ReviewState:
    """The review's state for `item` now. `attachments`: the item's rows when the caller has just
    read them under the item's lock (their files are hashed once per read)."""
    if attachments is None:
        attachments = item_attachments(item)
    has_findings = True
    if scan is None:
        scan, has_findings = _latest_scan_read(item)
    if scan is None:
        return ReviewState(scan=None, stale=True)
    findings = list(scan.findings.select_related("resolved_by")) if has_findings else []
    stale = scan.source_hash != content_hash(item, with_redactions=False, attachments=attachments)
    return ReviewState(
        scan=scan,
        findings=findings,
        unchecked=_unchecked(scan, attachments),
        stale=stale,
    )


def _unchecked(scan: Scan, attachments: list[Attachment]) -> list[Unchecked]:
    by_source = {f"{ATTACHMENT_PREFIX}{a.pk}": a for a in attachments}
    unreadable = [(by_source[u["source"]], u) for u in scan.unreadable if u["source"] in by_source]
    if not unreadable:
        return []
    checked = set(
        ManualCheck.objects.filter(attachment_id__in=[a.pk for a, _u in unreadable]).values_list(
            "attachment_id", "sha256"
        )
    )
    return [
        Unchecked(attachment, entry.get("error", ""), bool(entry.get("pending")))
        for attachment, entry in unreadable
        if (attachment.pk, file_sha256(attachment)) not in checked
    ]


def redacted_strings_visible(sources: dict[str, str], redactions: list) -> list[tuple[str, str]]:
    """(redacted string, source) for each string redacted somewhere that is still readable in a
    text of the item once its own redactions are applied: the public version would show it."""
    strings = {r.text for r in redactions}
    if not strings:
        return []
    spans: dict[str, list] = {}
    for r in redactions:
        spans.setdefault(r.source, []).append((r.start, r.end, ""))
    visible = []
    for source, text in sources.items():
        # Each withheld span becomes a character no text contains, so a string cannot be
        # found across a mark, nor inside the mark's own wording.
        shown = redact(text, spans.get(source, []), mark="\x00")
        visible.extend((string, source) for string in sorted(strings) if string in shown)
    return visible


def live_marks_in(texts: dict[str, str], *, ruled: set[str]) -> list[tuple[str, str]]:
    """(mark, source) for each classification mark in `texts` that the secrecy bureau has not
    ruled invalid: the last guard of 涉密信息不上网, run on what is about to be released."""
    return [
        (finding.text, source)
        for source, text in texts.items()
        for finding in classification_marks(text)
        if finding.text not in ruled
    ]
