"""The public portal (no login): the disclosure catalogue with Chinese search, the guides, and
the way in to requests. Regulation Arts. 12, 23-24 (publication through the government website)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, translation

from workflow.downloads import file_download
from workflow.worklist import query_pk

from . import selectors

PAGE_SIZE = 20
QUERY_MAX = 100


def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "latest": selectors.catalogue_entries()[:10],
            "categories": selectors.catalogue_categories(),
            "units": selectors.catalogue_units(),
        },
    )


def catalogue(request):
    q = request.GET.get("q", "").strip()[:QUERY_MAX]
    category = query_pk(request.GET.get("category"))
    unit = query_pk(request.GET.get("unit"))
    year = query_pk(request.GET.get("year"))
    filters = {"q": q, "category": category, "unit": unit, "year": year}
    categories = list(selectors.catalogue_categories())
    units = list(selectors.catalogue_units())
    chosen = {
        "filters": filters,
        "searched": bool(q),
        "chosen_category": next((c for c in categories if c.pk == category), None),
        "chosen_unit": next((u for u in units if u.pk == unit), None),
    }
    try:
        # Every statement of the page's search is bounded, and all of them run here, before
        # the template: a search that runs out gets the page asking to narrow it, never a 500.
        with selectors.bounded_public_read() as using:
            results = selectors.catalogue_search(
                using=using, q=q, category=category, unit=unit, year=year
            )
            page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
            tally = results.tally
            # Above the count cap the matches are not counted by category, unit and year: the
            # facets are then links to narrow the search, without numbers.
            years = (
                sorted((y for y in tally.year if y), reverse=True)
                if tally.exact
                else selectors.catalogue_years(using=using)
            )
    except selectors.CatalogueTimeout:
        return render(request, "portal/search_timeout.html", chosen, status=503)
    if tally.exact:
        facets = {
            "category_facets": [(c, tally.category.get(c.pk, 0)) for c in categories],
            "unit_facets": [(u, tally.unit[u.pk]) for u in units if u.pk in tally.unit],
            "year_facets": [(y, tally.year[y]) for y in years],
        }
    else:
        facets = {
            "category_facets": [(c, None) for c in categories],
            "unit_facets": [(u, None) for u in units],
            "year_facets": [(y, None) for y in years],
        }
    return render(
        request,
        "portal/catalogue.html",
        {
            **chosen,
            **facets,
            "page": page,
            "count": results.count(),
            "count_exact": tally.exact,
            "count_label": count_label(results.cap),
            "query_without_page": _query_without(request, "page"),
        },
    )


def count_label(number: int) -> str:
    """A round number as a reader of the page's language writes it: Chinese counts in 万 (ten
    thousands), so the cap 10000 reads 1万."""
    if number % 10_000 == 0 and translation.get_language().lower().startswith("zh"):
        return f"{number // 10_000}万"
    return formats.number_format(number, force_grouping=True)


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def catalogue_detail(request, pk):
    item = selectors.catalogue_entry_get(pk=pk)
    return render(
        request,
        "portal/catalogue_detail.html",
        {"item": item, "attachments": selectors.public_attachments(item)},
    )


def catalogue_attachment(request, pk, attachment_pk):
    """The public version of an attachment: its redacted rendering when it carries redactions,
    else the file the approval covered, and only while its bytes are still those. Only for
    proactive, published entries; anything added or replaced after publication answers 404."""
    from review.content import file_sha256

    item = selectors.catalogue_entry_get(pk=pk)
    attachment = selectors.public_attachment_get(item=item, pk=attachment_pk)
    if attachment.public_file:
        name = attachment.public_file.name.rsplit("/", 1)[-1]
        return file_download(attachment.public_file, filename=name)
    if file_sha256(attachment) != attachment.published_sha256:
        raise Http404
    return file_download(attachment.file, filename=attachment.name)


def guide_list(request):
    return render(request, "portal/guide_list.html", {"units": selectors.guide_units()})


def guide(request, code):
    unit, guide = selectors.guide_for_unit(code=code)
    return render(
        request,
        "portal/guide.html",
        {
            "unit": unit,
            "guide": guide,
            "categories": selectors.catalogue_categories(),
            "example_index_number": _example_index_number(unit),
            "catalogue_url": reverse("portal:catalogue") + f"?unit={unit.pk}",
        },
    )


def _example_index_number(unit) -> str:
    from django.conf import settings
    from django.utils import timezone

    return settings.INDEX_NUMBER_FORMAT.format(
        unit_code=unit.code, year=timezone.localdate().year, serial=1
    )
