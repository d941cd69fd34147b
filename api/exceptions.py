"""Every error the API answers is JSON with a `detail` reason; validation errors add `errors`,
the messages per field. Anything else unexpected stays a 500 (and a logged traceback)."""

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        # Django would answer its HTML 400 page (DATA_UPLOAD_MAX_MEMORY_SIZE).
        exc = PayloadTooLarge()
    if isinstance(exc, DjangoValidationError):
        # A service refused: the same messages the web form would show beside its fields.
        exc = exceptions.ValidationError(as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.ValidationError):
        return response
    data = response.data
    if not isinstance(data, dict):
        data = {api_settings.NON_FIELD_ERRORS_KEY: data}
    response.data = {"detail": str(exceptions.ValidationError.default_detail), "errors": data}
    return response


def not_found(request, *args, **kwargs):
    """Unknown addresses under /api/ answer JSON too, not the HTML 404 page."""
    return JsonResponse(
        {"detail": str(exceptions.NotFound.default_detail)},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
