"""The disclosure catalogue (目录, Regulation Art. 12): public, published items only."""

from django.core.paginator import Paginator
from django.shortcuts import render

from ..selectors import catalogue_entries, catalogue_entry_get


def catalogue_list(request):
    page = Paginator(catalogue_entries(), 50).get_page(request.GET.get("page"))
    return render(request, "workflow/catalogue_list.html", {"page": page})


def catalogue_detail(request, pk):
    return render(request, "workflow/catalogue_detail.html", {"item": catalogue_entry_get(pk=pk)})
