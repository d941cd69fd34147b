from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render

from audit.services import audit_log


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: our page, in the user's language, status 429."""
    cooloff = settings.AXES_COOLOFF_TIME
    return render(
        request,
        "registration/lockout.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": max(1, int(cooloff.total_seconds() // 60)),
        },
        status=429,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view, audited: a changed password is a change to the account like any other."""

    template_name = "registration/password_change.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_log(actor=self.request.user, action="accounts.password.changed", subject=form.user)
        return response
