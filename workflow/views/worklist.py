"""The reviewers' work list and the leadership inbox: the same queries whatever the data."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from review.selectors import findings_preview

from ..selectors import task_get_for_user
from ..services.tasks import task_claim_next
from ..workdays import WorkCalendar
from ..worklist import (
    Due,
    Filters,
    Holder,
    Kind,
    Sort,
    claimable_next,
    query_pk,
    worklist_for_user,
    worklist_units,
)

PAGE_SIZE = 50


def _page(request, tasks):
    return Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_string(filters: Filters, **extra) -> str:
    query = QueryDict(mutable=True)
    query.update({**filters.as_query(), **{k: v for k, v in extra.items() if v}})
    return query.urlencode()


@login_required
def worklist(request):
    today = timezone.localdate()
    calendar = WorkCalendar.load()
    filters = Filters.from_query(request.GET)
    page = _page(
        request,
        worklist_for_user(user=request.user, filters=filters, calendar=calendar, today=today),
    )
    preview = None
    preview_pk = query_pk(request.GET.get("preview", ""))
    if preview_pk is not None:
        task = task_get_for_user(user=request.user, pk=preview_pk)
        item = task.process.disclosureprocess.item
        preview = {
            "task": task,
            "item": item,
            "request": task.process.disclosureprocess.request,
            "findings": findings_preview(item=item) if item is not None else None,
        }
    return render(
        request,
        "workflow/worklist.html",
        {
            "page": page,
            "filters": filters,
            "query": _query_string(filters),
            "kinds": Kind.CHOICES,
            "dues": Due.CHOICES,
            "holders": Holder.CHOICES,
            "sorts": Sort.CHOICES,
            "units": worklist_units(request.user),
            "preview": preview,
            "today": today,
        },
    )


@login_required
@require_POST
def claim_next(request):
    """Claim the most urgent unclaimed task under the filters the reviewer is looking at."""
    today = timezone.localdate()
    filters = Filters.from_query(request.POST)
    candidates = claimable_next(
        user=request.user, filters=filters, calendar=WorkCalendar.load(), today=today
    )
    task = task_claim_next(candidate_ids=candidates, user=request.user)
    if task is None:
        messages.info(request, _("Nothing is waiting to be claimed under these filters."))
        return redirect(f"{reverse('workflow:inbox')}?{_query_string(filters)}")
    messages.success(
        request, _("Claimed: %(title)s. It is yours now.") % {"title": task.flow_task.task_title}
    )
    return redirect("workflow:task_detail", pk=task.pk)


@login_required
def approvals(request):
    """Leadership inbox: approvals the user holds or may take, most urgent first, sensitive ones
    marked. Built for a phone as much as for a desk."""
    today = timezone.localdate()
    calendar = WorkCalendar.load()
    filters = Filters(kind=Kind.APPROVAL)
    page = _page(
        request,
        worklist_for_user(user=request.user, filters=filters, calendar=calendar, today=today),
    )
    return render(
        request,
        "workflow/approvals.html",
        {"page": page},
    )
