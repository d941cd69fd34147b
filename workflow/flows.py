"""The proactive-disclosure flow: draft -> confidentiality review -> approval by scope -> publication.

Approval level by scope follows seed 000 §三(一) and seed 003 §7 (分级审批); review before
publication follows Regulation Art. 17 (先审查、后公开).
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from .models import DisclosureProcess, Item
from .nodes import PositionTask


def item_of(process) -> Item:
    return process.coerced.item


def _review_is(outcome):
    return lambda activation: activation.process.coerced.review_outcome == outcome


def _scope_is(scope):
    return lambda activation: item_of(activation.process).scope == scope


def _approval_is(outcome):
    return lambda activation: activation.process.coerced.approval_outcome == outcome


class DisclosureFlow(flow.Flow):
    process_class = DisclosureProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Proactive disclosure")
    process_description = _("Drafting, confidentiality review, approval and publication")

    start = flow.StartHandle(this.start_process).Next(this.review)

    review = (
        PositionTask()
        .Annotation(title=_("Confidentiality review"))
        .Permission("workflow.review_unit_items", obj=lambda p: item_of(p).unit)
        .Next(this.route_review)
    )
    route_review = (
        flow.Switch()
        .Annotation(title=_("Route the review decision"))
        .Case(this.route_approval, cond=_review_is("pass"))
        .Case(this.rework, cond=_review_is("return"))
        .Case(this.referral, cond=_review_is("refer"))
        .Case(this.withhold, cond=_review_is("withhold"))
    )
    referral = (
        PositionTask()
        .Annotation(title=_("Secrecy bureau ruling"))
        .Permission("workflow.rule_referrals", obj=lambda p: item_of(p).unit.district)
        .Next(this.review)
    )
    rework = (
        PositionTask()
        .Annotation(title=_("Revise and resubmit"))
        .Assign(lambda activation: item_of(activation.process).author)
        .Next(this.review)
    )
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
        .Permission("workflow.approve_section_scope", obj=lambda p: item_of(p).section)
        .Next(this.route_approved)
    )
    approve_unit = (
        PositionTask()
        .Annotation(title=_("Unit head approval"))
        .Permission("workflow.approve_unit_scope", obj=lambda p: item_of(p).unit)
        .Next(this.route_approved)
    )
    approve_district = (
        PositionTask()
        .Annotation(title=_("District office approval"))
        .Permission("workflow.approve_district_scope", obj=lambda p: item_of(p).unit.district)
        .Next(this.route_approved)
    )
    route_approved = (
        flow.Switch()
        .Annotation(title=_("Route the approval decision"))
        .Case(this.publish, cond=_approval_is("approved"))
        .Case(this.rework, cond=_approval_is("returned"))
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
