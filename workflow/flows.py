"""The proactive-disclosure flow: draft -> confidentiality review -> approval by scope -> publication.

Approval level by scope follows seed 000 §三(一) and seed 003 §7 (分级审批); review before
publication follows Regulation Art. 17 (先审查、后公开).
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from .models import DisclosureProcess, Item
from .nodes import NewProcessStart, PositionTask


def item_of(process) -> Item:
    return process.coerced.item


def _review_is(outcome):
    return lambda activation: activation.process.coerced.review_outcome == outcome


def _scope_is(scope):
    # The approval level: the drafter's scope, or higher where the reviewer raised it (疑密从紧).
    return lambda activation: item_of(activation.process).approval_scope == scope


def _approval_is(outcome):
    return lambda activation: activation.process.coerced.approval_outcome == outcome


def _step_is(outcome):
    return lambda activation: activation.process.coerced.step_outcome == outcome


def _outcome_and_scope(field: str, outcome: str, scope: str):
    """A decision that sends the item to the approval its scope needs, with no gateway between:
    a passing review (field review_outcome) or the last countersignature (step_outcome)."""
    return lambda activation: (
        getattr(activation.process.coerced, field) == outcome
        and item_of(activation.process).approval_scope == scope
    )


def _passed_for(scope):
    return _outcome_and_scope("review_outcome", "pass", scope)


def _confirmed_for(scope):
    return _outcome_and_scope("step_outcome", "confirmed", scope)


def _passed_with_countersigns(activation) -> bool:
    # review_decide has just asked the named units (and said so in the item's status).
    return (
        activation.process.coerced.review_outcome == "pass"
        and item_of(activation.process).status == Item.Status.COUNTERSIGNING
    )


def _countersign_pending(activation) -> bool:
    from review.models import Countersign

    return Countersign.objects.filter(
        process_id=activation.process.pk, status=Countersign.Status.PENDING
    ).exists()


def referral_unit(process):
    """The unit asked for a ruling (Art. 17 ¶3): its reviewers rule, whether it is the secrecy
    bureau or a competent department."""
    return process.coerced.referrals.filter(ruling="").order_by("-created_at", "-id")[0].to_unit


class DisclosureFlow(flow.Flow):
    process_class = DisclosureProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Proactive disclosure")
    process_description = _("Drafting, confidentiality review, approval and publication")

    start = NewProcessStart(this.start_process).Next(this.review)

    review = (
        PositionTask()
        .Annotation(title=_("Confidentiality review"))
        .NotByAuthor()
        .Permission("workflow.review_unit_items", obj=lambda p: item_of(p).unit)
        # The decision picks the next node itself; route_review routes the same way and is
        # kept for processes routed through it before (and as the fallback).
        .Route(this.countersign, cond=_passed_with_countersigns)
        .Route(this.approve_section, cond=_passed_for(Item.Scope.SECTION))
        .Route(this.approve_unit, cond=_passed_for(Item.Scope.UNIT))
        .Route(this.approve_district, cond=_passed_for(Item.Scope.DISTRICT))
        .Route(this.rework, cond=_review_is("return"))
        .Route(this.referral, cond=_review_is("refer"))
        .Route(this.withhold, cond=_review_is("withhold"))
        .Next(this.route_review)
    )
    route_review = (
        flow.Switch()
        .Annotation(title=_("Route the review decision"))
        .Case(this.countersign, cond=_passed_with_countersigns)
        .Case(this.approve_section, cond=_passed_for(Item.Scope.SECTION))
        .Case(this.approve_unit, cond=_passed_for(Item.Scope.UNIT))
        .Case(this.approve_district, cond=_passed_for(Item.Scope.DISTRICT))
        .Case(this.rework, cond=_review_is("return"))
        .Case(this.referral, cond=_review_is("refer"))
        .Case(this.withhold, cond=_review_is("withhold"))
    )
    referral = (
        PositionTask()
        .Annotation(title=_("Referral ruling"))
        # A drafter who also reviews for the unit ruling does not rule on their own item.
        .NotByAuthor()
        .Permission("workflow.review_unit_items", obj=referral_unit)
        .Next(this.review)
    )
    # No longer routed to (route_review decides it now); kept so that the tasks of processes
    # routed through it before still name a node.
    route_countersign = (
        flow.Switch()
        .Annotation(title=_("Countersignatures needed?"))
        .Case(this.countersign, cond=_countersign_pending)
        .Default(this.route_approval)
    )
    # 会签: the named units confirm in parallel (review.services.countersigns); the last
    # confirmation or the first objection completes this node.
    countersign = (
        flow.Handle().Annotation(title=_("Countersignatures (会签)")).Next(this.route_countersigned)
    )
    route_countersigned = (
        flow.Switch()
        .Annotation(title=_("Route the countersignatures"))
        .Case(this.approve_section, cond=_confirmed_for(Item.Scope.SECTION))
        .Case(this.approve_unit, cond=_confirmed_for(Item.Scope.UNIT))
        .Case(this.approve_district, cond=_confirmed_for(Item.Scope.DISTRICT))
        .Case(this.rework, cond=_step_is("objected"))
    )
    rework = (
        PositionTask()
        .Annotation(title=_("Revise and resubmit"))
        .Assign(lambda activation: item_of(activation.process).author)
        .Next(this.review)
    )
    # Like route_countersign: kept for the history of earlier processes only.
    route_approval = (
        flow.Switch()
        .Annotation(title=_("Route to the approval level"))
        .Case(this.approve_section, cond=_scope_is(Item.Scope.SECTION))
        .Case(this.approve_unit, cond=_scope_is(Item.Scope.UNIT))
        .Case(this.approve_district, cond=_scope_is(Item.Scope.DISTRICT))
    )
    approve_section = (
        PositionTask()
        .Annotation(title=_("Section head approval"))
        .NotByAuthor()
        .Permission("workflow.approve_section_scope", obj=lambda p: item_of(p).section)
        .Route(this.publish, cond=_approval_is("approved"))
        .Route(this.rework, cond=_approval_is("returned"))
        .Route(this.review, cond=_approval_is("changed"))
        .Next(this.route_approved)  # kept for earlier processes; routes the same way
    )
    approve_unit = (
        PositionTask()
        .Annotation(title=_("Unit head approval"))
        .NotByAuthor()
        .Permission("workflow.approve_unit_scope", obj=lambda p: item_of(p).unit)
        .Route(this.publish, cond=_approval_is("approved"))
        .Route(this.rework, cond=_approval_is("returned"))
        .Route(this.review, cond=_approval_is("changed"))
        .Next(this.route_approved)  # kept for earlier processes; routes the same way
    )
    approve_district = (
        PositionTask()
        .Annotation(title=_("District office approval"))
        .NotByAuthor()
        .Permission("workflow.approve_district_scope", obj=lambda p: item_of(p).unit.district)
        .Route(this.publish, cond=_approval_is("approved"))
        .Route(this.rework, cond=_approval_is("returned"))
        .Route(this.review, cond=_approval_is("changed"))
        .Next(this.route_approved)  # kept for earlier processes; routes the same way
    )
    route_approved = (
        flow.Switch()
        .Annotation(title=_("Route the approval decision"))
        .Case(this.publish, cond=_approval_is("approved"))
        .Case(this.rework, cond=_approval_is("returned"))
        # The content is no longer what the review passed: review it again.
        .Case(this.review, cond=_approval_is("changed"))
    )
    publish = flow.Function(this.publish_item).Annotation(title=_("Publish")).Next(this.end)
    withhold = (
        flow.Function(this.withhold_item)
        .Annotation(title=_("File as not disclosed"))
        .Next(this.end)
    )
    end = flow.End()

    def start_process(self, activation, item: Item, **kwargs):
        activation.process.item = item
        return activation.process

    def publish_item(self, activation):
        from .services.publication import item_publish

        item_publish(process=activation.process.coerced)

    def withhold_item(self, activation):
        from .services.publication import item_file_as_withheld

        item_file_as_withheld(process=activation.process.coerced)


APPROVAL_TASKS = {"approve_section", "approve_unit", "approve_district"}
SCOPE_OF_APPROVAL_TASK = {
    "approve_section": Item.Scope.SECTION,
    "approve_unit": Item.Scope.UNIT,
    "approve_district": Item.Scope.DISTRICT,
}


def request_of(process):
    return process.coerced.request


def _enter_stage(stage):
    """Keep the request's stage beside its clock, so lists and sweeps filter on one indexed row."""

    def on_create(activation):
        from .models import DisclosureRequest

        DisclosureRequest.objects.filter(pk=activation.process.coerced.request_id).update(
            stage=stage
        )

    return on_create


