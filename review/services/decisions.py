"""Confidentiality review decisions and referrals (Regulation Art. 17; State Secrets implementing
regulation Art. 42: 先审查、后公开, item by item)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from audit.services import audit_log
from workflow.models import Item, LegalGround, Unit
from workflow.services.items import item_set_status
from workflow.services.tasks import process_save_later, task_complete
from workflow.sqlrows import exists, insert, item_locked_reader, read_item_locked
from workflow.workdays import WorkCalendar

from ..content import (
    HAS_ATTACHMENTS,
    HAS_REDACTIONS,
    content_hash,
    content_rows,
    item_sources,
    source_label,
)
from ..deadlines import referral_due
from ..models import CountersignUnit, Referral, ReviewDecision, ScanFinding
from ..readiness import latest_scan, redacted_strings_visible, review_state
from ..scanner import Kind
from .countersigns import countersigns_open

STATUS_AFTER_REVIEW = {
    ReviewDecision.Outcome.PASS: (Item.Status.IN_APPROVAL, "review.decision.passed"),
    ReviewDecision.Outcome.RETURN: (Item.Status.RETURNED, "review.decision.returned"),
    ReviewDecision.Outcome.REFER: (Item.Status.REFERRED, "review.referral.requested"),
}


_ITEM_FOR_REVIEW = item_locked_reader(
    exists(CountersignUnit, "c", "c.item_id = i.id"),
    HAS_ATTACHMENTS,
    HAS_REDACTIONS,
)


def review_decide(
    *,
    task_id: int,
    user,
    outcome: str,
    comment: str = "",
    legal_ground: LegalGround | None = None,
    refer_to: Unit | None = None,
    raise_scope_to: str = "",
    raise_reason: str = "",
) -> ReviewDecision:
    """Record the reviewer's decision; the flow routes on it (pass, return, withhold or refer).

    A pass is refused while anything is undecided (review.readiness): an open finding in any text,
    a classification mark the secrecy bureau has not ruled on, an unreadable attachment nobody
    checked by eye, a scan that is not of the current content. An item carrying a live mark can
    only be referred to the secrecy bureau or filed as not disclosable. The decision records the
    content hash it was made on; a pass asks the countersigning units; a referral goes to
    `refer_to` (the secrecy bureau when not given) with its ruling due in REFERRAL_RULING_DAYS
    working days. `raise_scope_to` (疑密从紧): a higher approval level than the item's, with
    `raise_reason`; never a lower one."""
    outcome = ReviewDecision.Outcome(outcome)
    errors = {}
    if raise_scope_to:
        raise_scope_to = Item.Scope(raise_scope_to)
        if not raise_reason.strip():
            errors["raise_reason"] = _("Say why the item needs a higher approval level.")
    if outcome in (
        ReviewDecision.Outcome.RETURN,
        ReviewDecision.Outcome.REFER,
        ReviewDecision.Outcome.WITHHOLD,
    ):
        if not comment.strip():
            errors["comment"] = {
                ReviewDecision.Outcome.RETURN: _("Say what the drafter must change."),
                ReviewDecision.Outcome.REFER: _("State the question for the secrecy bureau."),
                ReviewDecision.Outcome.WITHHOLD: _("Give the reason the item cannot be disclosed."),
            }[outcome]
    if outcome == ReviewDecision.Outcome.WITHHOLD and legal_ground is None:
        errors["legal_ground"] = _("Choose the legal ground for not disclosing.")
    if errors:
        raise ValidationError(errors)

    created: list[ReviewDecision] = []

    def apply(task: Task, process) -> None:
        if task.flow_task.name != "review":
            raise ValidationError(_("This is not a confidentiality review task."))
        # Read with the lock: whether the item names countersigning units, has attachments and
        # redactions, so a step skips reading what it would find empty.
        item, (countersign_units_named, has_attachments, has_redactions) = read_item_locked(
            _ITEM_FOR_REVIEW, [process.item_id]
        )
        process.item = item  # the flow's gateways route on it next, in this transaction
        attachments, redactions = content_rows(
            item, has_attachments=has_attachments, has_redactions=has_redactions
        )
        if outcome == ReviewDecision.Outcome.PASS and item.is_policy_document:
            if not item.interpretation.strip():
                raise ValidationError(
                    _("A policy document passes review only together with its interpretation.")
                )
        _check_outcome_allowed(
            item, outcome, refer_to=refer_to, attachments=attachments, redactions=redactions
        )
        raised_from = item.approval_scope
        if raise_scope_to:
            _raise_approval_scope(item, raise_scope_to)
        decision = ReviewDecision(
            process=process,
            item=item,
            reviewer=user,
            outcome=outcome,
            comment=comment,
            legal_ground=legal_ground if outcome == ReviewDecision.Outcome.WITHHOLD else None,
            raised_scope=raise_scope_to if item.approval_scope != raised_from else "",
            raise_reason=raise_reason.strip() if item.approval_scope != raised_from else "",
            content_hash=content_hash(item, attachments=attachments, redactions=redactions),
        )
        insert(decision)
        created.append(decision)
        process.review_outcome = outcome.value
        process_save_later(process, "review_outcome")
        data = {
            "decision": decision.pk,
            "legal_ground": legal_ground.code if legal_ground else None,
        }
        if decision.raised_scope:
            Item.objects.filter(pk=item.pk).update(raised_scope=item.raised_scope)
            audit_log(
                actor=user,
                action="review.scope.raised",
                subject=item,
                old_state=raised_from,
                new_state=item.approval_scope,
                comment=decision.raise_reason,
                data={"decision": decision.pk, "drafted_scope": item.scope},
            )
        if outcome == ReviewDecision.Outcome.WITHHOLD:
            # The withhold node files the item; here the decision is recorded with its ground.
            audit_log(
                actor=user,
                action="review.decision.withheld",
                subject=item,
                old_state=item.status,
                new_state=item.status,
                comment=comment,
                data=data,
            )
            return
        status, action = STATUS_AFTER_REVIEW[outcome]
        if outcome == ReviewDecision.Outcome.REFER:
            to_unit = _referral_target(item, refer_to)
            # The inputs are stored, the date derived from them (review.deadlines), so a calendar
            # edit recomputes it from the day of the referral.
            referral = Referral(
                process=process,
                item=item,
                to_unit=to_unit,
                requested_by=user,
                question=comment,
                asked_on=timezone.localdate(),
                time_limit=settings.REFERRAL_RULING_DAYS,
            )
            referral.due_on = referral_due(referral, calendar=WorkCalendar.load())
            referral.save()
            data.update(
                referral=referral.pk, to_unit=to_unit.name, due_on=referral.due_on.isoformat()
            )
        if outcome == ReviewDecision.Outcome.PASS:
            if countersigns_open(
                item=item,
                process=process,
                user=user,
                content_hash=decision.content_hash,
                named=countersign_units_named,
            ):
                status = Item.Status.COUNTERSIGNING
        item_set_status(
            item=item, user=user, status=status, action=action, comment=comment, data=data
        )

    task_complete(task_id=task_id, user=user, apply=apply)
    return created[0]


def _check_outcome_allowed(
    item: Item, outcome: str, *, refer_to: Unit | None, attachments: list, redactions: list
) -> None:
    """先审查、后公开 and 疑密从紧, on the state read under the item's lock (review.readiness)."""
    if outcome == ReviewDecision.Outcome.WITHHOLD:
        return  # filing as not disclosable releases nothing
    state = review_state(item, attachments=attachments)
    if state.live_marks:
        if outcome == ReviewDecision.Outcome.REFER:
            if refer_to is not None and refer_to.kind != Unit.Kind.SECRECY_BUREAU:
                raise ValidationError(
                    {"refer_to": _("A classification mark is referred to the secrecy bureau.")}
                )
            return
        raise ValidationError(state.mark_blocker())
    if outcome != ReviewDecision.Outcome.PASS:
        return
    problems = state.pass_blockers()
    if not problems:
        sources = item_sources(item, attachments=attachments)["sources"]
        problems = [
            _("“%(text)s” is redacted elsewhere but still readable in %(where)s: scan again.")
            % {"text": text, "where": source_label(source, {a.pk: a for a in attachments})}
            for text, source in redacted_strings_visible(sources, redactions)
        ]
    if problems:
        raise ValidationError(problems)


