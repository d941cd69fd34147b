"""Reads for the confidentiality review."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from workflow.models import Unit

from .models import NegativeListTerm
from .scanner import NegativeTerm

_UNIT_TERMS_SQL = (
    f"SELECT term, note FROM {NegativeListTerm._meta.db_table}"  # noqa: S608 - fixed names
    " WHERE active AND (unit_id = %s OR district_id = %s) ORDER BY term"
)


def negative_terms_for(*, unit: Unit | None = None) -> list[NegativeTerm]:
    """The active negative-list terms that apply to an item of `unit`: the unit's own and its
    district's. Without a unit, every active term (the `scan` command run by an administrator)."""
    if unit is not None:
        # Read on every submission: a fixed statement (workflow.sqlrows).
        with connection.cursor() as cursor:
            cursor.execute(_UNIT_TERMS_SQL, [unit.pk, unit.district_id])
            return [NegativeTerm(term=term, note=note) for term, note in cursor.fetchall()]
    terms = NegativeListTerm.objects.filter(active=True)
    return [
        NegativeTerm(term=t.term, note=t.note) for t in terms.order_by("term").only("term", "note")
    ]


def redaction_log(*, item):
    """Every redaction of the item, withdrawn ones included: what, where, ground, who, when."""
    from .models import Redaction

    return (
        Redaction.objects.filter(item=item)
        .select_related("ground", "created_by", "withdrawn_by")
        .order_by("source", "start", "pk")
    )


def redaction_log_text(*, item) -> str:
    """The redactions in force, one line each, as cited in a partial-disclosure answer (Art. 37):
    where the passage was, how long, and the ground. Never the withheld text itself."""
    from django.utils.translation import gettext as _

    from .content import source_label

    attachments = {a.pk: a for a in item.attachments.all()}
    lines = []
    for n, redaction in enumerate(
        redaction_log(item=item).filter(withdrawn_at__isnull=True), start=1
    ):
        lines.append(
            "\u3000\u3000"
            + _("%(n)d. %(where)s, characters %(start)d-%(end)d: withheld under %(ground)s")
            % {
                "n": n,
                "where": source_label(redaction.source, attachments),
                "start": redaction.start + 1,
                "end": redaction.end,
                "ground": str(redaction.ground),
            }
        )
    return "\n".join(lines)


CONTEXT_CHARS = 30


def _segments(text: str, spans: list) -> list[tuple[str, object]]:
    """`text` cut into (piece, redaction-or-None) so a template can show redacted passages marked."""
    pieces, cursor = [], 0
    for redaction in sorted(spans, key=lambda r: (r.start, r.end)):
        if redaction.start < cursor:
            continue  # overlapping: the first redaction already covers the start
        pieces.append((text[cursor : redaction.start], None))
        pieces.append((text[redaction.start : redaction.end], redaction))
        cursor = redaction.end
    pieces.append((text[cursor:], None))
    return [p for p in pieces if p[0]]


