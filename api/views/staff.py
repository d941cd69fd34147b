"""Items and the CMS feed, for authenticated staff and integrations (a token or a workbench session). They read
through the same permission-checked selectors as the workbench: what a user cannot open there is
404 here, whether it exists or not."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from api import throttles
from api.pagination import FeedPagination
from api.schema import ID_PARAMETER, errors
from api.selectors import feed_entries
from api.serializers.public import CatalogueEntryDetailSerializer
from api.serializers.staff import (
    ItemDetailSerializer,
    ItemSerializer,
)
from workflow import selectors
from workflow.models import Item


class StaffMixin:
    # Authentication and IsAuthenticated come from settings.REST_FRAMEWORK.
    throttle_classes = throttles.AUTHENTICATED


@extend_schema(
    tags=["items"],
    summary=_("List the items you may open in the workbench"),
    responses={200: ItemSerializer(many=True), **errors(400, 401, 404, 429)},
)
class ItemList(StaffMixin, generics.ListAPIView):
    serializer_class = ItemSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Item.objects.none()
        return selectors.items_for_user(user=self.request.user)


class ItemDetail(StaffMixin, APIView):
    @extend_schema(
        tags=["items"],
        summary=_("Read an item, original text included"),
        parameters=[ID_PARAMETER],
        responses={200: ItemDetailSerializer, **errors(401, 404, 429)},
    )
    def get(self, request, pk: int):
        item = selectors.item_get_for_user(user=request.user, pk=pk)
        return Response(ItemDetailSerializer(item, context={"request": request}).data)


@extend_schema(
    tags=["feed"],
    summary=_("Newly published entries, for a website CMS"),
    description=_(
        "Published catalogue entries in publication order with their public text and "
        "attachments. Store `next_cursor` and ask again later with `?after=<next_cursor>`: each "
        "entry comes exactly once. Entries appear a few seconds after publication."
    ),
    responses={200: CatalogueEntryDetailSerializer(many=True), **errors(400, 401, 429)},
)
class Feed(StaffMixin, generics.ListAPIView):
    serializer_class = CatalogueEntryDetailSerializer
    pagination_class = FeedPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Item.objects.none()
        return feed_entries(now=timezone.now())
