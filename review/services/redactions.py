"""Redactions (Arts. 14-16 grounds, Art. 37 partial disclosure) and the reviewer's verdict on each
scanner finding. Only the reviewer who holds the item's open review task may change either.

A redacted string is withheld wherever it occurs in the item: title, summary, body,
interpretation and the text of every attachment. A name withheld in the body must not be readable
in an attachment or a line further down, so a redaction made in one place is made in all
(`_redact_everywhere`), and made again wherever the string turns up after the item changes
(`redactions_spread`, run by every scan). Each occurrence is its own row, so the redaction log and
the Art. 37 citation list every place.

No finding is settled by default: each is redacted or dismissed with a written reason. A
classification mark (绝密/机密/秘密) can be neither: only the secrecy bureau's ruling settles it
(review.services.decisions.referral_rule).
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from audit.services import audit_log
from workflow.exceptions import NotAllowed
from workflow.models import Item, LegalGround

from ..content import active_redactions, item_sources
from ..models import Redaction, ScanFinding
from ..readiness import latest_scan
from ..scanner import Kind

Resolution = ScanFinding.Resolution

# Dismissing needs a written reason; these kinds say the text itself is internal or listed as not
# to be published, so the reason must say more than a word or two ("at least a few words").
DISMISS_REASON_MIN_CHARS = 2
DISMISS_REASON_MIN_CHARS_BY_KIND = {
    Kind.WORK_SECRET: 5,
    Kind.INTERNAL_MARKING: 5,
    Kind.NEGATIVE_LIST: 5,
}


def held_review_task(*, item: Item, user) -> Task:
    """The open review task of the item that `user` holds, or NotAllowed."""
    task = (
        Task.objects.filter(
            process__disclosureprocess__item=item,
            flow_task_type="HUMAN",
            owner=user,
            status__in=[STATUS.ASSIGNED, STATUS.STARTED],
        )
        .order_by("-pk")
        .first()
    )
    if task is None or task.flow_task.name != "review" or item.author_id == user.pk:
        # Nobody reviews their own work, even holding a task taken before that rule.
        raise NotAllowed(
            _(
                "Only the reviewer holding this item's confidentiality review can do this. Claim the review task first."
            )
        )
    return task


def _locked_item(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("unit").get(pk=item.pk)


def _check_ground(ground: LegalGround | None) -> LegalGround:
    if ground is None or not ground.active:
        raise ValidationError({"ground": _("Choose the legal ground for this redaction.")})
    return ground


def _refuse_mark(finding: ScanFinding) -> None:
    if finding.kind == Kind.CLASSIFICATION_MARK:
        raise ValidationError(
            _(
                "A classification mark can be neither redacted nor dismissed: only the secrecy "
                "bureau can rule that it is wrong. Refer the item to the secrecy bureau, or file "
                "it as not disclosable."
            )
        )


def _occurrences(text: str, string: str) -> Iterable[tuple[int, int]]:
    cursor = 0
    while (start := text.find(string, cursor)) != -1:
        end = start + len(string)
        yield start, end
        cursor = end


def covering(active: list[Redaction], source: str, start: int, end: int) -> Redaction | None:
    """The redaction in force that covers source[start:end] whole, if any."""
    return next(
        (r for r in active if r.source == source and r.start <= start and r.end >= end), None
    )


def _covered(active: list[Redaction], source: str, start: int, end: int) -> bool:
    return covering(active, source, start, end) is not None


def _uncovered(
    sources: dict[str, str], active: list[Redaction], string: str
) -> list[tuple[str, int, int]]:
    """(source, start, end) of every occurrence of `string` that no redaction in force covers."""
    return [
        (source, start, end)
        for source, text in sources.items()
        for start, end in _occurrences(text, string)
        if not _covered(active, source, start, end)
    ]


def _create(
    *, item, user, source, start, end, text, ground, finding=None, actor=None, origin=None
) -> Redaction:
    redaction = Redaction.objects.create(
        item=item,
        source=source,
        start=start,
        end=end,
        text=text,
        ground=ground,
        finding=finding,
        created_by=user,
    )
    data = {
        "redaction": redaction.pk,
        "source": source,
        "start": start,
        "end": end,
        "ground": ground.code,
        "finding": finding.pk if finding else None,
    }
    if origin is not None:
        data["spread_from"] = origin.pk
    audit_log(
        actor=actor or user,
        action="review.redaction.spread" if origin is not None else "review.redaction.added",
        subject=item,
        data=data,
    )
    return redaction


def _redact_everywhere(
    *, item: Item, user, string: str, ground: LegalGround, finding: ScanFinding | None = None
) -> list[Redaction]:
    """Redact every occurrence of `string` in every text of the item that is not redacted yet."""
    sources = item_sources(item)["sources"]
    active = active_redactions(item)
    places = _uncovered(sources, active, string)
    if not places and not any(string in text for text in sources.values()):
        raise ValidationError(
            {"passage": _("This passage does not occur in the item's texts. Copy it exactly.")}
        )
    created = [
        _create(
            item=item,
            user=user,
            source=source,
            start=start,
            end=end,
            text=string,
            ground=ground,
            # The finding's own place keeps its link (withdrawing it reopens the finding).
            finding=finding
            if finding and (source, start, end) == (finding.source, finding.start, finding.end)
            else None,
        )
        for source, start, end in places
    ]
    findings_settle_by_redactions(item=item, user=user, redactions=active + created)
    return created


def findings_settle_by_redactions(*, item: Item, user, redactions: list[Redaction]) -> int:
    """Open findings of the latest scan that lie wholly inside a redaction in force are settled
    by it (never a classification mark: redacting a mark does not make the text public)."""
    scan = latest_scan(item)
    if scan is None or not redactions:
        return 0
    settled = [
        finding.pk
        for finding in scan.findings.filter(resolution=Resolution.OPEN).exclude(
            kind=Kind.CLASSIFICATION_MARK
        )
        if _covered(redactions, finding.source, finding.start, finding.end)
    ]
    if settled:
        ScanFinding.objects.filter(pk__in=settled).update(
            resolution=Resolution.REDACTED,
            resolved_by=user,
            resolved_at=timezone.now(),
            resolution_note="",
        )
    return len(settled)


@transaction.atomic
def finding_redact(*, finding_id: int, user, ground: LegalGround | None) -> list[Redaction]:
    """Accept a scanner finding: redact the text it found, wherever it occurs in the item."""
    finding = ScanFinding.objects.select_related("item").get(pk=finding_id)
    item = _locked_item(finding.item)
    held_review_task(item=item, user=user)
    _refuse_mark(finding)
    ground = _check_ground(ground)
    finding = ScanFinding.objects.get(pk=finding.pk)  # re-read under the item's lock
    if finding.resolution != Resolution.OPEN:
        raise ValidationError(_("This finding has already been settled."))
    text = item_sources(item)["sources"].get(finding.source)
    if text is None or text[finding.start : finding.end] != finding.text:
        raise ValidationError(
            _("The text has changed since this finding; scan again before redacting.")
        )
    created = _redact_everywhere(
        item=item, user=user, string=finding.text, ground=ground, finding=finding
    )
    ScanFinding.objects.filter(pk=finding.pk, resolution=Resolution.OPEN).update(
        resolution=Resolution.REDACTED, resolved_by=user, resolved_at=timezone.now()
    )
    return created


@transaction.atomic
def findings_redact_kind(*, item: Item, user, kind: str, ground: LegalGround | None) -> int:
    """Redact every open finding of one kind with one ground (e.g. all mobile numbers under
    Art. 15): the reviewer's explicit decision for the whole group, each redaction logged."""
    item = _locked_item(item)
    held_review_task(item=item, user=user)
    if kind == Kind.CLASSIFICATION_MARK:
        _refuse_mark(ScanFinding(kind=kind))
    ground = _check_ground(ground)
    scan = latest_scan(item)
    strings = (
        list(
            dict.fromkeys(
                scan.findings.filter(resolution=Resolution.OPEN, kind=kind).values_list(
                    "text", flat=True
                )
            )
        )
        if scan
        else []
    )
    if not strings:
        raise ValidationError(_("There is no open finding of this kind."))
    for string in strings:
        _redact_everywhere(item=item, user=user, string=string, ground=ground)
    return len(strings)