def _raise_approval_scope(item: Item, to: str) -> None:
    """疑密从紧: up, never down; the drafter's own `scope` stays as drafted."""
    if Item.Scope.higher(to, item.approval_scope) != to:
        raise ValidationError(
            {"raise_scope_to": _("The approval level can be raised, never lowered.")}
        )
    if to != item.approval_scope:
        item.raised_scope = to


def _referral_target(item: Item, refer_to: Unit | None) -> Unit:
    """Art. 17 ¶3: the competent department or the secrecy bureau; the bureau by default."""
    if refer_to is None:
        refer_to = Unit.objects.filter(
            district_id=item.unit.district_id, kind=Unit.Kind.SECRECY_BUREAU
        ).first()
        if refer_to is None:
            raise ValidationError(
                _("No secrecy bureau is set up for this district; ask an administrator.")
            )
    if refer_to.district_id != item.unit.district_id or refer_to.pk == item.unit_id:
        raise ValidationError(
            {"refer_to": _("Refer to the secrecy bureau or another department of the district.")}
        )
    return refer_to


# A ruling that a classification mark is wrong is recorded with its basis (e.g. the number of the
# declassification notice): more than a word.
MARK_RULING_BASIS_MIN_CHARS = 6


def referral_rule(*, task_id: int, user, ruling: str, comment: str = "") -> Referral:
    """The secrecy bureau's ruling; the item goes back to the reviewer, who decides with it.

    On an item carrying a classification mark, "may be disclosed" is the bureau's ruling that the
    mark is wrong (an old mark on a declassified text, a mark put on by mistake): only the secrecy
    bureau may make it, with its basis, and it settles the marks found (RULED). Nothing else
    settles a mark."""
    ruling = Referral.Ruling(ruling)
    if ruling == Referral.Ruling.NOT_DISCLOSABLE and not comment.strip():
        raise ValidationError({"comment": _("Give the basis of the ruling.")})
    ruled: list[Referral] = []

    def apply(task: Task, process) -> None:
        if task.flow_task.name != "referral":
            raise ValidationError(_("This is not a referral task."))
        referral = (
            process.referrals.select_for_update().filter(ruling="").order_by("-created_at").first()
        )
        if referral is None:
            raise ValidationError(_("There is no open referral for this item."))
        item = Item.objects.select_for_update().get(pk=process.item_id)
        referral.ruling = ruling
        referral.ruling_comment = comment
        referral.ruled_by = user
        referral.ruled_at = timezone.now()
        if ruling == Referral.Ruling.DISCLOSABLE:
            _rule_marks_invalid(item=item, referral=referral, user=user, basis=comment)
        referral.save()
        ruled.append(referral)
        process.review_outcome = ""
        process.save(update_fields=["review_outcome"])
        item_set_status(
            item=item,
            user=user,
            status=Item.Status.IN_REVIEW,
            action="review.referral.ruled",
            comment=comment,
            data={"referral": referral.pk, "ruling": ruling.value},
        )

    task_complete(task_id=task_id, user=user, apply=apply)
    return ruled[0]


