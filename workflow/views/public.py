"""Public pages, no login: submit a disclosure request online (Regulation Art. 29) and look up
its status by tracking code.

The status page shows only the request's progress, never who asked or what was asked, and it
answers every unknown or malformed code with the same neutral page.
"""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from portal.selectors import request_status_get

from ..forms_public import PublicRequestForm, StatusLookupForm
from ..services.intake import request_submit_online
from .errors import call_service

APPLIED_CODE_KEY = "applied_code"


def apply(request):
    if request.method == "POST":
        form = PublicRequestForm(request.POST, request.FILES)
        if form.is_valid():
            attachment = form.cleaned_data.get("attachment")
            submitted = call_service(
                request,
                form,
                request_submit_online,
                unit=form.cleaned_data["unit"],
                data=form.service_data(),
                files=[attachment] if attachment else [],
            )
            if submitted:
                # The code goes through the session, not the URL (logs, history, referrers).
                request.session[APPLIED_CODE_KEY] = submitted.tracking_code
                return redirect("public:applied")
    else:
        form = PublicRequestForm()
    return render(request, "public/apply.html", {"form": form})


@never_cache
def applied(request):
    code = request.session.get(APPLIED_CODE_KEY)
    if not code:
        return redirect("public:apply")
    return render(request, "public/applied.html", {"code": code})


@never_cache
def status(request):
    raw = request.GET.get("code", "")
    searched = bool(raw.strip())
    found = request_status_get(code=raw) if searched else None
    # The form is never bound: the submitted code is not echoed back, so a miss looks the same
    # whatever was typed.
    return render(
        request,
        "public/status.html",
        {
            "form": StatusLookupForm(),
            "found": found,
            "not_found": searched and found is None,
        },
    )
