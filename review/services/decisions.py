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

from ..content import HAS_ATTACHMENTS, HAS_REDACTIONS, content_hash, content_rows
from ..models import CountersignUnit, Referral, ReviewDecision, ScanFinding
from .countersigns import countersigns_open
from .redactions import findings_clear_on_pass

STATUS_AFTER_REVIEW = {
    ReviewDecision.Outcome.PASS: (Item.Status.IN_APPROVAL, "review.decision.passed"),
    ReviewDecision.Outcome.RETURN: (Item.Status.RETURNED, "review.decision.returned"),
    ReviewDecision.Outcome.REFER: (Item.Status.REFERRED, "review.referral.requested"),
}


_ITEM_FOR_REVIEW = item_locked_reader(
    exists(CountersignUnit, "c", "c.item_id = i.id"),
    exists(ScanFinding, "f", "f.item_id = i.id AND f.resolution = %s"),
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
) -> ReviewDecision:
    """Record the reviewer's decision; the flow routes on it (pass, return, withhold or refer).

    The decision records the content hash it was made on; a pass settles the findings left open
    and asks the countersigning units, a referral goes to `refer_to` (the secrecy bureau when
    not given) with its ruling due in REFERRAL_RULING_DAYS working days."""
    outcome = ReviewDecision.Outcome(outcome)
    errors = {}
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
        # Read with the lock: whether the item names countersigning units, has open findings,
        # attachments and redactions, so a pass skips what it would find empty.
        item, (countersign_units_named, open_findings, has_attachments, has_redactions) = (
            read_item_locked(_ITEM_FOR_REVIEW, [ScanFinding.Resolution.OPEN.value, process.item_id])
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
        decision = ReviewDecision(
            process=process,
            item=item,
            reviewer=user,
            outcome=outcome,
            comment=comment,
            legal_ground=legal_ground if outcome == ReviewDecision.Outcome.WITHHOLD else None,
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
            due_on = (
                WorkCalendar.load()
                .count_forward(timezone.localdate(), settings.REFERRAL_RULING_DAYS)
                .due
            )
            referral = Referral.objects.create(
                process=process,
                item=item,
                to_unit=to_unit,
                requested_by=user,
                question=comment,
                due_on=due_on,
            )
            data.update(referral=referral.pk, to_unit=to_unit.name, due_on=due_on.isoformat())
        if outcome == ReviewDecision.Outcome.PASS:
            if open_findings:
                findings_clear_on_pass(item=item, user=user, decision_id=decision.pk)
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


def referral_rule(*, task_id: int, user, ruling: str, comment: str = "") -> Referral:
    """The secrecy bureau's ruling; the item goes back to the reviewer, who decides with it."""
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
        referral.ruling = ruling
        referral.ruling_comment = comment
        referral.ruled_by = user
        referral.ruled_at = timezone.now()
        referral.save()
        ruled.append(referral)
        process.review_outcome = ""
        process.save(update_fields=["review_outcome"])
        item = Item.objects.select_for_update().get(pk=process.item_id)
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
