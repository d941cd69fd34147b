"""Thin views of the confidentiality review: parse, call a service, go back where the user was."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.models import Unit
from workflow.selectors import item_get_for_user
from workflow.views.errors import call_service

from . import services
from .content import BODY
from .forms import (
    AttachmentReplaceForm,
    CountersignDecisionForm,
    CountersignUnitForm,
    FindingDismissForm,
    FindingRedactForm,
    FindingsKindForm,
    ManualCheckForm,
    PassageRedactForm,
    WithdrawForm,
)
from .models import Countersign
from .selectors import (
    countersign_get_for_user,
    countersigns_for_user,
    review_panel,
)


def _back(request, item):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("workflow:item_detail", pk=item.pk)


def _form_errors(request, form) -> None:
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))


@login_required
@require_POST
def item_rescan(request, pk):
    # 404 for whoever cannot read the item; a reader who may not rescan it is refused with a
    # message by the service (review.services.scanning.item_rescan).
    from .services.scanning import item_rescan as rescan

    item = item_get_for_user(user=request.user, pk=pk)
    if call_service(request, None, rescan, item=item, user=request.user):
        messages.success(request, _("Scan complete."))
    return _back(request, item)


def _act(request, back_to, form, service, success, **arguments):
    """Validate a small POST form, call the service with the cleaned data, go back."""
    if not form.is_valid():
        _form_errors(request, form)
    else:
        result = call_service(
            request,
            None,
            service,
            user=request.user,
            **{k: v(form.cleaned_data) if callable(v) else v for k, v in arguments.items()},
        )
        if result is not None:
            messages.success(request, success if isinstance(success, str) else success(result))
    return _back(request, back_to)


@login_required
@require_POST
def finding_redact(request, pk, finding_pk):
    item = item_get_for_user(user=request.user, pk=pk)
    finding = get_object_or_404(item.findings, pk=finding_pk)
    return _act(
        request,
        item,
        FindingRedactForm(request.POST),
        services.finding_redact,
        _("Redacted wherever it occurs in the item."),
        finding_id=finding.pk,
        ground=lambda data: data["ground"],
    )


@login_required
@require_POST
def finding_dismiss(request, pk, finding_pk):
    item = item_get_for_user(user=request.user, pk=pk)
    finding = get_object_or_404(item.findings, pk=finding_pk)
    return _act(
        request,
        item,
        FindingDismissForm(request.POST),
        services.finding_dismiss,
        _("Marked as not sensitive."),
        finding_id=finding.pk,
        note=lambda data: data["note"],
    )


@login_required
@require_POST
def findings_redact_kind(request, pk):
    item = item_get_for_user(user=request.user, pk=pk)
    return _act(
        request,
        item,
        FindingsKindForm(request.POST),
        services.findings_redact_kind,
        lambda count: _("%(count)d finding(s) redacted everywhere in the item.") % {"count": count},
        item=item,
        kind=lambda data: data["kind"],
        ground=lambda data: data["ground"],
    )


@login_required
@require_POST
def passage_redact(request, pk):
    item = item_get_for_user(user=request.user, pk=pk)
    return _act(
        request,
        item,
        PassageRedactForm(request.POST),
        services.passage_redact,
        lambda created: _("%(count)d passage(s) redacted.") % {"count": len(created)},
        item=item,
        passage=lambda data: data["passage"],
        ground=lambda data: data["ground"],
    )


@login_required
@require_POST
def attachment_confirm_checked(request, pk, attachment_pk):
    item = item_get_for_user(user=request.user, pk=pk)
    attachment = get_object_or_404(item.attachments, pk=attachment_pk)
    return _act(
        request,
        item,
        ManualCheckForm(request.POST),
        services.attachment_confirm_checked,
        _("Recorded: checked by eye, page by page."),
        attachment_id=attachment.pk,
        note=lambda data: data["note"],
    )


@login_required
@require_POST
def attachment_replace(request, pk, attachment_pk):
    item = item_get_for_user(user=request.user, pk=pk)
    attachment = get_object_or_404(item.attachments, pk=attachment_pk)
    return _act(
        request,
        item,
        AttachmentReplaceForm(request.POST, request.FILES),
        services.attachment_replace,
        _("Attachment replaced by its redacted version and scanned again."),
        attachment_id=attachment.pk,
        upload=lambda data: data["file"],
    )


@login_required
@require_POST
def redaction_withdraw(request, pk, redaction_pk):
    item = item_get_for_user(user=request.user, pk=pk)
    redaction = get_object_or_404(item.redactions, pk=redaction_pk)
    return _act(
        request,
        item,
        WithdrawForm(request.POST),
        services.redaction_withdraw,
        _("Redaction withdrawn."),
        redaction_id=redaction.pk,
        reason=lambda data: data["reason"],
    )


@login_required
@require_POST
def countersign_unit_add(request, pk):
    item = item_get_for_user(user=request.user, pk=pk)
    units = Unit.objects.filter(district_id=item.unit.district_id)
    return _act(
        request,
        item,
        CountersignUnitForm(request.POST, units=units),
        services.countersign_unit_name,
        _("Unit added to the countersignatures."),
        item=item,
        unit=lambda data: data["unit"],
    )


@login_required
@require_POST
def countersign_unit_remove(request, pk, unit_pk):
    item = item_get_for_user(user=request.user, pk=pk)
    named = get_object_or_404(item.countersign_units, unit_id=unit_pk)
    if (
        call_service(
            request,
            None,
            services.countersign_unit_remove,
            item=item,
            user=request.user,
            unit=named.unit,
        )
        is not None
    ):
        messages.success(request, _("Unit removed from the countersignatures."))
    return _back(request, item)


@login_required
def countersign_list(request):
    return render(
        request,
        "review/countersign_list.html",
        {"countersigns": countersigns_for_user(user=request.user)[:200]},
    )


@login_required
def countersign_detail(request, pk):
    countersign = countersign_get_for_user(user=request.user, pk=pk)
    item = countersign.item
    from .services.countersigns import can_countersign

    can_act = countersign.status == Countersign.Status.PENDING and can_countersign(
        request.user, countersign
    )
    form = CountersignDecisionForm(request.POST or None) if can_act else None
    if request.method == "POST" and form is not None and form.is_valid():
        done = call_service(
            request,
            form,
            services.countersign_decide,
            countersign_id=countersign.pk,
            user=request.user,
            confirm=form.cleaned_data["decision"] == Countersign.Status.CONFIRMED,
            comment=form.cleaned_data["comment"],
        )
        if done:
            messages.success(request, _("Countersignature recorded."))
            return redirect("review:countersign_list")
    return render(
        request,
        "review/countersign_detail.html",
        {
            "countersign": countersign,
            "item": item,
            "form": form,
            "attachments": item.attachments.all(),
            "panel": review_panel(item=item, user=request.user),
            "BODY": BODY,
        },
    )
