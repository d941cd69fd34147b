"""The disclosure catalogue (Regulation Art. 12), anonymous and read-only. These endpoints take
no credentials at all, so a browser's session cookie can neither widen what they show nor make
them subject to CSRF."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api import throttles
from api.pagination import PagePagination
from api.schema import ID_PARAMETER, ErrorSerializer, errors
from api.serializers.public import (
    CatalogueEntryDetailSerializer,
    CatalogueEntrySerializer,
    CatalogueQuerySerializer,
    CategorySerializer,
    UnitSerializer,
)
from portal import selectors
from security.limits import search_slot
from workflow.models import Item


class PublicMixin:
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = throttles.PUBLIC


class SearchTimeout(APIException):
    status_code = 503
    default_detail = _(
        "The search took too long and was stopped. Narrow it: add a word, or filter by category, "
        "unit or year."
    )
    default_code = "search_timeout"


class SearchesBusy(APIException):
    status_code = 503
    default_detail = _("Too many searches are running at once. Ask again in a few seconds.")
    default_code = "searches_busy"

    def __init__(self):
        super().__init__()
        self.wait = 2  # DRF's exception handler sends it as Retry-After


class CataloguePagination(PagePagination):
    """Page numbers over the catalogue's results: a search's `count` is exact up to the count cap
    and is the cap beyond it (`count_exact` false; its pages then reach the first cap entries).
    A list without words is always counted exactly."""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_exact"] = self.page.paginator.object_list.count_exact
        return response

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count"]["description"] = _(
            "Entries found: exact while `count_exact` is true; otherwise the search found more "
            "than the count cap (10,000 by default) and this is the cap."
        )
        answer["properties"]["count_exact"] = {
            "type": "boolean",
            "description": _(
                "False when a search found more entries than the count cap: its pages then reach "
                "only the first cap entries, so narrow it with words or filters."
            ),
        }
        answer["required"] = [*answer.get("required", []), "count_exact"]
        return answer


@extend_schema(
    tags=["catalogue"],
    summary=_("List the disclosure catalogue (公开目录)"),
    description=_(
        "Published entries, newest first; when searching, entries with every word first, then "
        "those matched by the words' characters, newest first in each. Only the public versions "
        "of published items are ever listed. A search's `count` is exact up to a cap (10,000 by "
        "default) and its pages reach the first cap entries. A search that cannot be answered "
        "within the server's time limit answers 503: narrow it."
    ),
    parameters=[CatalogueQuerySerializer],
    responses={
        200: CatalogueEntrySerializer(many=True),
        **errors(400, 404, 429),
        503: OpenApiResponse(
            ErrorSerializer,
            description=_(
                "The search took too long and was stopped (narrow it and ask again), or too many "
                "searches are running at once (ask again after Retry-After seconds)."
            ),
        ),
    },
)
class CatalogueList(PublicMixin, generics.ListAPIView):
    serializer_class = CatalogueEntrySerializer
    pagination_class = CataloguePagination

    def get_queryset(self):  # drf-spectacular reads the model from it; list() does not use it
        return Item.objects.none()

    def list(self, request, *args, **kwargs):
        query = CatalogueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if not query.validated_data.get("q", "").strip():
            return self._answer(query.validated_data)
        # A search takes one of the site's public search slots, shared with the portal's
        # (security.limits): callers of the API cannot run more searches at once than visitors.
        with search_slot() as taken:
            if not taken:
                raise SearchesBusy
            return self._answer(query.validated_data)

    def _answer(self, validated):
        try:
            # Every statement of the search is bounded, and all of them run in here.
            with selectors.bounded_public_read() as using:
                results = selectors.catalogue_search(using=using, **validated)
                page = self.paginate_queryset(results)
        except selectors.CatalogueTimeout as exc:
            raise SearchTimeout from exc
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CatalogueDetail(PublicMixin, APIView):
    @extend_schema(
        tags=["catalogue"],
        summary=_("Read a catalogue entry with its public text and attachments"),
        parameters=[ID_PARAMETER],
        responses={200: CatalogueEntryDetailSerializer, **errors(404, 429)},
    )
    def get(self, request, pk: int):
        item = selectors.catalogue_entry_get(pk=pk)
        return Response(CatalogueEntryDetailSerializer(item, context={"request": request}).data)


@extend_schema(
    tags=["catalogue"],
    summary=_("List the categories of the catalogue"),
    responses={200: CategorySerializer(many=True), **errors(400, 404, 429)},
)
class CategoryList(PublicMixin, generics.ListAPIView):
    serializer_class = CategorySerializer

    def get_queryset(self):
        return selectors.catalogue_categories()


@extend_schema(
    tags=["catalogue"],
    summary=_("List the units that publish and take requests"),
    responses={200: UnitSerializer(many=True), **errors(400, 404, 429)},
)
class UnitList(PublicMixin, generics.ListAPIView):
    serializer_class = UnitSerializer

    def get_queryset(self):
        return selectors.catalogue_units()
