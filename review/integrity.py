"""The publication rule (Regulation Art. 17: 先审查、后公开; seed 000 §三(一): 分级审批): nothing is
published, and no answer is delivered, unless the latest review passed and the approval its scope
requires was given for exactly the content being released.

"Exactly the content" is the content hash (review.content): body, interpretation, attachments and
redactions, recomputed from the stored rows and files at the moment of release. Every release goes
through `release_refusals`, whatever called it (a view, the admin, the API, a shell, a task).

And nothing undecided is released, however the records came to say "passed" (review.readiness):
every finding of the latest scan settled, no classification mark the secrecy bureau has not
ruled on (checked again on the texts themselves: 涉密信息不上网), every unreadable file checked by
eye, no redacted string readable anywhere in the public version.
"""

from django.utils.translation import gettext as _

from workflow.models import DisclosureProcess, Item

from .content import (
    active_redactions,
    item_attachments,
    item_sources,
    redact,
    source_label,
)
from .content import content_hash as hash_of
from .models import ReviewDecision, ScanFinding
from .readiness import live_marks_in, redacted_strings_visible, review_state
from .services.countersigns import countersigns_missing


def release_refusals(
    *,
    item: Item,
    process: DisclosureProcess,
    current: str | None = None,
    last_approval=None,
    last_review=None,
    referral_open: bool | None = None,
    countersign_units_named: bool | None = None,
    attachments: list | None = None,
    redactions: list | None = None,
    undecided: list[str] | None = None,
) -> list[str]:
    """Why the item may not be released now; empty when it may. Reads the records themselves.

    The keyword arguments are what the caller read in this transaction under the item's lock
    (the content hash, the latest approval and review, whether a referral is open, whether the
    item names countersigning units, its attachment and redaction rows); each one not given is
    read here."""
    reasons = []
    if attachments is None:
        attachments = item_attachments(item)
    if redactions is None:
        redactions = active_redactions(item)
    if current is None:
        current = hash_of(item, attachments=attachments, redactions=redactions)
    if last_review is None:
        last_review = process.reviews.order_by("-created_at", "-id").first()
    if last_approval is None:
        last_approval = process.approvals.order_by("-created_at", "-id").first()
    if last_review is None or last_review.outcome != ReviewDecision.Outcome.PASS:
        reasons.append(_("The latest confidentiality review did not pass."))
    elif last_review.content_hash != current:
        reasons.append(_("The content changed after the confidentiality review."))
    if referral_open is None:
        referral_open = process.referrals.filter(ruling="").exists()
    if referral_open:
        reasons.append(_("A referral is still awaiting its ruling."))
    if last_approval is None or not last_approval.approved:
        reasons.append(_("The item has not been approved."))
    else:
        if last_approval.level != item.approval_scope:
            reasons.append(
                _("The approval was given at another level than the item's scope needs.")
            )
        if last_review is not None and (last_approval.created_at, last_approval.pk) < (
            last_review.created_at,
            0,
        ):
            reasons.append(_("The approval was given before the latest review."))
        if last_approval.content_hash != current:
            reasons.append(_("The content changed after the approval."))
    if countersigns_missing(item=item, content_hash=current, named=countersign_units_named):
        reasons.append(_("Not every named unit has countersigned this content."))
    if item.is_policy_document and not item.interpretation.strip():
        reasons.append(_("A policy document is published only with its interpretation."))
    if undecided is None:
        undecided = undecided_content(item, attachments=attachments, redactions=redactions)
    reasons.extend(undecided)
    return reasons


def undecided_content(item: Item, *, attachments: list, redactions: list) -> list[str]:
    """What the review left undecided in the content about to be released (review.readiness),
    and the last guards on the texts themselves: a redacted string still readable, an attachment
    with redactions whose text cannot be read (so no redacted rendering can be made), a live
    classification mark."""
    state = review_state(item, attachments=attachments)
    reasons = state.pass_blockers()
    read = item_sources(item, attachments=attachments)
    sources = read["sources"]
    labels = {a.pk: a for a in attachments}
    reasons.extend(
        _("“%(text)s” is withheld but still readable in %(where)s.")
        % {"text": text, "where": source_label(source, labels)}
        for text, source in redacted_strings_visible(sources, redactions)
    )
    unreadable_redacted = sorted({r.source for r in redactions} - set(sources))
    reasons.extend(
        _("%(where)s has redactions but its text cannot be read now.")
        % {"where": source_label(source, labels)}
        for source in unreadable_redacted
    )
    spans: dict[str, list] = {}
    for r in redactions:
        spans.setdefault(r.source, []).append((r.start, r.end, r.ground.article))
    public = {source: redact(text, spans.get(source, [])) for source, text in sources.items()}
    ruled = {f.text for f in state.findings if f.resolution == ScanFinding.Resolution.RULED}
    marks = live_marks_in(public, ruled=ruled)
    if marks and not state.live_marks:
        # The scan's findings say nothing is marked, the text says otherwise.
        reasons.append(
            _("The text carries a classification mark (%(marks)s) no ruling has cleared.")
            % {"marks": "、".join(dict.fromkeys(m for m, _s in marks))}
        )
    return reasons
