"""The steps of a disclosure request, each completing its task of the RequestFlow.

Check (Art. 30) -> correction or not -> assignment -> answer (Arts. 36-39) -> review and approval
(review.services, services.approvals, shared with proactive items) -> delivery of the letter.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from audit.services import audit_log

from ..exceptions import WorkflowError
from ..letter_kinds import cites_a_provision, letter_kind
from ..models import (
    Category,
    DisclosureRequest,
    Item,
    LegalGround,
    Letter,
    Outcome,
    Section,
    Unit,
)
from ..models.requests import OUTCOMES_NEEDING_AGENCY, OUTCOMES_NEEDING_GROUND
from ..workdays import WorkCalendar
from .dates import date_refusal, request_date_floor
from .items import item_set_status
from .letters import letter_issue as letter_issue  # the callers' import
from .letters import letter_preview, no_provision_message
from .outcomes import earlier_request_named, outcome_refusal
from .request_clock import request_clock_update, request_receive
from .tasks import task_complete
from .third_party import disclosure_hold

ANSWER_CATEGORY = "依申请公开答复"


def _locked_request(process) -> DisclosureRequest:
    return DisclosureRequest.objects.select_for_update().get(pk=process.request_id)


def _expect(task: Task, name: str) -> None:
    if task.flow_task.name != name:
        raise ValidationError(_("This task is not the step you tried to complete."))


def request_check(
    *,
    task_id: int,
    user,
    complete: bool,
    confirmed_on: dt.date | None = None,
    correction: str = "",
    correction_due_on: dt.date | None = None,
    today: dt.date | None = None,
) -> DisclosureRequest:
    """Confirm receipt where Art. 31 needs it, then either start handling or send the one
    correction notice Art. 30 allows, within 7 working days of receipt."""
    today = today or timezone.localdate()
    done: list[DisclosureRequest] = []

    def apply(task: Task, process) -> None:
        _expect(task, "check")
        request = _locked_request(process)
        if request.received_on is None:
            if confirmed_on is None:
                raise ValidationError(
                    {"confirmed_on": _("Enter the day receipt was confirmed with the applicant.")}
                )
            refusal = date_refusal(
                confirmed_on, floor=request_date_floor(request.receiving_unit), today=today
            )
            earliest = request.arrived_on or request.submitted_on
            if not refusal and confirmed_on < earliest:
                refusal = _("Receipt cannot be confirmed before it arrived.")
            if refusal:
                raise ValidationError({"confirmed_on": refusal})
            calendar = WorkCalendar.load()
            request.confirmed_on = confirmed_on
            request_receive(request, received=confirmed_on, calendar=calendar)
            request.status = DisclosureRequest.Status.REGISTERED
            request.save()
            request_clock_update(request=request, actor=user, event="started", calendar=calendar)
        if complete:
            process.step_outcome = "complete"
            request.status = DisclosureRequest.Status.IN_PROGRESS
            request.save(update_fields=["status", "updated_at"])
            audit_log(
                actor=user,
                action="request.check.complete",
                subject=request,
                old_state=DisclosureRequest.Status.REGISTERED,
                new_state=request.status,
            )
        else:
            _correction_notice(request, user, correction, correction_due_on, today)
            process.step_outcome = "correction"
        process.save(update_fields=["step_outcome"])
        done.append(request)

    task_complete(task_id=task_id, user=user, apply=apply)
    return done[0]


def _correction_notice(request, user, correction, correction_due_on, today) -> None:
    errors = {}
    if request.letters.filter(kind="correction").exists():
        errors["correction"] = _(
            "A correction was already requested once (Art. 30 allows one notice). Answer the "
            "request, e.g. as still unclear."
        )
    elif request.correction_notice_due_on and today > request.correction_notice_due_on:
        errors["correction"] = _(
            "The correction notice had to go out by %(date)s (7 working days after receipt, "
            "Art. 30). Handle the request as it stands."
        ) % {"date": request.correction_notice_due_on.isoformat()}
    if not correction.strip():
        errors["correction"] = _("Say what the applicant must correct.")
    if correction_due_on is None or correction_due_on <= today:
        errors["correction_due_on"] = _("Give the applicant a deadline after today.")
    if errors:
        raise ValidationError(errors)
    request.correction_due_on = correction_due_on
    request.status = DisclosureRequest.Status.CORRECTION
    request.clock_start = None
    request.save()
    letter_issue(request=request, kind="correction", user=user, on=today, reason=correction)
    request_clock_update(
        request=request,
        actor=user,
        event="stopped",
        comment=correction,
        data={"correction_due_on": correction_due_on.isoformat()},
    )


def request_correction_received(
    *, task_id: int, user, received_on: dt.date, note: str = "", today: dt.date | None = None
) -> DisclosureRequest:
    """The corrected request arrived: the 20-day clock restarts from that day (Art. 30)."""
    today = today or timezone.localdate()
    done: list[DisclosureRequest] = []

    def apply(task: Task, process) -> None:
        _expect(task, "await_correction")
        request = _locked_request(process)
        refusal = date_refusal(
            received_on, floor=request_date_floor(request.receiving_unit), today=today
        )
        if not refusal and request.received_on and received_on < request.received_on:
            refusal = _("The date must lie between the first receipt and today.")
        if refusal:
            raise ValidationError({"received_on": refusal})
        if note.strip():
            request.description = (
                f"{request.description}\n\n【{_('Correction')} {received_on}】{note}"
            )
        request.clock_start = received_on
        request.status = DisclosureRequest.Status.REGISTERED
        request.save()
        request_clock_update(
            request=request,
            actor=user,
            event="restarted",
            comment=note,
            data={"correction_received_on": received_on.isoformat()},
        )
        process.step_outcome = "corrected"
        process.save(update_fields=["step_outcome"])
        done.append(request)

    task_complete(task_id=task_id, user=user, apply=apply)
    return done[0]


def request_abandon(*, task_id: int, user, today: dt.date | None = None) -> DisclosureRequest:
    """No correction by the deadline: treated as abandoned, no longer handled (Art. 30)."""
    today = today or timezone.localdate()
    done: list[DisclosureRequest] = []

    def apply(task: Task, process) -> None:
        _expect(task, "await_correction")
        request = _locked_request(process)
        if request.correction_due_on and today <= request.correction_due_on:
            raise ValidationError(
                _("The applicant has until %(date)s to correct the request.")
                % {"date": request.correction_due_on.isoformat()}
            )
        request.status = DisclosureRequest.Status.ABANDONED
        request.stage = DisclosureRequest.Stage.CLOSED
        request.outcome = Outcome.ABANDONED
        request.answered_on = today
        request.save()
        # Art. 30: the applicant is told the request is treated as abandoned, with the remedies.
        letter_issue(request=request, kind=Outcome.ABANDONED, user=user, on=today)
        request_clock_update(request=request, actor=user, event="closed")
        audit_log(
            actor=user,
            action="request.abandoned",
            subject=request,
            old_state=DisclosureRequest.Status.CORRECTION,
            new_state=request.status,
        )
        process.step_outcome = "abandoned"
        process.save(update_fields=["step_outcome"])
        done.append(request)

    task_complete(task_id=task_id, user=user, apply=apply)
    return done[0]


def request_assign(*, task_id: int, user, section: Section) -> DisclosureRequest:
    """Send the request to the section that holds the information (any unit of the district)."""
    done: list[DisclosureRequest] = []

    def apply(task: Task, process) -> None:
        _expect(task, "assign")
        request = _locked_request(process)
        if section.unit.district_id != request.receiving_unit.district_id:
            raise ValidationError({"section": _("Choose a section of this district.")})
        old = request.handling_section
        request.handling_unit = section.unit
        request.handling_section = section
        request.save(update_fields=["handling_unit", "handling_section", "updated_at"])
        # The history shows states as written: names, not ids.
        audit_log(
            actor=user,
            action="request.assigned",
            subject=request,
            old_state=str(old)[:40] if old else "",  # the audit's state columns hold 40
            new_state=str(section)[:40],
            data={
                "unit": section.unit.name,
                "section": section.name,
                "section_id": section.pk,
                "old_section_id": old.pk if old else None,
            },
        )
        done.append(request)

    task_complete(task_id=task_id, user=user, apply=apply)
    return done[0]


def _validate_answer(outcome, answer, legal_ground, competent_agency) -> None:
    errors = {}
    if not answer.strip():
        errors["answer"] = _("Write the answer to the applicant.")
    if outcome in OUTCOMES_NEEDING_GROUND and legal_ground is None:
        errors["legal_ground"] = _("Choose the legal ground for what is not disclosed.")
    if outcome in OUTCOMES_NEEDING_AGENCY and not competent_agency.strip():
        errors["competent_agency"] = _("Name the competent agency and how to reach it.")
    if outcome == Outcome.ABANDONED:
        errors["outcome"] = _("Abandonment is recorded by the correction step.")
    described = letter_kind(outcome)
    if described and described.answer_cites_provision and not cites_a_provision(answer):
        errors["answer"] = no_provision_message()
    if errors:
        raise ValidationError(errors)


def _earlier_answered(
    request: DisclosureRequest, outcome: Outcome, tracking_code: str
) -> DisclosureRequest | None:
    """For a repeated request, the earlier request it repeats: the one named by its tracking code,
    or the one intake linked. A code naming no request of this applicant to this agency is
    refused with the same words whoever's request it is."""
    if outcome != Outcome.REPEATED:
        return None
    if not tracking_code.strip():
        return request.duplicate_of
    earlier = earlier_request_named(request, tracking_code)
    if earlier is None:
        raise WorkflowError(
            _("No earlier request of this applicant to this agency has the tracking code %(code)s.")
            % {"code": tracking_code.strip()}
        )
    return earlier


