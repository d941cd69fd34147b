"""Staff pages for disclosure requests: list, registration, the request page with its clock, and
the side actions (consultations, extensions, letters, conversion)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.selectors import alerts_for_request
from review.permissions import (
    can_approve_extension,
    can_handle_request,
    objects_with_perm,
    requests_visible_to,
)

from ..forms_requests import (
    ConsultationCloseForm,
    ConsultationForm,
    ConsultationReceiptForm,
    DisclosureNoticeForm,
    ExtensionDecisionForm,
    ExtensionForm,
    FeeNoticeForm,
    FeePaymentForm,
    ReasonsAnswerForm,
    ReasonsDecisionForm,
    ReasonsRequestForm,
    RegisterForm,
)
from ..letters import (
    NOT_TO_THE_APPLICANT,
    letter_docx,
    letter_pdf,
    letter_sheet,
    request_reference,
)
from ..models import DisclosureRequest, Unit
from ..selectors import (
    extensions_waiting_for,
    request_clock_history,
    request_get_for_user,
    request_history,
    request_open_tasks,
    requests_for_user,
    unconfirmed_calendar_requests,
)
from ..services.consultations import (
    consultation_close,
    consultation_open,
    consultation_receipt_record,
)
from ..services.fees import fee_notice_issue, fee_notice_of, fee_payment_record
from ..services.intake import REQUEST_FIELDS, request_register
from ..services.reasons import (
    reasons_decidable,
    reasons_decide,
    reasons_record,
    reasons_request,
    reasons_waiting,
)
from ..services.request_actions import (
    conversion_proposed,
    extension_decide,
    extension_request,
    extension_too_late,
    request_convert_to_proactive,
    same_information_requests,
)
from ..services.request_clock import request_deadline
from ..services.requests import answer_letter_preview
from ..services.third_party import third_party_disclosure_notify
from .errors import call_service


def _registering_units(user):
    return Unit.objects.filter(pk__in=objects_with_perm(user, "handle_unit_requests"))


@login_required
def request_list(request):
    requests = requests_for_user(user=request.user)
    status = request.GET.get("status", "open")
    if status == "open":
        requests = requests.filter(status__in=DisclosureRequest.OPEN_STATUSES)
    elif status in DisclosureRequest.Status.values:
        requests = requests.filter(status=status)
    return render(
        request,
        "workflow/request_list.html",
        {
            "requests": requests[:500],
            "status": status,
            "statuses": DisclosureRequest.Status.choices,
            "today": timezone.localdate(),
            "can_register": _registering_units(request.user).exists(),
            "unconfirmed_count": unconfirmed_calendar_requests(user=request.user).count(),
            "extensions": extensions_waiting_for(user=request.user),
        },
    )


@login_required
def request_create(request):
    units = _registering_units(request.user)
    if not units.exists():
        raise Http404
    form = RegisterForm(
        request.POST or None,
        units=units,
        initial={"submitted_on": timezone.localdate(), "receiving_unit": units.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in REQUEST_FIELDS}
        created = call_service(
            request,
            form,
            request_register,
            user=request.user,
            unit=form.cleaned_data["receiving_unit"],
            data=data,
        )
        if created:
            messages.success(
                request,
                _("Request registered with tracking code %(code)s.")
                % {"code": created.tracking_code},
            )
            return redirect("workflow:request_detail", pk=created.pk)
    return render(request, "workflow/request_form.html", {"form": form})


def _detail_page(request, req, **bound):
    """The request page; `bound` holds a side form that came back with errors, so they show
    beside its fields."""
    deadline = request_deadline(req)
    handler = can_handle_request(request.user, req) and req.status == "in_progress"
    today = timezone.localdate()
    # The comparison reads up to 500 requests: do it once for the list and the proposal.
    same_information = same_information_requests(request=req)
    # A tracking code is the applicant's key to the public status page: the page names only the
    # requests the viewer may open, and counts the others (one query for all of them).
    openable = (
        set(
            requests_visible_to(request.user)
            .filter(pk__in=[other.pk for other in same_information])
            .values_list("pk", flat=True)
        )
        if same_information
        else set()
    )
    same_information_shown = [other for other in same_information if other.pk in openable]
    fee = fee_notice_of(req)
    forms = {
        "consultation_form": ConsultationForm(initial={"sent_on": today}) if handler else None,
        "close_form": ConsultationCloseForm(initial={"replied_on": today}) if handler else None,
        "receipt_form": ConsultationReceiptForm(initial={"received_on": today})
        if handler
        else None,
        "extension_form": ExtensionForm() if handler else None,
        "decision_form": ExtensionDecisionForm(),
        # Art. 32: to a third party that objected, the notice of a decision to disclose.
        "notice_form": DisclosureNoticeForm(initial={"on": today}) if handler else None,
        # Art. 35: ask for reasons, record them, judge them, each while it is the next step.
        "reasons_request_form": ReasonsRequestForm()
        if handler and req.reasons_requested_on is None
        else None,
        "reasons_answer_form": ReasonsAnswerForm(initial={"received_on": today})
        if handler
        and req.reasons_requested_on
        and req.reasons_received_on is None
        and not req.reasons_decision
        else None,
        "reasons_decision_form": ReasonsDecisionForm()
        if handler and reasons_decidable(req, today=today)
        else None,
        # Art. 42, 国办函〔2020〕109号: the fee notice once, then its payment while it is open.
        "fee_notice_form": FeeNoticeForm() if handler and fee is None else None,
        "fee_payment_form": FeePaymentForm(initial={"paid_on": today})
        if handler and fee is not None and fee.is_open
        else None,
        **bound,
    }
    return render(
        request,
        "workflow/request_detail.html",
        {
            "req": req,
            "deadline": deadline,
            "explanation": deadline.explanation() if deadline else [],
            # Art. 33 ¶2: said beside the extension forms once the original due date is over.
            "extension_late": extension_too_late(req, today=today),
            "reasons_waiting": reasons_waiting(req, today=today),
            "fee": fee,
            "fee_overdue": bool(fee and fee.is_open and today > fee.pay_by),
            "clock_history": request_clock_history(request=req),
            "history": request_history(request=req),
            "alerts": alerts_for_request(request=req),
            "tasks": request_open_tasks(request=req),
            "consultations": req.consultations.all(),
            "extensions": req.extensions.select_related("requested_by", "decided_by"),
            "letters": req.letters.all(),
            # The answer letter can be read before it is issued (delivery issues it).
            "answer_drafted": bool(req.outcome and req.answer_item_id and req.is_open),
            "attachments": req.attachments.all(),
            "same_information": same_information_shown[:20],
            "same_information_hidden": len(same_information) - len(same_information_shown),
            "conversion_proposed": conversion_proposed(request=req, others=same_information),
            "can_handle": handler,
            "can_decide_extension": can_approve_extension(request.user, req),
            **forms,
        },
    )


@login_required
def request_detail(request, pk):
    return _detail_page(request, request_get_for_user(user=request.user, pk=pk))


def _back(request, pk, form, result, success):
    if result:
        messages.success(request, success)
    elif form is not None and form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("workflow:request_detail", pk=pk)


def _field_errors(form) -> bool:
    """The form was refused for its fields (not for who asked): show it again with them."""
    return bool(form.errors) and any(name in form.fields for name in form.errors)


@login_required
@require_POST
def consultation_open_view(request, pk):
    req = request_get_for_user(user=request.user, pk=pk)
    form = ConsultationForm(request.POST)
    result = form.is_valid() and call_service(
        request,
        form,
        consultation_open,
        request_id=req.pk,
        user=request.user,
        **form.cleaned_data,
    )
    if not result and _field_errors(form):
        return _detail_page(request, req, consultation_form=form, consultation_open_errors=True)
    return _back(request, req.pk, form, result, _("Consultation recorded: the clock is paused."))


@login_required
@require_POST
def consultation_close_view(request, pk, consultation_pk):
    """A consultation's two later facts: the day the party received the letter (`step=receipt`),
    then its opinion, which closes it."""
    req = request_get_for_user(user=request.user, pk=pk)
    consultation = get_object_or_404(req.consultations, pk=consultation_pk)
    if request.POST.get("step") == "receipt":
        form = ConsultationReceiptForm(request.POST)
        result = form.is_valid() and call_service(
            request,
            form,
            consultation_receipt_record,
            consultation_id=consultation.pk,
            user=request.user,
            received_on=form.cleaned_data["received_on"],
        )
        if not result and _field_errors(form):
            return _detail_page(request, req, receipt_form=form, receipt_form_for=consultation.pk)
        return _back(
            request, req.pk, form, result, _("Receipt recorded: the party's 15 days run from it.")
        )
    form = ConsultationCloseForm(request.POST)
    result = form.is_valid() and call_service(
        request,
        form,
        consultation_close,
        consultation_id=consultation.pk,
        user=request.user,
        **form.cleaned_data,
    )
    return _back(request, req.pk, form, result, _("Consultation closed: the clock runs again."))


@login_required
@require_POST
def disclosure_notice_view(request, pk, consultation_pk):
    """Art. 32: tell a third party that objected what will be disclosed, why, and when."""
    req = request_get_for_user(user=request.user, pk=pk)
    consultation = get_object_or_404(req.consultations, pk=consultation_pk)
    form = DisclosureNoticeForm(request.POST)
    result = form.is_valid() and call_service(
        request,
        form,
        third_party_disclosure_notify,
        consultation_id=consultation.pk,
        user=request.user,
        **form.cleaned_data,
    )
    if not result and _field_errors(form):
        return _detail_page(request, req, notice_form=form, notice_form_for=consultation.pk)
    return _back(
        request,
        req.pk,
        form,
        result,
        _("Notice issued: the information is disclosed after 15 working days."),
    )


REASONS_STEPS = {
    # step: (form, service, form name on the page, success message)
    "request": (
        ReasonsRequestForm,
        reasons_request,
        "reasons_request_form",
        _("The request for reasons was issued."),
    ),
    "answer": (
        ReasonsAnswerForm,
        reasons_record,
        "reasons_answer_form",
        _("The applicant's reasons were recorded."),
    ),
    "decide": (
        ReasonsDecisionForm,
        reasons_decide,
        "reasons_decision_form",
        _("The judgment of the reasons was recorded."),
    ),
}


def _step_post(request, pk, steps: dict, errors_flag: str, prepare=None):
    """One of a request's multi-step side forms (`steps`: step -> form, service, form name on the
    page, success message): the posted `step` chooses the form; its cleaned data, passed through
    `prepare(step, data)`, goes to the service, which checks who may act."""
    req = request_get_for_user(user=request.user, pk=pk)
    step = request.POST.get("step")
    if step not in steps:
        raise Http404
    form_class, service, name, success = steps[step]
    form = form_class(request.POST)
    result = None
    if form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "step"}
        if prepare:
            prepare(step, data)
        result = call_service(request, form, service, request_id=req.pk, user=request.user, **data)
    if not result and _field_errors(form):
        return _detail_page(request, req, **{name: form, errors_flag: True})
    return _back(request, req.pk, form, result, success)


def _reasons_data(step: str, data: dict) -> None:
    if step == "decide":
        data["reasonable"] = data.pop("decision") == "reasonable"


@login_required
@require_POST
def reasons_view(request, pk):
    """Art. 35: ask the applicant for reasons (`step=request`), record them (`answer`), judge
    them (`decide`)."""
    return _step_post(request, pk, REASONS_STEPS, "reasons_errors", _reasons_data)


FEE_STEPS = {
    # step: (form, service, form name on the page, success message)
    "issue": (
        FeeNoticeForm,
        fee_notice_issue,
        "fee_notice_form",
        _("The fee notice was issued: the clock is paused until payment."),
    ),
    "pay": (
        FeePaymentForm,
        fee_payment_record,
        "fee_payment_form",
        _("Payment recorded: the clock runs again."),
    ),
}


def _fee_data(step: str, data: dict) -> None:
    if step == "issue":
        data["payment"] = data["payment"] or ""


@login_required
@require_POST
def fee_view(request, pk):
    """Art. 42, 国办函〔2020〕109号: issue the fee notice (`step=issue`), record payment (`pay`)."""
    return _step_post(request, pk, FEE_STEPS, "fee_errors", _fee_data)


@login_required
@require_POST
def extension_request_view(request, pk):
    req = request_get_for_user(user=request.user, pk=pk)
    form = ExtensionForm(request.POST)
    result = form.is_valid() and call_service(
        request, form, extension_request, request_id=req.pk, user=request.user, **form.cleaned_data
    )
    return _back(request, req.pk, form, result, _("Extension requested."))


@login_required
@require_POST
def extension_decide_view(request, pk, extension_pk):
    req = request_get_for_user(user=request.user, pk=pk)
    extension = get_object_or_404(req.extensions, pk=extension_pk)
    form = ExtensionDecisionForm(request.POST)
    result = form.is_valid() and call_service(
        request,
        form,
        extension_decide,
        extension_id=extension.pk,
        user=request.user,
        approve=form.cleaned_data["decision"] == "approve",
        comment=form.cleaned_data["comment"],
    )
    return _back(request, req.pk, form, result, _("Extension decided."))


@login_required
@require_POST
def request_convert_view(request, pk):
    req = request_get_for_user(user=request.user, pk=pk)
    item = call_service(
        request, None, request_convert_to_proactive, request_id=req.pk, user=request.user
    )
    if item:
        messages.success(request, _("A proactive item was created and sent to review."))
        return redirect("workflow:item_detail", pk=item.pk)
    return redirect("workflow:request_detail", pk=req.pk)


@login_required
def letter_download(request, pk, letter_pk, fmt):
    req = request_get_for_user(user=request.user, pk=pk)
    letter = get_object_or_404(req.letters, pk=letter_pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    if fmt == "docx":
        content = letter_docx(letter)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        content = letter_pdf(letter)
        content_type = "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    # The file travels with the letter: one to a third party is named without the tracking code.
    name = request_reference(req) if letter.kind in NOT_TO_THE_APPLICANT else req.tracking_code
    filename = f"{name}-{letter.kind}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _print_page(request, req, letter, *, preview: bool, refusals=()):
    return render(
        request,
        "workflow/letter_print.html",
        {
            "req": req,
            "letter": letter,
            "sheet": letter_sheet(letter),
            "preview": preview,
            "refusals": refusals,
        },
    )


@login_required
def letter_print(request, pk, letter_pk):
    """An issued letter as a page to print (A4, GB/T 9704 layout in print CSS)."""
    req = request_get_for_user(user=request.user, pk=pk)
    letter = get_object_or_404(req.letters, pk=letter_pk)
    return _print_page(request, req, letter, preview=False)


@login_required
def answer_letter_print(request, pk):
    """The answer letter as delivery would issue it today, to read and print before it goes out:
    rendered from the model text now, not frozen, and without its number."""
    req = request_get_for_user(user=request.user, pk=pk)
    preview = answer_letter_preview(request=req, on=timezone.localdate()) if req.is_open else None
    if preview is None:
        # Nothing drafted yet, or already delivered (its letter has its own print page).
        return render(request, "workflow/letter_print.html", {"req": req, "letter": None})
    letter, refusals = preview
    return _print_page(request, req, letter, preview=True, refusals=refusals)