@transaction.atomic
def passage_redact(
    *, item: Item, user, passage: str, ground: LegalGround | None
) -> list[Redaction]:
    """Redact a passage the reviewer marked, wherever it occurs in the item."""
    item = _locked_item(item)
    held_review_task(item=item, user=user)
    ground = _check_ground(ground)
    passage = passage.strip()
    if not passage:
        raise ValidationError({"passage": _("Copy the passage to redact into the field.")})
    return _redact_everywhere(item=item, user=user, string=passage, ground=ground)


@transaction.atomic
def redaction_withdraw(*, redaction_id: int, user, reason: str) -> list[Redaction]:
    """Take back the redaction of a string: every occurrence of it (withdrawing one would leave
    the others pointing at a string the public version then shows). The findings the redactions
    settled are open again."""
    redaction = Redaction.objects.get(pk=redaction_id)
    item = _locked_item(redaction.item)
    held_review_task(item=item, user=user)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the redaction is taken back.")})
    same = list(
        item.redactions.select_for_update().filter(withdrawn_at__isnull=True, text=redaction.text)
    )
    for row in same:
        redaction_withdraw_row(row, user, reason.strip())
    scan = latest_scan(item)
    if scan is not None and same:
        reopened = [
            finding.pk
            for finding in scan.findings.filter(resolution=Resolution.REDACTED)
            if _covered(same, finding.source, finding.start, finding.end)
            or finding.pk in {r.finding_id for r in same}
        ]
        ScanFinding.objects.filter(pk__in=reopened).update(
            resolution=Resolution.OPEN, resolved_by=None, resolved_at=None, resolution_note=""
        )
    return same