def answer_draft(
    *,
    task_id: int,
    user,
    outcome: str,
    answer: str,
    scope: str = Item.Scope.SECTION,
    legal_ground: LegalGround | None = None,
    competent_agency: str = "",
    earlier_request: str = "",
    today: dt.date | None = None,
) -> DisclosureRequest:
    """Write (or rewrite) the answer; it becomes an item of the handling section, so the same
    confidentiality review and approval by scope apply to it as to any proactive item.

    An outcome that needs an earlier step (still unclear, excessive, fee not paid, repeated) is
    refused until that step is on record (services.outcomes). For a repeated request
    `earlier_request` is the tracking code of the applicant's earlier, answered request (default:
    the one intake linked); it is linked to this one."""
    today = today or timezone.localdate()
    outcome = Outcome(outcome)
    _validate_answer(outcome, answer, legal_ground, competent_agency)
    done: list[DisclosureRequest] = []

    def apply(task: Task, process) -> None:
        from review.services.redactions import redactions_reanchor
        from review.services.scanning import item_scan

        _expect(task, "draft_answer")
        request = _locked_request(process)
        earlier = _earlier_answered(request, outcome, earlier_request)
        refusal = outcome_refusal(request, outcome, today=today, earlier=earlier)
        if refusal:
            raise WorkflowError(refusal)
        if earlier is not None:
            request.duplicate_of = earlier
        request.outcome = outcome
        request.legal_ground = legal_ground if outcome in OUTCOMES_NEEDING_GROUND else None
        request.competent_agency = competent_agency if outcome in OUTCOMES_NEEDING_AGENCY else ""
        values = {
            "title": _("Answer to disclosure request %(code)s") % {"code": request.tracking_code},
            "summary": str(outcome.label)[:500],
            "body": answer,
            "scope": scope,
        }
        item = request.answer_item
        if item is None:
            category, _created = Category.objects.get_or_create(name=ANSWER_CATEGORY)
            item = Item.objects.create(
                unit=request.handling_unit,
                section=request.handling_section,
                author=user,
                category=category,
                attribute=Item.Attribute.ON_REQUEST,
                **values,
            )
            request.answer_item = item
            process.item = item
            process.save(update_fields=["item"])
        else:
            for name, value in values.items():
                setattr(item, name, value)
            item.save()
            redactions_reanchor(item=item, user=user)
        request.save()
        # Every draft answer is scanned, like every proactive item.
        item_scan(item=item, user=user)
        item_set_status(
            item=item,
            user=user,
            status=Item.Status.IN_REVIEW,
            action="request.answer.drafted",
            data={
                "request": request.pk,
                "outcome": outcome.value,
                **({"earlier_request": earlier.tracking_code} if earlier else {}),
            },
        )
        process.review_outcome = process.approval_outcome = ""
        process.save(update_fields=["review_outcome", "approval_outcome"])
        done.append(request)

    task_complete(task_id=task_id, user=user, apply=apply)
    return done[0]


