"""The disclosure catalogue (目录, Regulation Art. 12): public, published items only."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from ..selectors import catalogue_entries, catalogue_entry_get


def catalogue_list(request):
    page = Paginator(catalogue_entries(), 50).get_page(request.GET.get("page"))
    return render(request, "workflow/catalogue_list.html", {"page": page})


def catalogue_detail(request, pk):
    item = catalogue_entry_get(pk=pk)
    attachments = (
        item.attachments.exclude(published_sha256="")
        if item.attribute == item.Attribute.PROACTIVE
        else []
    )
    return render(
        request, "workflow/catalogue_detail.html", {"item": item, "attachments": attachments}
    )


def catalogue_attachment(request, pk, attachment_pk):
    """The public version of an attachment: its redacted rendering when it carries redactions,
    else the file the approval covered, and only while its bytes are still those. Only for
    proactive, published entries; anything added or replaced after publication answers 404."""
    from review.content import file_sha256

    item = catalogue_entry_get(pk=pk)
    if item.attribute != item.Attribute.PROACTIVE:
        raise Http404
    attachment = get_object_or_404(item.attachments.exclude(published_sha256=""), pk=attachment_pk)
    if attachment.public_file:
        name = attachment.public_file.name.rsplit("/", 1)[-1]
        return FileResponse(attachment.public_file.open("rb"), as_attachment=True, filename=name)
    if file_sha256(attachment) != attachment.published_sha256:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
