from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import PreferencesForm
from .messages import render as render_text
from .models import Preference
from .selectors import notification_get_for, notifications_for
from .services import modes_for, notification_open, notifications_mark_all_read, preferences_set

PAGE_SIZE = 50


@login_required
def notification_list(request):
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(
        notifications_for(user=request.user, unread_only=unread_only), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [(n, render_text(n)) for n in page.object_list]
    return render(
        request,
        "notifications/list.html",
        {"page": page, "rows": rows, "unread_only": unread_only},
    )


@login_required
@require_POST
def notification_open_view(request, pk):
    """Mark as read and follow the link (a POST, so a prefetching browser marks nothing)."""
    notification = notification_open(notification=notification_get_for(user=request.user, pk=pk))
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect("notifications:list")
    return redirect(target)


@login_required
@require_POST
def notification_read_view(request, pk):
    notification_open(notification=notification_get_for(user=request.user, pk=pk))
    page = request.POST.get("page", "")
    suffix = f"?page={page}" if page.isdigit() else ""
    return redirect(reverse("notifications:list") + suffix)


@login_required
@require_POST
def notifications_read_all_view(request):
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:list")


@login_required
def preferences_view(request):
    current = {code: mode for (_uid, code), mode in modes_for([request.user.pk]).items()}
    addresses = dict(Preference.objects.filter(user=request.user).values_list("channel", "address"))
    form = PreferencesForm(request.POST or None, current=current, addresses=addresses)
    if request.method == "POST" and form.is_valid():
        preferences_set(user=request.user, modes=form.modes(), addresses=form.addresses())
        messages.success(request, _("Notification settings saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