def request_deliver(
    *, task_id: int, user, delivered_on: dt.date | None = None, today: dt.date | None = None
) -> Letter:
    """Freeze and send the answer letter; the request closes and its clock stops."""
    today = today or timezone.localdate()
    delivered_on = delivered_on or today
    letters: list[Letter] = []

    def apply(task: Task, process) -> None:
        from review.integrity import release_refusals

        _expect(task, "deliver")
        request = _locked_request(process)
        refusal = date_refusal(
            delivered_on, floor=request_date_floor(request.receiving_unit), today=today
        )
        if not refusal and request.received_on and delivered_on < request.received_on:
            refusal = _("The answer cannot be delivered before the request was received.")
        if refusal:
            raise ValidationError({"delivered_on": refusal})
        item = Item.objects.select_for_update().get(pk=request.answer_item_id)
        # The applicant receives only what review and approval cleared, redacted (Art. 37).
        refusals = release_refusals(item=item, process=process)
        hold = disclosure_hold(request=request, on=delivered_on)
        if hold:
            refusals.append(hold)
        if refusals:
            raise WorkflowError(" ".join(refusals))
        letters.append(
            letter_issue(
                request=request,
                kind=request.outcome,
                user=user,
                on=delivered_on,
                **answer_letter_facts(item=item),
            )
        )
        request.answered_on = delivered_on
        request.status = DisclosureRequest.Status.CLOSED
        request.stage = DisclosureRequest.Stage.CLOSED
        request.save()
        item_set_status(
            item=item,
            user=user,
            status=Item.Status.DELIVERED,
            action="request.answer.delivered",
            data={
                "request": request.pk,
                "on_time": bool(request.due_on and delivered_on <= request.due_on),
            },
        )
        request_clock_update(request=request, actor=user, event="closed")

    task_complete(task_id=task_id, user=user, apply=apply)
    return letters[0]


def answer_letter_facts(*, item: Item) -> dict[str, str]:
    """What the answer letter quotes of the answer: its public version, each withheld passage as
    its mark (Art. 37), and the redaction log line by line."""
    from review.content import BODY, public_texts
    from review.selectors import redaction_log_text

    with translation.override("zh-hans"):
        return {"answer": public_texts(item)[BODY], "redactions": redaction_log_text(item=item)}


def answer_letter_preview(
    *, request: DisclosureRequest, on: dt.date
) -> tuple[Letter, list[str]] | None:
    """The answer letter as delivery would issue it on `on` (same model text, same facts, no
    number yet), with what would stop it; None while no answer is drafted."""
    if not request.outcome or request.answer_item_id is None:
        return None
    letter, refusals = letter_preview(
        request=request,
        kind=request.outcome,
        on=on,
        **answer_letter_facts(item=request.answer_item),
    )
    hold = disclosure_hold(request=request, on=on)
    if hold:
        refusals.append(hold)
    return letter, refusals


def handling_sections(*, request: DisclosureRequest):
    return Section.objects.filter(
        unit__district_id=request.receiving_unit.district_id,
        unit__kind__in=Unit.ANSWERING_KINDS,
    ).select_related("unit")
