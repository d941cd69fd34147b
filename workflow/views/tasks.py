"""Our own task pages. Viewflow's task views are not routed (they leak across units, #505)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.status import STATUS

from audit.selectors import audit_history_for
from review.models import Referral, ReviewDecision
from review.permissions import is_authors_own_task, task_claimable_by
from review.selectors import public_version, review_panel
from review.services import referral_rule, review_decide

from ..flows import APPROVAL_TASKS, REQUEST_TASKS
from ..forms import ApprovalForm, ReviewForm, RulingForm
from ..forms_requests import AnswerForm, AssignForm, CheckForm, CorrectionForm, DeliverForm
from ..letters import letter_sheet
from ..models import ApprovalDecision
from ..selectors import process_get_for_user, process_tasks, task_get_for_user, unstaffed_tasks
from ..services import requests as request_steps
from ..services.approvals import approval_decide
from ..services.outcomes import earlier_request_refusal, outcome_refusals
from ..services.tasks import task_claim, task_release
from ..worklist import task_row
from .errors import call_service


def _form_for(task, data=None):
    name = task.flow_task.name
    if name == "review":
        item = task.process.disclosureprocess.item
        return ReviewForm(data, district=item.unit.district_id, exclude_unit=item.unit, item=item)
    if name == "referral":
        return RulingForm(data)
    if name in APPROVAL_TASKS:
        return ApprovalForm(data)
    return None


def _complete(request, task, form):
    name = task.flow_task.name
    data = form.cleaned_data
    if name == "review":
        return call_service(
            request,
            form,
            review_decide,
            task_id=task.pk,
            user=request.user,
            outcome=data["outcome"],
            comment=data["comment"],
            legal_ground=data["legal_ground"],
            refer_to=data["refer_to"],
            raise_scope_to=data["raise_scope_to"],
            raise_reason=data["raise_reason"],
        )
    if name == "referral":
        return call_service(
            request,
            form,
            referral_rule,
            task_id=task.pk,
            user=request.user,
            ruling=data["ruling"],
            comment=data["comment"],
        )
    return call_service(
        request,
        form,
        approval_decide,
        task_id=task.pk,
        user=request.user,
        approve=data["decision"] == "approve",
        comment=data["comment"],
    )


def _request_form_for(task, req, data=None):
    name = task.flow_task.name
    today = timezone.localdate()
    if name == "check":
        return CheckForm(data, initial={"decision": "complete", "confirmed_on": today})
    if name == "await_correction":
        return CorrectionForm(data, initial={"received_on": today})
    if name == "assign":
        return AssignForm(data, sections=request_steps.handling_sections(request=req))
    if name == "draft_answer":
        item = req.answer_item
        initial = {"outcome": req.outcome, "legal_ground": req.legal_ground_id}
        if item is not None:
            initial.update(answer=item.body, scope=item.scope)
        initial["competent_agency"] = req.competent_agency
        if req.duplicate_of_id and not earlier_request_refusal(req, req.duplicate_of):
            initial["earlier_request"] = req.duplicate_of.tracking_code
        # Outcomes whose earlier step is missing are not offered; the page says why.
        return AnswerForm(data, initial=initial, unavailable=outcome_refusals(req, today=today))
    return DeliverForm(data, initial={"delivered_on": today})


def _request_complete(request, task, form):
    name = task.flow_task.name
    data = form.cleaned_data
    common = {"task_id": task.pk, "user": request.user}
    if name == "check":
        return call_service(
            request,
            form,
            request_steps.request_check,
            complete=data["decision"] == "complete",
            confirmed_on=data["confirmed_on"],
            correction=data["correction"],
            correction_due_on=data["correction_due_on"],
            **common,
        )
    if name == "await_correction":
        if data["action"] == "abandon":
            return call_service(request, form, request_steps.request_abandon, **common)
        return call_service(
            request,
            form,
            request_steps.request_correction_received,
            received_on=data["received_on"],
            note=data["note"],
            **common,
        )
    if name == "assign":
        return call_service(
            request, form, request_steps.request_assign, section=data["section"], **common
        )
    if name == "draft_answer":
        return call_service(request, form, request_steps.answer_draft, **data, **common)
    return call_service(
        request, form, request_steps.request_deliver, delivered_on=data["delivered_on"], **common
    )


def _post(request, task, form, complete, *done_url):
    """Complete the task from a POST; a response when done or refused, None to show the errors."""
    if form is None:
        messages.error(
            request,
            _(
                "This task is no longer open to you: someone else has already handled it, or it was never yours."
            ),
        )
        return redirect("workflow:task_detail", pk=task.pk)
    if form.is_valid() and complete(request, task, form):
        messages.success(
            request, _("Task completed: %(title)s") % {"title": task.flow_task.task_title}
        )
        return redirect(*done_url)
    return None


def _request_task_detail(request, task, can_act):
    req = task.process.disclosureprocess.request
    form = _request_form_for(task, req, request.POST or None) if can_act else None
    if request.method == "POST":
        done = _post(request, task, form, _request_complete, "workflow:request_detail", req.pk)
        if done:
            return done
    extra = {}
    if task.flow_task.name == "deliver":
        # The letter as delivery will issue it: the same model text and facts, dated today, its
        # number given only when issued; what would stop it is said above it.
        preview = request_steps.answer_letter_preview(request=req, on=timezone.localdate())
        if preview is not None:
            letter, refusals = preview
            extra = {"letter": letter, "sheet": letter_sheet(letter), "refusals": refusals}
    return render(
        request,
        "workflow/request_task.html",
        {
            "task": task,
            "req": req,
            "form": form,
            "can_act": can_act,
            "can_claim": task_claimable_by(request.user, task),
            **extra,
        },
    )


def _unsure_question(panel: dict) -> str:
    """The question of a one-click referral: the reviewer is unsure (疑密从紧), and what is open."""
    question = _(
        "The reviewer cannot decide whether this item may be disclosed; please rule on it "
        "(Regulation Art. 17 ¶3)."
    )
    undecided = [
        f"{f['where']}: {f['finding'].text[:40]}"
        for f in panel["findings"]
        if f["finding"].resolution == "open"
    ]
    if undecided:
        question += " " + _("Undecided: %(list)s") % {"list": "; ".join(undecided[:20])}
    return question


@login_required
def task_detail(request, pk):
    task = task_get_for_user(user=request.user, pk=pk)
    item = task.process.disclosureprocess.item
    # The author reaching their own review or approval reads it only (separation of duties).
    own_work = is_authors_own_task(request.user, task)
    can_act = not own_work and (
        (task.status == STATUS.ASSIGNED and task.owner_id == request.user.pk)
        or task_claimable_by(request.user, task)
    )
    if task.flow_task.name in REQUEST_TASKS:
        return _request_task_detail(request, task, can_act)
    form = _form_for(task, request.POST or None) if can_act else None
    if request.method == "POST":
        done = _post(request, task, form, _complete, "workflow:inbox")
        if done:
            return done
    is_approval = task.flow_task.name in APPROVAL_TASKS
    # The reviewer's decision card and the approver's page read the same state (review.readiness).
    panel = review_panel(item=item, user=request.user)
    extra = {}
    if task.flow_task.name == "review":
        extra["unsure_question"] = _unsure_question(panel)
    if is_approval:
        extra = {
            "row": task_row(task=task, today=timezone.localdate()),
            "public": public_version(item=item),
            "history": audit_history_for(subject=item),
        }
    return render(
        request,
        "workflow/approval_task.html" if is_approval else "workflow/task_detail.html",
        {
            **extra,
            "task": task,
            "item": item,
            "form": form,
            "can_act": can_act,
            "can_claim": task_claimable_by(request.user, task),
            "is_rework": task.flow_task.name == "rework",
            "reviews": ReviewDecision.objects.filter(item=item).select_related(
                "reviewer", "legal_ground"
            ),
            "referrals": Referral.objects.filter(item=item).select_related(
                "requested_by", "ruled_by", "to_unit"
            ),
            "approvals": ApprovalDecision.objects.filter(item=item).select_related("approver"),
            "attachments": item.attachments.all(),
            "answered_request": task.process.disclosureprocess.request,
            "panel": panel,
            "own_work": own_work,
            "unstaffed": unstaffed_tasks(tasks=[task], author_id=item.author_id),
        },
    )


@login_required
@require_POST
def task_claim_view(request, pk):
    task = task_get_for_user(user=request.user, pk=pk)
    if call_service(request, None, task_claim, task_id=task.pk, user=request.user):
        messages.success(request, _("Task claimed."))
    return redirect("workflow:task_detail", pk=task.pk)


@login_required
@require_POST
def task_release_view(request, pk):
    task = task_get_for_user(user=request.user, pk=pk)
    if call_service(request, None, task_release, task_id=task.pk, user=request.user):
        messages.success(request, _("Task returned to the queue."))
    return redirect("workflow:inbox")


@login_required
def process_detail(request, pk):
    process = process_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "workflow/process_detail.html",
        {"process": process, "item": process.item, "tasks": process_tasks(process=process)},
    )
