"""The publication rule (Regulation Art. 17: 先审查、后公开; seed 000 §三(一): 分级审批): nothing is
published, and no answer is delivered, unless the latest review passed and the approval its scope
requires was given for exactly the content being released.

"Exactly the content" is the content hash (review.content): body, interpretation, attachments and
redactions, recomputed from the stored rows and files at the moment of release. Every release goes
through `release_refusals`, whatever called it (a view, the admin, the API, a shell, a task).
"""

from django.utils.translation import gettext as _

from workflow.models import DisclosureProcess, Item

from .content import content_hash
from .models import ReviewDecision
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
) -> list[str]:
    """Why the item may not be released now; empty when it may. Reads the records themselves.

    The keyword arguments are what the caller read in this transaction under the item's lock
    (the content hash, the latest approval and review, whether a referral is open and whether
    the item names countersigning units); each one not given is read here."""
    reasons = []
    if current is None:
        current = content_hash(item)
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
        if last_approval.level != item.scope:
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
    return reasons