def review_panel(*, item, user) -> dict:
    """Everything the review panel shows: the latest scan's findings in context with the ground
    each kind usually calls for, what still stops a pass (review.readiness), the redaction log,
    each text with its redactions marked, countersignatures, and what `user` may do."""
    from workflow.exceptions import NotAllowed
    from workflow.models import LegalGround, Unit

    from .content import item_sources, source_label
    from .grounds import usual_ground_ids
    from .models import Countersign, CountersignUnit, ScanFinding
    from .readiness import review_state
    from .scanner import Kind
    from .services.countersigns import _may_name
    from .services.redactions import held_review_task

    try:
        held_review_task(item=item, user=user)
        can_redact = True
    except NotAllowed:
        can_redact = False
    attachment_rows = list(item.attachments.all())
    attachments = {a.pk: a for a in attachment_rows}
    sources = item_sources(item, attachments=attachment_rows, stored=True)["sources"]
    state = review_state(item, attachments=attachment_rows)
    grounds = list(LegalGround.objects.filter(active=True))
    usual = usual_ground_ids(grounds)
    findings = []
    open_by_kind: dict[str, int] = {}
    for finding in state.findings:
        text = sources.get(finding.source, "")
        current = text[finding.start : finding.end] == finding.text
        is_mark = finding.kind == Kind.CLASSIFICATION_MARK
        if finding.resolution == ScanFinding.Resolution.OPEN and not is_mark:
            open_by_kind[finding.kind] = open_by_kind.get(finding.kind, 0) + 1
        findings.append(
            {
                "finding": finding,
                "where": source_label(finding.source, attachments),
                "before": text[max(0, finding.start - CONTEXT_CHARS) : finding.start]
                if current
                else "",
                "after": text[finding.end : finding.end + CONTEXT_CHARS] if current else "",
                "current": current,
                "is_mark": is_mark,
                "usual_ground": usual.get(finding.kind),
            }
        )
    log = list(redaction_log(item=item))
    for redaction in log:
        # The log names where each passage was in words, as the findings do.
        redaction.where = source_label(redaction.source, attachments)
    active = [r for r in log if r.withdrawn_at is None]
    texts = [
        {
            "source": source,
            "label": source_label(source, attachments),
            "segments": _segments(text, [r for r in active if r.source == source]),
        }
        for source, text in sources.items()
        if text
    ]
    named = list(CountersignUnit.objects.filter(item=item).select_related("unit", "named_by"))
    unreadable = state.scan.unreadable if state.scan else []
    unchecked = {u.attachment.pk for u in state.unchecked}
    return {
        "scan": state.scan,
        "state": state,
        "counts": state.counts,
        "blockers": state.pass_blockers(),
        "findings": findings,
        "open_findings": state.counts.open,
        "open_by_kind": [
            {"kind": kind, "label": Kind(kind).label, "count": n, "usual_ground": usual.get(kind)}
            for kind, n in sorted(open_by_kind.items())
        ],
        "unreadable": [
            {
                **entry,
                "attachment": attachments.get(int(entry["source"].split(":", 1)[1])),
                "checked": int(entry["source"].split(":", 1)[1]) not in unchecked,
            }
            for entry in unreadable
        ],
        "redaction_log": log,
        "texts": texts,
        "can_redact": can_redact,
        "grounds": grounds,
        "countersign_units": named,
        "countersigns": Countersign.objects.filter(item=item)
        .exclude(status=Countersign.Status.CANCELLED)
        .select_related("unit", "decided_by"),
        "can_name_units": _may_name(item, user),
        "nameable_units": Unit.objects.filter(district_id=item.unit.district_id)
        .exclude(pk=item.unit_id)
        .exclude(pk__in=[n.unit_id for n in named]),
    }


def countersigns_for_user(*, user):
    """Pending countersignatures of the units whose head `user` is."""
    from review.permissions import objects_with_perm

    from .models import Countersign

    units = objects_with_perm(user, "approve_unit_scope")
    return (
        Countersign.objects.filter(status=Countersign.Status.PENDING, unit_id__in=units)
        .select_related("item__unit", "unit")
        .order_by("due_on", "pk")
    )


def countersign_get_for_user(*, user, pk: int):
    """A countersignature the user may see: 404 otherwise, like every *_get_for_user."""
    from django.http import Http404

    from workflow.selectors import items_for_user

    from .models import Countersign

    countersign = (
        Countersign.objects.filter(pk=pk, item__in=items_for_user(user=user))
        .select_related("item__unit", "item__section", "item__category", "item__author", "unit")
        .first()
    )
    if countersign is None:
        raise Http404
    return countersign


def findings_preview(*, item) -> dict:
    """The item's texts with the latest scan's findings marked, for the work list's preview: each
    text that has findings, cut into (piece, finding-or-None), and the attachments that could
    not be read. Findings marked not sensitive are left unmarked."""
    from .content import item_sources, source_label
    from .models import ScanFinding

    attachments = {a.pk: a for a in item.attachments.all()}
    sources = item_sources(item, attachments=attachments.values(), stored=True)["sources"]
    scan = item.scans.order_by("-created_at", "-id").first()
    by_source: dict[str, list] = {}
    if scan is not None:
        for finding in scan.findings.exclude(resolution=ScanFinding.Resolution.DISMISSED):
            text = sources.get(finding.source, "")
            if text[finding.start : finding.end] == finding.text:
                by_source.setdefault(finding.source, []).append(finding)
    texts = [
        {
            "label": source_label(source, attachments),
            "segments": _segments(text, by_source.get(source, [])),
            "count": len(by_source.get(source, [])),
        }
        for source, text in sources.items()
        if source in by_source or source == "body"
    ]
    return {"scan": scan, "texts": texts, "count": sum(t["count"] for t in texts)}


