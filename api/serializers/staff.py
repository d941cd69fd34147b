"""Items and requests for authenticated staff and integrations: what the workbench shows the same
user, original texts and applicants included. Visibility is decided by the selectors, never here."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from workflow.models import DisclosureRequest, Item, LegalGround, Section

from .public import CategorySerializer, UnitSerializer


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "name"]


class AuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")


class LegalGroundSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalGround
        fields = ["code", "article", "title"]


class WebUrlMixin(serializers.Serializer):
    web_url = serializers.SerializerMethodField(help_text=_("The same record in the workbench."))
    web_url_name = ""

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(reverse(self.web_url_name, args=[obj.pk]))


class ItemSerializer(WebUrlMixin, serializers.ModelSerializer):
    web_url_name = "workflow:item_detail"
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    attribute_label = serializers.CharField(source="get_attribute_display", read_only=True)
    scope_label = serializers.CharField(source="get_scope_display", read_only=True)
    unit = UnitSerializer(read_only=True)
    section = SectionSerializer(read_only=True)
    category = CategorySerializer(read_only=True)
    author = AuthorSerializer(read_only=True)

    class Meta:
        model = Item
        fields = [
            "id",
            "title",
            "summary",
            "status",
            "status_label",
            "attribute",
            "attribute_label",
            "scope",
            "scope_label",
            "unit",
            "section",
            "category",
            "author",
            "index_number",
            "formed_on",
            "publication_due_on",
            "published_at",
            "is_policy_document",
            "created_at",
            "updated_at",
            "web_url",
            # The originals: the user may read them in the workbench too.
            "body",
            "interpretation",
        ]


class ItemDetailSerializer(ItemSerializer):
    """With the reason for not disclosing and the public versions frozen at publication."""

    withhold_ground = LegalGroundSerializer(read_only=True, allow_null=True)

    class Meta(ItemSerializer.Meta):
        fields = [
            *ItemSerializer.Meta.fields,
            "withhold_reason",
            "withhold_ground",
            "public_body",
            "public_interpretation",
        ]


class RequestSerializer(WebUrlMixin, serializers.ModelSerializer):
    web_url_name = "workflow:request_detail"
    receiving_unit = UnitSerializer(read_only=True)
    handling_unit = UnitSerializer(read_only=True, allow_null=True)
    handling_section = SectionSerializer(read_only=True, allow_null=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    applicant_kind_label = serializers.CharField(
        source="get_applicant_kind_display", read_only=True
    )

    class Meta:
        model = DisclosureRequest
        fields = [
            "id",
            "tracking_code",
            "receiving_unit",
            "handling_unit",
            "handling_section",
            "channel",
            "channel_label",
            "submitted_on",
            "received_on",
            "status",
            "status_label",
            "stage",
            "stage_label",
            "due_on",
            "calendar_unconfirmed",
            "clock_paused",
            "extension_days",
            "outcome",
            "outcome_label",
            "answered_on",
            "applicant_kind",
            "applicant_kind_label",
            "applicant_name",
            "description",
            "created_at",
            "updated_at",
            "web_url",
        ]


class RequestDetailSerializer(RequestSerializer):
    legal_ground = LegalGroundSerializer(read_only=True, allow_null=True)

    class Meta(RequestSerializer.Meta):
        fields = [
            *RequestSerializer.Meta.fields,
            "organisation_type",
            "id_number",
            "contact_person",
            "phone",
            "email",
            "address",
            "document_number",
            "delivery_form",
            "delivery_method",
            "duplicate_of",
            "excessive_flag",
            "excessive_note",
            "legal_ground",
            "competent_agency",
            "answer_item",
            "converted_item",
        ]