def _rule_marks_invalid(*, item: Item, referral: Referral, user, basis: str) -> None:
    scan = latest_scan(item)
    marks = (
        list(
            scan.findings.filter(kind=Kind.CLASSIFICATION_MARK).exclude(
                resolution=ScanFinding.Resolution.RULED
            )
        )
        if scan
        else []
    )
    if not marks:
        return
    if referral.to_unit.kind != Unit.Kind.SECRECY_BUREAU:
        raise ValidationError(
            _(
                "The item carries a classification mark: only the secrecy bureau can rule that "
                "it may be disclosed."
            )
        )
    if len("".join(basis.split())) < MARK_RULING_BASIS_MIN_CHARS:
        raise ValidationError(
            {
                "comment": _(
                    "State the basis on which the mark is wrong (e.g. the declassification "
                    "notice and its number)."
                )
            }
        )
    ScanFinding.objects.filter(pk__in=[m.pk for m in marks]).update(
        resolution=ScanFinding.Resolution.RULED,
        resolved_by=user,
        resolved_at=timezone.now(),
        resolution_note=basis.strip(),
    )
    audit_log(
        actor=user,
        action="review.mark.ruled_invalid",
        subject=item,
        comment=basis.strip(),
        data={"referral": referral.pk, "marks": sorted({m.text for m in marks})},
    )