class RequestFlow(flow.Flow):
    """A disclosure request (依申请公开, Regulation Arts. 29-45): completeness check (with at most one
    correction notice, Art. 30) -> assignment -> drafting the answer (Art. 36) -> the same
    confidentiality review and approval by scope as proactive items -> delivery of the letter.

    Consultations (Arts. 32-34) and extensions (Art. 33 ¶2) are not nodes: they pause or lengthen
    the clock while the request sits at any node, see services.request_clock.
    """

    process_class = DisclosureProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Disclosure request")
    process_description = _("Receipt, answer, confidentiality review, approval and delivery")

    start = flow.StartHandle(this.start_process).Next(this.check)

    # As in DisclosureFlow, each decision picks the next node itself (PositionTask.Route); the
    # Switch nodes route the same way, for processes routed through them before and as the
    # fallback.
    check = (
        PositionTask()
        .Annotation(title=_("Completeness check"))
        .Permission("workflow.handle_unit_requests", obj=lambda p: request_of(p).receiving_unit)
        .onCreate(_enter_stage("check"))
        .Route(this.assign, cond=_step_is("complete"))
        .Route(this.await_correction, cond=_step_is("correction"))
        .Next(this.route_check)
    )
    route_check = (
        flow.Switch()
        .Annotation(title=_("Route the completeness check"))
        .Case(this.assign, cond=_step_is("complete"))
        .Case(this.await_correction, cond=_step_is("correction"))
    )
    await_correction = (
        PositionTask()
        .Annotation(title=_("Await the applicant's correction"))
        .Permission("workflow.handle_unit_requests", obj=lambda p: request_of(p).receiving_unit)
        .onCreate(_enter_stage("correction"))
        .Route(this.check, cond=_step_is("corrected"))
        .Route(this.end, cond=_step_is("abandoned"))
        .Next(this.route_correction)
    )
    route_correction = (
        flow.Switch()
        .Annotation(title=_("Route the correction"))
        .Case(this.check, cond=_step_is("corrected"))
        .Case(this.end, cond=_step_is("abandoned"))
    )
    assign = (
        PositionTask()
        .Annotation(title=_("Assign to the handling section"))
        .Permission("workflow.handle_unit_requests", obj=lambda p: request_of(p).receiving_unit)
        .onCreate(_enter_stage("assignment"))
        .Next(this.draft_answer)
    )
    draft_answer = (
        PositionTask()
        .Annotation(title=_("Draft the answer"))
        .Permission("workflow.draft_section_items", obj=lambda p: request_of(p).handling_section)
        # Back from review or approval, the answer returns to whoever drafted it.
        .Assign(lambda a: a.process.coerced.item.author if a.process.coerced.item_id else None)
        .onCreate(_enter_stage("drafting"))
        .Next(this.review)
    )
    review = (
        PositionTask()
        .Annotation(title=_("Confidentiality review"))
        .NotByAuthor()
        .Permission("workflow.review_unit_items", obj=lambda p: request_of(p).handling_unit)
        .onCreate(_enter_stage("review"))
        .Route(this.approve_section, cond=_passed_for(Item.Scope.SECTION))
        .Route(this.approve_unit, cond=_passed_for(Item.Scope.UNIT))
        .Route(this.approve_district, cond=_passed_for(Item.Scope.DISTRICT))
        .Route(this.referral, cond=_review_is("refer"))
        # Returned, or "not disclosable": the drafter rewrites the answer (e.g. as 不予公开).
        .Route(this.draft_answer, cond=_review_is("return"))
        .Route(this.draft_answer, cond=_review_is("withhold"))
        .Next(this.route_review)
    )
    route_review = (
        flow.Switch()
        .Annotation(title=_("Route the review decision"))
        .Case(this.route_approval, cond=_review_is("pass"))
        .Case(this.referral, cond=_review_is("refer"))
        # Returned, or "not disclosable": the drafter rewrites the answer (e.g. as 不予公开).
        .Case(this.draft_answer, cond=_review_is("return"))
        .Case(this.draft_answer, cond=_review_is("withhold"))
    )
    referral = (
        PositionTask()
        .Annotation(title=_("Referral ruling"))
        # A drafter who also reviews for the unit ruling does not rule on their own item.
        .NotByAuthor()
        .Permission("workflow.review_unit_items", obj=referral_unit)
        .onCreate(_enter_stage("review"))
        .Next(this.review)
    )
    # Like route_countersign: kept for the history of earlier processes only.
    route_approval = (
        flow.Switch()
        .Annotation(title=_("Route to the approval level"))
        .Case(this.approve_section, cond=_scope_is(Item.Scope.SECTION))
        .Case(this.approve_unit, cond=_scope_is(Item.Scope.UNIT))
        .Case(this.approve_district, cond=_scope_is(Item.Scope.DISTRICT))
    )
    approve_section = (
        PositionTask()
        .Annotation(title=_("Section head approval"))
        .NotByAuthor()
        .Permission("workflow.approve_section_scope", obj=lambda p: item_of(p).section)
        .onCreate(_enter_stage("approval"))
        .Route(this.deliver, cond=_approval_is("approved"))
        .Route(this.draft_answer, cond=_approval_is("returned"))
        .Route(this.review, cond=_approval_is("changed"))
        .Next(this.route_approved)  # kept for earlier processes; routes the same way
    )
    approve_unit = (
        PositionTask()
        .Annotation(title=_("Unit head approval"))
        .NotByAuthor()
        .Permission("workflow.approve_unit_scope", obj=lambda p: item_of(p).unit)
        .onCreate(_enter_stage("approval"))
        .Route(this.deliver, cond=_approval_is("approved"))
        .Route(this.draft_answer, cond=_approval_is("returned"))
        .Route(this.review, cond=_approval_is("changed"))
        .Next(this.route_approved)  # kept for earlier processes; routes the same way
    )
    approve_district = (
        PositionTask()
        .Annotation(title=_("District office approval"))
        .NotByAuthor()
        .Permission("workflow.approve_district_scope", obj=lambda p: item_of(p).unit.district)
        .onCreate(_enter_stage("approval"))
        .Route(this.deliver, cond=_approval_is("approved"))
        .Route(this.draft_answer, cond=_approval_is("returned"))
        .Route(this.review, cond=_approval_is("changed"))
        .Next(this.route_approved)  # kept for earlier processes; routes the same way
    )
    route_approved = (
        flow.Switch()
        .Annotation(title=_("Route the approval decision"))
        .Case(this.deliver, cond=_approval_is("approved"))
        .Case(this.draft_answer, cond=_approval_is("returned"))
        .Case(this.review, cond=_approval_is("changed"))
    )
    deliver = (
        PositionTask()
        .Annotation(title=_("Deliver the answer letter"))
        .Permission("workflow.handle_unit_requests", obj=lambda p: request_of(p).receiving_unit)
        .onCreate(_enter_stage("delivery"))
        .Next(this.end)
    )
    end = flow.End()

    def start_process(self, activation, request, **kwargs):
        activation.process.request = request
        return activation.process


REQUEST_TASKS = {"check", "await_correction", "assign", "draft_answer", "deliver"}
