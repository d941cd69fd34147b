"""The disclosure catalogue (Regulation Art. 12), anonymous and read-only. These endpoints take
no credentials at all, so a browser's session cookie can neither widen what they show nor make
them subject to CSRF."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api import throttles
from api.schema import ID_PARAMETER, errors
from api.serializers.public import (
    CatalogueEntryDetailSerializer,
    CatalogueEntrySerializer,
    CatalogueQuerySerializer,
    CategorySerializer,
    UnitSerializer,
)
from portal import selectors
from workflow.models import Item


class PublicMixin:
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = throttles.PUBLIC


@extend_schema(
    tags=["catalogue"],
    summary=_("List the disclosure catalogue (公开目录)"),
    description=_(
        "Published entries, newest first (best match first when searching). "
        "Only the public versions of published items are ever listed."
    ),
    parameters=[CatalogueQuerySerializer],
    responses={200: CatalogueEntrySerializer(many=True), **errors(400, 404, 429)},
)
class CatalogueList(PublicMixin, generics.ListAPIView):
    serializer_class = CatalogueEntrySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return Item.objects.none()
        query = CatalogueQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.catalogue_entries(**query.validated_data)


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
