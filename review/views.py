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
    CountersignDecisionForm,
    CountersignUnitForm,
    FindingDismissForm,
    FindingRedactForm,
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
    item = item_get_for_user(user=request.user, pk=pk)
    if call_service(request, None, services.item_scan, item=item, user=request.user):
        messages.success(request, _("Scan complete."))
    return _back(request, item)


@login_required
@require_POST
def finding_redact(request, pk, finding_pk):
    item = item_get_for_user(user=request.user, pk=pk)
    finding = get_object_or_404(item.findings, pk=finding_pk)
    form = FindingRedactForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    elif call_service(
        request,
        None,
        services.finding_redact,
        finding_id=finding.pk,
        user=request.user,
        ground=form.cleaned_data["ground"],
    ):
        messages.success(request, _("Redacted."))
    return _back(request, item)


@login_required
@require_POST
def finding_dismiss(request, pk, finding_pk):
    item = item_get_for_user(user=request.user, pk=pk)
    finding = get_object_or_404(item.findings, pk=finding_pk)
    form = FindingDismissForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    elif call_service(
        request,
        None,
        services.finding_dismiss,
        finding_id=finding.pk,
        user=request.user,
        note=form.cleaned_data["note"],
    ):
        messages.success(request, _("Marked as not sensitive."))
    return _back(request, item)


@login_required
@require_POST
def passage_redact(request, pk):
    item = item_get_for_user(user=request.user, pk=pk)
    panel = review_panel(item=item, user=request.user)
    form = PassageRedactForm(request.POST, sources=panel["sources"])
    if not form.is_valid():
        _form_errors(request, form)
    else:
        created = call_service(
            request,
            None,
            services.passage_redact,
            item=item,
            user=request.user,
            source=form.cleaned_data["source"],
            passage=form.cleaned_data["passage"],
            ground=form.cleaned_data["ground"],
        )
        if created is not None:
            messages.success(request, _("%(count)d passage(s) redacted.") % {"count": len(created)})
    return _back(request, item)


@login_required
@require_POST
def redaction_withdraw(request, pk, redaction_pk):
    item = item_get_for_user(user=request.user, pk=pk)
    redaction = get_object_or_404(item.redactions, pk=redaction_pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    elif call_service(
        request,
        None,
        services.redaction_withdraw,
        redaction_id=redaction.pk,
        user=request.user,
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("Redaction withdrawn."))
    return _back(request, item)


@login_required
@require_POST
def countersign_unit_add(request, pk):
    item = item_get_for_user(user=request.user, pk=pk)
    form = CountersignUnitForm(
        request.POST, units=Unit.objects.filter(district_id=item.unit.district_id)
    )
    if not form.is_valid():
        _form_errors(request, form)
    elif call_service(
        request,
        None,
        services.countersign_unit_name,
        item=item,
        user=request.user,
        unit=form.cleaned_data["unit"],
    ):
        messages.success(request, _("Unit added to the countersignatures."))
    return _back(request, item)


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
