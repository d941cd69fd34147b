"""What anonymous callers read: catalogue entries (only their public versions), categories, units
and a request's progress. Every field here is one the public portal shows too; the originals
(`body`, `interpretation`) are never read, and the selectors do not even load them."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.links import absolute
from api.pagination import DB_INT_MAX
from portal.selectors import public_attachments
from workflow.models import Category, DisclosureRequest, Item, Unit


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "code"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name"]


class CatalogueEntrySerializer(serializers.ModelSerializer):
    """A catalogue entry as the catalogue lists it (Regulation Art. 12: 索引号, 名称, 内容概述,
    生成日期)."""

    # The catalogue's 名称 and 内容概述 as published: a string withheld anywhere in the item is
    # withheld here too (the originals are never read by the public API).
    title = serializers.CharField(source="public_title", read_only=True)
    summary = serializers.CharField(source="public_summary", read_only=True)
    attribute_label = serializers.CharField(source="get_attribute_display", read_only=True)
    unit = UnitSerializer(read_only=True)
    category = CategorySerializer(read_only=True)
    url = serializers.SerializerMethodField(help_text=_("The entry's page on the public portal."))

    class Meta:
        model = Item
        fields = [
            "id",
            "index_number",
            "title",
            "summary",
            "formed_on",
            "published_at",
            "attribute",
            "attribute_label",
            "unit",
            "category",
            "url",
        ]
        extra_kwargs = {
            "index_number": {"allow_null": False},
            "published_at": {"allow_null": False},
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, item: Item) -> str:
        return absolute(self.context["request"], "portal:catalogue_detail", item.pk)


class PublicAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField(help_text=_("Bytes."))
    url = serializers.URLField(help_text=_("Download address of the public version."))


class CatalogueEntryDetailSerializer(CatalogueEntrySerializer):
    """An entry with its public texts (redacted passages already replaced) and attachments.

    As on the portal, the texts and files are given for proactive entries only: an entry
    disclosed on request is listed, and its content is obtained by request (Art. 27)."""

    public_body = serializers.SerializerMethodField(
        help_text=_("The public text; null for an entry disclosed on request.")
    )
    public_interpretation = serializers.SerializerMethodField(
        help_text=_("The public policy interpretation (政策解读); null when there is none to give.")
    )
    attachments = serializers.SerializerMethodField()

    class Meta(CatalogueEntrySerializer.Meta):
        fields = [
            *CatalogueEntrySerializer.Meta.fields,
            "is_policy_document",
            "public_body",
            "public_interpretation",
            "attachments",
        ]

    @staticmethod
    def _given(item: Item) -> bool:
        return item.attribute == Item.Attribute.PROACTIVE

    @extend_schema_field({"type": "string", "nullable": True})
    def get_public_body(self, item: Item) -> str | None:
        return item.public_body if self._given(item) else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_public_interpretation(self, item: Item) -> str | None:
        return (item.public_interpretation or None) if self._given(item) else None

    @extend_schema_field(PublicAttachmentSerializer(many=True))
    def get_attachments(self, item: Item) -> list[dict]:
        if not self._given(item):
            return []
        request = self.context["request"]
        return [
            {
                "id": a.pk,
                "name": a.name,
                "size": a.size,
                "url": absolute(request, "portal:catalogue_attachment", item.pk, a.pk),
            }
            for a in public_attachments(item)
        ]


class MomentField(serializers.DateTimeField):
    def enforce_timezone(self, value):
        # DRF guards the conversion of an aware value but not the check after making a naive one
        # aware: 0001-01-01T00:00 in Asia/Shanghai falls before year 1 in UTC (OverflowError).
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")


class CatalogueQuerySerializer(serializers.Serializer):
    """The catalogue's filters, checked before they reach the database."""

    def to_internal_value(self, data):
        # DRF reads `?year=` as "no year"; a filter that is given must be a value (only `q` may
        # be empty), so a client's mistake is not silently answered with everything.
        blank = {
            name: [serializers.CharField.default_error_messages["blank"]]
            for name, field in self.fields.items()
            if data.get(name) == "" and not getattr(field, "allow_blank", False)
        }
        if blank:
            raise serializers.ValidationError(blank)
        return super().to_internal_value(data)

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("Words to search for, Chinese or not (e.g. 低保)."),
    )
    category = serializers.IntegerField(
        required=False, min_value=1, max_value=DB_INT_MAX, help_text=_("A category id.")
    )
    unit = serializers.IntegerField(
        required=False, min_value=1, max_value=DB_INT_MAX, help_text=_("A unit id.")
    )
    year = serializers.IntegerField(
        required=False, min_value=1, max_value=9999, help_text=_("The year of the index number.")
    )
    published_since = MomentField(
        required=False,
        help_text=_(
            "Only entries published after this moment (ISO 8601, e.g. 2026-01-31T08:00:00+08:00)."
        ),
    )


class RequestStatusSerializer(serializers.ModelSerializer):
    """A request's progress, as the public status page shows it: never who asked or what."""

    unit = serializers.CharField(source="receiving_unit.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = DisclosureRequest
        fields = [
            "tracking_code",
            "unit",
            "submitted_on",
            "received_on",
            "status",
            "status_label",
            "due_on",
            "calendar_unconfirmed",
            "answered_on",
        ]
        extra_kwargs = {
            "received_on": {"help_text": "Null until receipt is confirmed (Art. 31)."},
            "due_on": {"help_text": "The statutory answer date (Art. 33); null before receipt."},
            "calendar_unconfirmed": {
                "help_text": "The due date rests on a year whose holidays are not yet confirmed."
            },
        }
