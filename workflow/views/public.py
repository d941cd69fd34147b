"""Public pages, no login: submit a disclosure request online (Regulation Art. 29) and look up
its status by tracking code.

The status page shows only the request's progress, never who asked or what was asked, and it
answers every unknown or malformed code with the same neutral page.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from portal.selectors import request_status_get
from security.client_ip import client_ip
from security.limits import rate_exceeded

from ..forms_public import ApplyForm, StatusLookupForm
from ..services.intake import request_submit_online
from .errors import call_service

APPLIED_CODE_KEY = "applied_code"


def _too_many(request, retry_after: int):
    """Over REQUEST_FORM_RATE: the form again, filled in as typed (a chosen file aside) but not
    checked, with the reason above it; nothing is stored."""
    form = ApplyForm(initial=request.POST.dict(), request=request)
    refusal = _(
        "Too many requests have been submitted from your address in a short time. Please try "
        "again in %(minutes)d minutes; what you typed is kept below."
    ) % {"minutes": max(1, -(-retry_after // 60))}
    response = render(request, "public/apply.html", {"form": form, "refusal": refusal}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


# never_cache: the form holds a CAPTCHA picture that is new on every visit.
@never_cache
def apply(request):
    if request.method == "POST":
        # Counted per address like the API's submissions (API_THROTTLE_REQUEST_SUBMIT): every
        # attempt writes rows and starts a workflow when it passes, so the limit comes first.
        retry = rate_exceeded(
            address=client_ip(request), scope="request_form", rate=settings.REQUEST_FORM_RATE
        )
        if retry:
            return _too_many(request, retry)
        form = ApplyForm(request.POST, request.FILES, request=request)
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
        form = ApplyForm(request=request)
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