def dismiss_reason_problem(kind: str, note: str) -> str:
    """Why `note` is not enough to dismiss a finding of `kind`; empty when it is."""
    if kind == Kind.CLASSIFICATION_MARK:
        return _("A classification mark cannot be dismissed: refer it to the secrecy bureau.")
    needed = DISMISS_REASON_MIN_CHARS_BY_KIND.get(kind, DISMISS_REASON_MIN_CHARS)
    if len("".join(note.split())) < needed:
        return _(
            "Say in at least %(n)d characters why this is not sensitive (e.g. 单位公开的办事电话)."
        ) % {"n": needed}
    return ""


@transaction.atomic
def finding_dismiss(*, finding_id: int, user, note: str = "") -> ScanFinding:
    """The reviewer judges a finding not sensitive (e.g. a public office's hotline), in writing."""
    finding = ScanFinding.objects.select_for_update().get(pk=finding_id)
    held_review_task(item=finding.item, user=user)
    if finding.resolution != Resolution.OPEN:
        raise ValidationError(_("This finding has already been settled."))
    problem = dismiss_reason_problem(finding.kind, note)
    if problem:
        raise ValidationError({"note": problem})
    _resolve(finding, user, Resolution.DISMISSED, note.strip())
    audit_log(
        actor=user,
        action="review.finding.dismissed",
        subject=finding.item,
        comment=note,
        data={"finding": finding.pk, "kind": finding.kind},
    )
    return finding


def redactions_spread(
    *, item: Item, actor, sources: dict[str, str], active: list[Redaction] | None = None
) -> list[Redaction]:
    """Redact each string withheld in force wherever it now occurs and is not redacted yet (the
    drafter revised the text, or an attachment was added or read at last). Each new row carries the
    ground of the redaction it follows and its author: the reviewer's decision, applied again."""
    if active is None:
        active = active_redactions(item)
    created = []
    first_of: dict[str, Redaction] = {}
    for redaction in active:
        first_of.setdefault(redaction.text, redaction)
    for string, origin in first_of.items():
        for source, start, end in _uncovered(sources, active + created, string):
            created.append(
                _create(
                    item=item,
                    user=origin.created_by,
                    actor=actor,
                    source=source,
                    start=start,
                    end=end,
                    text=string,
                    ground=origin.ground,
                    origin=origin,
                )
            )
    return created


def redactions_reanchor(*, item: Item, user) -> dict:
    """After the drafter edits a returned item, keep each redaction on its text: unchanged spans
    stay, moved text is followed, text that is gone withdraws the redaction (the reviewer sees
    that in the log). Runs inside the resubmission's transaction; the scan that follows redacts
    the strings wherever else they occur now."""
    sources = item_sources(item)["sources"]
    kept = moved = withdrawn = 0
    taken: dict[str, list[tuple[int, int]]] = {}
    for redaction in item.redactions.select_for_update().filter(withdrawn_at__isnull=True):
        text = sources.get(redaction.source)
        if text is not None and text[redaction.start : redaction.end] == redaction.text:
            taken.setdefault(redaction.source, []).append((redaction.start, redaction.end))
            kept += 1
            continue
        start = -1
        if text is not None:
            start = text.find(redaction.text)
            while start != -1 and (start, start + len(redaction.text)) in taken.get(
                redaction.source, []
            ):
                start = text.find(redaction.text, start + 1)
        if start == -1:
            redaction_withdraw_row(
                redaction, None, _("The text is no longer there after the revision.")
            )
            withdrawn += 1
            continue
        old = [redaction.start, redaction.end]
        redaction.start, redaction.end = start, start + len(redaction.text)
        redaction.save(update_fields=["start", "end"])
        taken.setdefault(redaction.source, []).append((redaction.start, redaction.end))
        audit_log(
            actor=user,
            action="review.redaction.moved",
            subject=item,
            data={"redaction": redaction.pk, "from": old, "to": [redaction.start, redaction.end]},
        )
        moved += 1
    return {"kept": kept, "moved": moved, "withdrawn": withdrawn}


def redaction_withdraw_row(redaction: Redaction, user, reason: str) -> None:
    """Withdraw one row (the caller holds the item's lock and decides that this one goes)."""
    redaction.withdrawn_at = timezone.now()
    redaction.withdrawn_by = user
    redaction.withdrawn_reason = reason[:200]
    redaction.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    audit_log(
        actor=user,
        action="review.redaction.withdrawn",
        subject=redaction.item,
        comment=reason,
        data={"redaction": redaction.pk, "source": redaction.source},
    )


def _resolve(finding: ScanFinding, user, resolution: str, note: str) -> None:
    finding.resolution = resolution
    finding.resolved_by = user
    finding.resolved_at = timezone.now()
    finding.resolution_note = note
    finding.save(update_fields=["resolution", "resolved_by", "resolved_at", "resolution_note"])