def public_version(*, item) -> list[dict]:
    """What the public would read if the item were published now: each text with its redactions
    in force, cut into (piece, redaction-or-None) so a page can show the mark that replaces each
    passage beside the passage itself."""
    from .content import item_sources, redaction_mark, source_label

    attachments = {a.pk: a for a in item.attachments.all()}
    sources = item_sources(item, attachments=attachments.values(), stored=True)["sources"]
    active = [r for r in redaction_log(item=item) if r.withdrawn_at is None]
    texts = []
    for source, text in sources.items():
        spans = [r for r in active if r.source == source]
        if not spans and source not in ("body", "interpretation"):
            continue  # an attachment without redactions is published as it is
        texts.append(
            {
                "label": source_label(source, attachments),
                "segments": [
                    (
                        piece,
                        redaction,
                        redaction_mark(redaction.ground.article) if redaction else "",
                    )
                    for piece, redaction in _segments(text, spans)
                ],
                "redactions": len(spans),
            }
        )
    return texts


@dataclass(frozen=True)
class PublishedProblem:
    """Something a published entry shows the public that it must not (check_published)."""

    index_number: str
    title: str
    where: str
    text: str
    is_mark: bool

    def __str__(self) -> str:
        values = {"index": self.index_number, "title": self.title, "where": self.where}
        if self.is_mark:
            return _("%(index)s %(title)s: classification mark “%(text)s” in %(where)s") % {
                **values,
                "text": self.text,
            }
        return _("%(index)s %(title)s: the withheld “%(text)s” is readable in %(where)s") % {
            **values,
            "text": self.text,
        }


def published_problems(*, chunk: int = 2000) -> Iterator[PublishedProblem]:
    """Published entries whose public texts (title, summary, body, interpretation, and each
    attachment served as it is) carry a classification mark that no ruling cleared, or a string
    redacted elsewhere in the item. Reads the catalogue `chunk` entries at a time; the rulings
    and redactions in force are read once."""
    from collections import defaultdict

    from django.db.models import Prefetch

    from workflow.models import Attachment, Item

    from .content import BODY, INTERPRETATION, SUMMARY, TITLE, attachment_source, source_label
    from .models import Redaction, ScanFinding
    from .readiness import live_marks_in
    from .scanner import Kind

    ruled: dict[int, set[str]] = defaultdict(set)
    for item_id, text in ScanFinding.objects.filter(
        kind=Kind.CLASSIFICATION_MARK,
        resolution=ScanFinding.Resolution.RULED,
        item__status=Item.Status.PUBLISHED,
    ).values_list("item_id", "text"):
        ruled[item_id].add(text)
    redacted: dict[int, set[str]] = defaultdict(set)
    for item_id, text in Redaction.objects.filter(
        withdrawn_at__isnull=True, item__status=Item.Status.PUBLISHED
    ).values_list("item_id", "text"):
        redacted[item_id].add(text)
    served_as_is = Attachment.objects.exclude(published_sha256="").filter(public_file="")
    entries = (
        Item.objects.filter(status=Item.Status.PUBLISHED)
        .only(
            "pk",
            "index_number",
            "public_title",
            "public_summary",
            "public_body",
            "public_interpretation",
        )
        .prefetch_related(
            Prefetch("attachments", queryset=served_as_is.only("pk", "item_id", "name", "text"))
        )
        .order_by("pk")
    )
    for item in entries.iterator(chunk_size=chunk):
        attachments = {a.pk: a for a in item.attachments.all()}
        texts = {
            TITLE: item.public_title,
            SUMMARY: item.public_summary,
            BODY: item.public_body,
            INTERPRETATION: item.public_interpretation,
            **{attachment_source(a): a.text for a in attachments.values()},
        }

        found = [
            (mark, source, True) for mark, source in live_marks_in(texts, ruled=ruled[item.pk])
        ]
        found += [
            (string, source, False)
            for string in sorted(redacted[item.pk])
            for source, text in texts.items()
            if string in text
        ]
        for text, source, is_mark in found:
            yield PublishedProblem(
                item.index_number or "",
                item.public_title,
                source_label(source, attachments),
                text,
                is_mark,
            )
