"""The supervisors' dashboard (督办) and its Excel export. Both answer 404 to anyone who does not
supervise a district, and redirect anonymous visitors to the login page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from .charts import trend_charts
from .export import XLSX_MIME, content_disposition, export_filename, workbook_bytes
from .selectors import (
    AT_RISK_WORKDAYS,
    ITEM_STAGES,
    REQUEST_STAGES,
    by_stage,
    by_unit,
    counters,
    subjects_all,
    subjects_page,
    supervision_scope_for,
    trends,
)


@login_required
def dashboard(request):
    scope = supervision_scope_for(user=request.user, params=request.GET)
    unit_rows = by_unit(scope)
    subjects = subjects_page(scope, request.GET.get("page"))
    month_rows = trends(scope)
    return render(
        request,
        "supervision/dashboard.html",
        {
            "scope": scope,
            "today": scope.today,
            "at_risk_workdays": AT_RISK_WORKDAYS,
            "counters": counters(scope, unit_rows),
            "unit_rows": unit_rows,
            "stage_rows": by_stage(scope),
            "page_obj": subjects.page,
            "rows": subjects.rows,
            "charts": trend_charts(month_rows),
            "request_stages": REQUEST_STAGES,
            "item_stages": ITEM_STAGES,
        },
    )


@login_required
def export(request):
    scope = supervision_scope_for(user=request.user, params=request.GET)
    unit_rows = by_unit(scope)
    content = workbook_bytes(
        subjects=subjects_all(scope),
        unit_rows=unit_rows,
        stage_rows=by_stage(scope),
        trend_rows=trends(scope),
    )
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition(
        export_filename(scope.today), fallback=f"supervision-{scope.today.isoformat()}.xlsx"
    )
    return response
