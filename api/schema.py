"""What the OpenAPI schema says about errors, so every 4xx an operation can answer is declared
(schemathesis checks that the status codes and bodies the API returns are the documented ones)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from api.pagination import DB_INT_MAX


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Why the request failed, in the user's language."))


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("Messages per field (`non_field_errors` for the request as a whole)."),
    )


_DESCRIPTIONS = {
    400: _("Invalid input: `detail` says why, `errors` lists the messages per field."),
    401: _("Not authenticated: send `Authorization: Token <key>` (see `WWW-Authenticate`)."),
    404: _("Not found, or not visible to you (the API does not tell the two apart)."),
    413: _("The body is larger than the server accepts."),
    415: _("The body is not JSON (`Content-Type: application/json`)."),
    429: _("Too many requests: wait the seconds given in `Retry-After`."),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Responses for the given error status codes, to merge into `extend_schema(responses=...)`."""
    return {
        code: OpenApiResponse(
            ValidationErrorSerializer if code == 400 else ErrorSerializer,
            description=_DESCRIPTIONS[code],
        )
        for code in codes
    }


# Ids are database integers; saying so keeps generated clients (and schemathesis) in range.
ID_PARAMETER = OpenApiParameter(
    "id", {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}, OpenApiParameter.PATH
)
