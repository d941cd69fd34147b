"""Annual reports: the list, creating and editing a report, the report page with its tables and
check, exports, submission for review, the reconsideration and litigation cases, and the public
list of published reports. Thin: parse, call a selector or service, render. Anyone who may not
see a report gets 404; anonymous visitors go to the login page (except the public list)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.export import content_disposition
from workflow.views.errors import call_service

from .export import DOCX_MIME, XLSX_MIME, ascii_filename, docx_bytes, export_filename, xlsx_bytes
from .forms import AppealForm, ReportCreateForm, ReportForm
from .layout import grids
from .permissions import report_access_for
from .selectors import (
    appeal_get_for_user,
    appeal_units,
    appeals_of,
    default_year,
    owner_from_key,
    owners_for,
    published_reports,
    report_get_for_user,
    reports_for,
    tables_for,
    unit_for_appeals,
)
from .services import (
    REPORT_FIELDS,
    appeal_record,
    appeal_update,
    report_create,
    report_submit,
    report_update,
)


def _access_or_404(user):
    access = report_access_for(user)
    if access.is_empty:
        raise Http404
    return access


@login_required
def report_list(request):
    access = _access_or_404(request.user)
    owners = owners_for(access)
    form = ReportCreateForm(owners=owners, initial={"year": default_year(timezone.localdate())})
    return render(
        request,
        "reports/report_list.html",
        {
            "reports": reports_for(access),
            "create_form": form if owners else None,
            "has_appeals": bool(access.read_units),
        },
    )


@login_required
@require_POST
def report_create_view(request):
    access = _access_or_404(request.user)
    owners = owners_for(access)
    form = ReportCreateForm(request.POST, owners=owners)
    if form.is_valid():
        owner = owner_from_key(access, form.cleaned_data["owner"])
        report = call_service(
            request,
            form,
            report_create,
            user=request.user,
            year=form.cleaned_data["year"],
            unit=owner.unit,
            district=None if owner.unit else owner.district,
        )
        if report:
            messages.success(request, _("Report created. Fill in the texts and figures."))
            return redirect("reports:report_detail", pk=report.pk)
    return render(
        request,
        "reports/report_list.html",
        {
            "reports": reports_for(access),
            "create_form": form,
            "has_appeals": bool(access.read_units),
        },
    )


@login_required
def report_detail(request, pk):
    access = report_access_for(request.user)
    report = report_get_for_user(user=request.user, pk=pk, access=access)
    tables = tables_for(report)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "tables": tables,
            "grids": grids(tables),
            "check": tables.check,
            "can_prepare": access.can_prepare(report),
        },
    )


@login_required
def report_edit(request, pk):
    access = report_access_for(request.user)
    report = report_get_for_user(user=request.user, pk=pk, access=access)
    if not access.can_prepare(report):
        raise Http404
    if not report.is_editable:
        messages.error(
            request, _("The report is in review, approval or published and cannot be edited now.")
        )
        return redirect("reports:report_detail", pk=report.pk)
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in REPORT_FIELDS}
        report.refresh_from_db()
        if call_service(request, form, report_update, report=report, user=request.user, **fields):
            messages.success(request, _("Changes saved."))
            return redirect("reports:report_detail", pk=report.pk)
    return render(request, "reports/report_form.html", {"form": form, "report": report})


@login_required
@require_POST
def report_submit_view(request, pk):
    access = report_access_for(request.user)
    report = report_get_for_user(user=request.user, pk=pk, access=access)
    if not access.can_prepare(report):
        raise Http404
    if call_service(request, None, report_submit, report=report, user=request.user):
        messages.success(request, _("The report was submitted for confidentiality review."))
    return redirect("reports:report_detail", pk=report.pk)


def _export(request, pk, extension, mime, render_bytes):
    report = report_get_for_user(user=request.user, pk=pk)
    content = render_bytes(report, tables_for(report))
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = content_disposition(
        export_filename(report, extension), fallback=ascii_filename(report, extension)
    )
    return response


@login_required
def report_docx(request, pk):
    return _export(request, pk, "docx", DOCX_MIME, docx_bytes)


@login_required
def report_xlsx(request, pk):
    return _export(request, pk, "xlsx", XLSX_MIME, xlsx_bytes)


# --- reconsideration and litigation ------------------------------------------------------------


@login_required
def appeal_index(request):
    access = _access_or_404(request.user)
    units = list(appeal_units(access))
    if not units:
        raise Http404
    if len(units) == 1:
        return redirect("reports:appeal_list", unit_pk=units[0].pk)
    return render(request, "reports/appeal_index.html", {"units": units})


@login_required
def appeal_list(request, unit_pk):
    access = report_access_for(request.user)
    unit = unit_for_appeals(access=access, pk=unit_pk)
    can_record = access.can_prepare_unit(unit.pk)
    form = AppealForm(request.POST or None, unit=unit) if can_record else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            # partial: the case's `request` field must not meet call_service's own argument
            record = partial(appeal_record, user=request.user, unit=unit, **form.cleaned_data)
            appeal = call_service(request, form, record)
            if appeal:
                messages.success(request, _("Case recorded."))
                return redirect("reports:appeal_list", unit_pk=unit.pk)
    return render(
        request,
        "reports/appeal_list.html",
        {"unit": unit, "appeals": appeals_of(unit), "form": form, "can_record": can_record},
    )


@login_required
def appeal_edit(request, pk):
    access = report_access_for(request.user)
    appeal = appeal_get_for_user(access=access, pk=pk)
    form = AppealForm(request.POST or None, instance=appeal, unit=appeal.unit)
    if request.method == "POST" and form.is_valid():
        update = partial(appeal_update, appeal=appeal, user=request.user, **form.cleaned_data)
        if call_service(request, form, update):
            messages.success(request, _("Changes saved."))
            return redirect("reports:appeal_list", unit_pk=appeal.unit_id)
    return render(request, "reports/appeal_form.html", {"form": form, "appeal": appeal})


# --- public ------------------------------------------------------------------------------------


def published(request):
    return render(request, "reports/published.html", {"years": published_reports()})
