"""Redactions (Arts. 14-16 grounds, Art. 37 partial disclosure) and the reviewer's verdict on each
scanner finding. Only the reviewer who holds the item's open review task may change either."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from audit.services import audit_log
from workflow.exceptions import NotAllowed
from workflow.models import Item, LegalGround

from ..content import item_sources
from ..models import Redaction, ScanFinding


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
    if task is None or task.flow_task.name != "review":
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


def _create(*, item, user, source, start, end, text, ground, finding=None) -> Redaction:
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
    audit_log(
        actor=user,
        action="review.redaction.added",
        subject=item,
        data={
            "redaction": redaction.pk,
            "source": source,
            "start": start,
            "end": end,
            "ground": ground.code,
            "finding": finding.pk if finding else None,
        },
    )
    return redaction


def _covered(item: Item, source: str, start: int, end: int) -> bool:
    return item.redactions.filter(
        withdrawn_at__isnull=True, source=source, start__lte=start, end__gte=end
    ).exists()


@transaction.atomic
def finding_redact(*, finding_id: int, user, ground: LegalGround | None) -> Redaction:
    """Accept a scanner finding: redact exactly the text it found."""
    finding = ScanFinding.objects.select_related("item").get(pk=finding_id)
    item = _locked_item(finding.item)
    held_review_task(item=item, user=user)
    ground = _check_ground(ground)
    text = item_sources(item)["sources"].get(finding.source)
    if text is None or text[finding.start : finding.end] != finding.text:
        raise ValidationError(
            _("The text has changed since this finding; scan again before redacting.")
        )
    redaction = _create(
        item=item,
        user=user,
        source=finding.source,
        start=finding.start,
        end=finding.end,
        text=finding.text,
        ground=ground,
        finding=finding,
    )
    _resolve(finding, user, ScanFinding.Resolution.REDACTED, "")
    return redaction


@transaction.atomic
def passage_redact(
    *, item: Item, user, source: str, passage: str, ground: LegalGround | None
) -> list[Redaction]:
    """Redact a passage the reviewer marked: every occurrence of it in the source, since a name or
    number withheld once must not be readable a line further down."""
    item = _locked_item(item)
    held_review_task(item=item, user=user)
    ground = _check_ground(ground)
    passage = passage.strip()
    if not passage:
        raise ValidationError({"passage": _("Copy the passage to redact into the field.")})
    text = item_sources(item)["sources"].get(source)
    if text is None:
        raise ValidationError({"source": _("This part of the item has no readable text.")})
    created, cursor = [], 0
    while (start := text.find(passage, cursor)) != -1:
        end = start + len(passage)
        if not _covered(item, source, start, end):
            created.append(
                _create(
                    item=item,
                    user=user,
                    source=source,
                    start=start,
                    end=end,
                    text=passage,
                    ground=ground,
                )
            )
        cursor = end
    if cursor == 0:
        raise ValidationError(
            {"passage": _("This passage does not occur in the chosen text. Copy it exactly.")}
        )
    # Findings wholly inside a new redaction are settled by it.
    for redaction in created:
        for finding in item.findings.filter(
            resolution=ScanFinding.Resolution.OPEN,
            source=source,
            start__gte=redaction.start,
            end__lte=redaction.end,
        ):
            _resolve(finding, user, ScanFinding.Resolution.REDACTED, "")
    return created


@transaction.atomic
def redaction_withdraw(*, redaction_id: int, user, reason: str) -> Redaction:
    redaction = Redaction.objects.select_for_update().get(pk=redaction_id)
    item = _locked_item(redaction.item)
    held_review_task(item=item, user=user)
    if redaction.withdrawn_at is not None:
        return redaction
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the redaction is taken back.")})
    _withdraw(redaction, user, reason.strip())
    if redaction.finding_id:
        ScanFinding.objects.filter(pk=redaction.finding_id).update(
            resolution=ScanFinding.Resolution.OPEN,
            resolved_by=None,
            resolved_at=None,
            resolution_note="",
        )
    return redaction


@transaction.atomic
def finding_dismiss(*, finding_id: int, user, note: str = "") -> ScanFinding:
    """The reviewer judges a finding not sensitive (e.g. a public office's hotline)."""
    finding = ScanFinding.objects.select_for_update().get(pk=finding_id)
    held_review_task(item=finding.item, user=user)
    if finding.resolution != ScanFinding.Resolution.OPEN:
        raise ValidationError(_("This finding has already been settled."))
    _resolve(finding, user, ScanFinding.Resolution.DISMISSED, note.strip())
    audit_log(
        actor=user,
        action="review.finding.dismissed",
        subject=finding.item,
        comment=note,
        data={"finding": finding.pk, "kind": finding.kind},
    )
    return finding


def findings_clear_on_pass(*, item: Item, user, decision_id: int) -> int:
    """A passing review settles what the reviewer left open: the record then says who let each
    finding through, and under which decision."""
    return item.findings.filter(
        scan=item.scans.order_by("-created_at", "-id").values("pk")[:1],
        resolution=ScanFinding.Resolution.OPEN,
    ).update(
        resolution=ScanFinding.Resolution.DISMISSED,
        resolved_by=user,
        resolved_at=timezone.now(),
        resolution_note=f"review decision {decision_id}",
    )


def redactions_reanchor(*, item: Item, user) -> dict:
    """After the drafter edits a returned item, keep each redaction on its text: unchanged spans
    stay, moved text is followed, text that is gone withdraws the redaction (the reviewer sees
    that in the log). Runs inside the resubmission's transaction."""
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
            _withdraw(redaction, None, "text no longer present after revision")
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


def _withdraw(redaction: Redaction, user, reason: str) -> None:
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
