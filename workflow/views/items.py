from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.selectors import audit_history_for
from review.selectors import review_panel

from ..downloads import file_download
from ..forms import AttachmentForm, ItemForm
from ..models import Section
from ..selectors import item_get_for_user, items_for_user, open_tasks_of_item, unstaffed_tasks
from ..services.items import EDITABLE_FIELDS, attachment_add, item_create, item_submit, item_update
from .errors import call_service


def _drafting_sections(user):
    from review.permissions import user_grants

    ids = [pk for perm, _ct, pk in user_grants(user) if perm == "workflow.draft_section_items"]
    return Section.objects.filter(pk__in=ids).select_related("unit")


@login_required
def item_list(request):
    return render(
        request,
        "workflow/item_list.html",
        {
            "items": items_for_user(user=request.user)[:500],
            "can_draft": _drafting_sections(request.user).exists(),
        },
    )


@login_required
def item_create_view(request):
    sections = _drafting_sections(request.user)
    if not sections.exists():
        raise Http404
    form = ItemForm(request.POST or None, sections=sections, initial={"section": sections.first()})
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        item = call_service(
            request,
            form,
            item_create,
            author=request.user,
            section=form.cleaned_data["section"],
            **fields,
        )
        if item:
            messages.success(request, _("Draft saved."))
            return redirect("workflow:item_detail", pk=item.pk)
    return render(request, "workflow/item_form.html", {"form": form, "creating": True})


@login_required
def item_edit_view(request, pk):
    item = item_get_for_user(user=request.user, pk=pk)
    if item.author_id != request.user.pk or not item.is_editable:
        raise Http404
    form = ItemForm(
        request.POST or None, instance=item, sections=Section.objects.filter(pk=item.section_id)
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        item.refresh_from_db()
        if call_service(request, form, item_update, item=item, user=request.user, **fields):
            messages.success(request, _("Changes saved."))
            return redirect("workflow:item_detail", pk=item.pk)
    return render(request, "workflow/item_form.html", {"form": form, "item": item})


@login_required
def item_detail(request, pk):
    item = item_get_for_user(user=request.user, pk=pk)
    from notifications.selectors import alerts_for_item
    from review.models import Referral, ReviewDecision

    from ..models import ApprovalDecision

    open_tasks = open_tasks_of_item(item=item)  # read once, for the buttons and the notice
    return render(
        request,
        "workflow/item_detail.html",
        {
            "item": item,
            "attachments": item.attachments.all(),
            "attachment_form": AttachmentForm(),
            "reviews": ReviewDecision.objects.filter(item=item).select_related(
                "reviewer", "legal_ground"
            ),
            "referrals": Referral.objects.filter(item=item).select_related(
                "requested_by", "ruled_by", "to_unit"
            ),
            "approvals": ApprovalDecision.objects.filter(item=item).select_related("approver"),
            "history": audit_history_for(subject=item),
            "alerts": alerts_for_item(item=item),
            "open_tasks": open_tasks,
            "unstaffed": unstaffed_tasks(tasks=open_tasks, author_id=item.author_id),
            "processes": item.processes.order_by("-pk"),
            "is_author": item.author_id == request.user.pk,
            "panel": review_panel(item=item, user=request.user),
        },
    )


@login_required
@require_POST
def item_submit_view(request, pk):
    item = item_get_for_user(user=request.user, pk=pk)
    if call_service(request, None, item_submit, item=item, user=request.user):
        messages.success(request, _("Submitted for confidentiality review."))
    return redirect("workflow:item_detail", pk=item.pk)


@login_required
@require_POST
def attachment_upload(request, pk):
    item = item_get_for_user(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        if call_service(
            request,
            None,
            attachment_add,
            item=item,
            user=request.user,
            upload=form.cleaned_data["file"],
        ):
            messages.success(request, _("Attachment added."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("workflow:item_detail", pk=item.pk)


@login_required
def attachment_download(request, pk, attachment_pk):
    item = item_get_for_user(user=request.user, pk=pk)
    attachment = get_object_or_404(item.attachments, pk=attachment_pk)
    return file_download(attachment.file, filename=attachment.name)
