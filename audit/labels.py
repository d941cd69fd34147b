"""What the audit codes and states mean, in the reader's language. The codes stay stable English
identifiers in the database; pages show these labels, so no code leaks into the interface."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "workflow.item.created": _("Draft created"),
    "workflow.item.edited": _("Draft edited"),
    "workflow.item.attachment_added": _("Attachment added"),
    "workflow.item.submitted": _("Submitted for confidentiality review"),
    "workflow.item.resubmitted": _("Resubmitted after revision"),
    "workflow.item.published": _("Published"),
    "workflow.item.withheld": _("Filed as not disclosed"),
    "workflow.item.publication_due_changed": _("Publication deadline recomputed"),
    "workflow.task.claimed": _("Task claimed"),
    "workflow.task.released": _("Task put back in the queue"),
    "workflow.task.completed": _("Task completed"),
    "workflow.task.reassigned": _("Task reassigned (escalation)"),
    "workflow.approval.approved": _("Approved"),
    "workflow.approval.returned": _("Returned by the approver"),
    "workflow.calendar.saved": _("Working-day calendar saved"),
    "workflow.calendar.deleted": _("Working-day calendar deleted"),
    "review.scan.completed": _("Confidentiality scan"),
    "review.decision.passed": _("Confidentiality review passed"),
    "review.decision.returned": _("Returned by the reviewer"),
    "review.decision.withheld": _("Found not disclosable"),
    "review.referral.requested": _("Referred for a ruling"),
    "review.referral.ruled": _("Referral ruled"),
    "review.redaction.added": _("Passage redacted"),
    "review.redaction.moved": _("Redaction moved with its text"),
    "review.redaction.withdrawn": _("Redaction withdrawn"),
    "review.finding.dismissed": _("Finding marked not sensitive"),
    "review.integrity.changed_after_review": _("Content changed after review"),
    "review.countersign.unit_named": _("Unit named to countersign"),
    "review.countersign.unit_removed": _("Unit removed from countersigning"),
    "review.countersign.requested": _("Countersignatures requested"),
    "review.countersign.confirmed": _("Countersigned"),
    "review.countersign.objected": _("Countersignature refused"),
    "review.countersign.completed": _("Countersignatures complete"),
    "review.countersign.returned": _("Returned after an objection"),
    "review.referral.due_changed": _("Ruling date moved by a calendar change"),
    "review.countersign.due_changed": _("Countersignature date moved by a calendar change"),
    "request.registered": _("Request registered"),
    "request.check.complete": _("Request found complete"),
    "request.assigned": _("Assigned to a section"),
    "request.answer.drafted": _("Answer drafted"),
    "request.answer.delivered": _("Answer delivered"),
    "request.abandoned": _("Treated as abandoned"),
    "request.letter.issued": _("Letter issued"),
    "request.extension.requested": _("Extension requested"),
    "request.extension.approved": _("Extension approved"),
    "request.extension.refused": _("Extension refused"),
    "request.converted_to_proactive": _("Converted to proactive disclosure"),
    "request.reasons.requested": _("Applicant asked to state reasons (Art. 35)"),
    "request.reasons.received": _("Applicant's reasons recorded"),
    "request.reasons.judged": _("Applicant's reasons judged"),
    "request.clock.deferred": _("Answer deferred to a later date (Art. 35)"),
    "request.clock.started": _("Clock started"),
    "request.clock.stopped": _("Clock stopped for a correction"),
    "request.clock.restarted": _("Clock restarted"),
    "request.clock.paused": _("Clock paused for a consultation"),
    "request.clock.resumed": _("Clock resumed"),
    "request.clock.extended": _("Deadline extended"),
    "request.clock.closed": _("Clock closed"),
    "request.clock.calendar_changed": _("Deadline moved by a calendar change"),
    "request.clock.fee_paused": _("Clock paused for a fee notice"),
    "request.fee.issued": _("Fee notice issued (Art. 42)"),
    "request.fee.paid": _("Fee paid"),
    "request.fee.lapsed": _("Fee not paid in time: treated as abandoned"),
    "request.consultation.received": _("Consulted party's receipt of the letter recorded"),
    "request.consultation.lapsed": _("Consultation closed: no opinion in time"),
    "request.consultation.due_changed": _("Consulted party's date moved by a calendar change"),
    "notifications.reminder": _("Deadline reminder"),
    "notifications.escalation": _("Escalation"),
    "notifications.preferences.changed": _("Notification preferences changed"),
    "notifications.applicant_template.created": _("Message to applicants created"),
    "notifications.applicant_template.updated": _("Message to applicants changed"),
    "organisation.position.assigned": _("Position assigned"),
    "organisation.position.saved": _("Position changed"),
    "organisation.position.removed": _("Position removed"),
    "accounts.password.changed": _("Password changed"),
    "portal.guide.created": _("Disclosure guide created"),
    "portal.guide.updated": _("Disclosure guide changed"),
}


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else str(_("Other change"))


def state_label(value: str) -> str:
    """A status code as its label; dates and anything unknown are shown as they are."""
    from viewflow.workflow.status import STATUS

    from workflow.models import DisclosureRequest, Item, ReasonsDecision

    for choices in (Item.Status, DisclosureRequest.Status, ReasonsDecision):
        if value in choices.values:
            return str(choices(value).label)
    try:
        return str(STATUS(value).label)
    except ValueError:
        return value
