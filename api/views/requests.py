"""Disclosure requests (Regulation Arts. 27-45).

`/requests/` is two things on one address: anyone may POST a new request (Art. 29), as on the
public form, while the list (GET) is for staff. The view therefore chooses its authentication,
permissions and throttles by method. The status lookup is public; a request's detail is staff-only.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api import throttles
from api.links import absolute
from api.schema import ID_PARAMETER, errors
from api.serializers.public import RequestStatusSerializer
from api.serializers.requests import RequestSubmitSerializer, RequestSubmittedSerializer
from api.serializers.staff import RequestDetailSerializer, RequestSerializer
from portal.selectors import request_status_get
from workflow import selectors
from workflow.models import DisclosureRequest
from workflow.services.intake import request_submit_online


class RequestCollection(generics.ListAPIView):
    serializer_class = RequestSerializer
    throttle_scope = "request_submit"  # read by ScopedRateThrottle, which only POST uses

    def _submitting(self) -> bool:
        request = getattr(self, "request", None)  # None while drf-spectacular builds a mock
        return request is not None and request.method == "POST"

    def get_authenticators(self):
        # No credentials for a submission: it is anonymous like the web form, needs no CSRF
        # token, and is counted per IP address.
        return [] if self._submitting() else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self._submitting() else super().get_permissions()

    def get_throttles(self):
        classes = throttles.PUBLIC_SCOPED if self._submitting() else throttles.AUTHENTICATED
        return [throttle() for throttle in classes]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DisclosureRequest.objects.none()
        return selectors.requests_for_user(user=self.request.user)

    @extend_schema(
        tags=["requests"],
        summary=_("List the disclosure requests you may open"),
        responses={200: RequestSerializer(many=True), **errors(400, 401, 404, 429)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["requests"],
        summary=_("Submit a disclosure request (依申请公开, Art. 29)"),
        description=_(
            "Anonymous. The same fields and checks as the public web form, without an "
            "attachment. The request waits until the office confirms receipt with the applicant "
            "(Art. 31(三)), which starts the 20 working days of Art. 33. Keep the tracking code."
        ),
        request=RequestSubmitSerializer,
        responses={201: RequestSubmittedSerializer, **errors(400, 413, 415, 429)},
        auth=[],
    )
    def post(self, request):
        submission = RequestSubmitSerializer(data=request.data)
        submission.is_valid(raise_exception=True)
        # A refusal by the service (a Django ValidationError) becomes a 400 in api.exceptions.
        submitted = request_submit_online(
            unit=submission.validated_data["unit"], data=submission.validated_data["data"]
        )
        status_url = absolute(request, "api:request_status", submitted.tracking_code)
        body = {
            "tracking_code": submitted.tracking_code,
            "status_url": status_url,
            "submitted_on": submitted.submitted_on,
            "status": submitted.status,
            "status_label": submitted.get_status_display(),
        }
        return Response(
            RequestSubmittedSerializer(body).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": status_url},
        )


class RequestStatus(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = throttles.PUBLIC_SCOPED
    throttle_scope = "request_status"

    @extend_schema(
        tags=["requests"],
        summary=_("Follow a request by its tracking code"),
        description=_("Progress only: never who asked or what was asked. Unknown codes are 404."),
        parameters=[
            OpenApiParameter(
                "tracking_code",
                str,
                OpenApiParameter.PATH,
                description=_("The code given at submission, e.g. YSQ2026-ABCD-EFGH."),
            )
        ],
        responses={200: RequestStatusSerializer, **errors(404, 429)},
    )
    def get(self, request, tracking_code: str):
        # A code is letters, digits and hyphens: anything else (a NUL byte included, which
        # PostgreSQL refuses in a query) is unknown without asking the database.
        code = tracking_code.strip()
        bare = code.replace("-", "")
        if not (bare.isascii() and bare.isalnum()):
            raise NotFound
        found = request_status_get(code=code)
        if found is None:
            raise NotFound
        return Response(RequestStatusSerializer(found).data)


class RequestDetail(APIView):
    throttle_classes = throttles.AUTHENTICATED

    @extend_schema(
        tags=["requests"],
        summary=_("Read a disclosure request, applicant included"),
        parameters=[ID_PARAMETER],
        responses={200: RequestDetailSerializer, **errors(401, 404, 429)},
    )
    def get(self, request, pk: int):
        found = selectors.request_get_for_user(user=request.user, pk=pk)
        return Response(RequestDetailSerializer(found, context={"request": request}).data)
