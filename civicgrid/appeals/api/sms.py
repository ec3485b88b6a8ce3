"""短信报事: the SMS gateway's inbound webhook (``POST /api/sms/inbound/``).

The gateway posts each text a resident sends to the street's number as JSON::

    {"message_id": "…", "from": "13812345678", "to": "10690000",
     "text": "幸福路12号的路灯不亮了", "received_at": "2026-12-06T08:30:00+08:00"}

signed ``X-CivicGrid-Signature: sha256=<hex HMAC-SHA256 of the body>`` with
``CIVICGRID_SMS_INBOUND_SECRET``. Each text becomes one appeal in the API
channel, filed as the API client ``CIVICGRID_SMS_INBOUND_CLIENT`` (its use
logged and held to its rate like a key's); a repeat of a ``message_id`` — the
gateway retrying — answers the same tracking code (200, ``Idempotent-Replayed``)
and makes nothing new. The answer never holds the resident's key: the resident
gets their tracking link by the receipt SMS, in the text's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civicgrid.api.clients import KeyRefused, admit_client
from civicgrid.api.models import ApiClient
from civicgrid.core import ratelimit
from civicgrid.core.errors import DomainError
from civicgrid.core.signatures import verify

from .. import actions
from ..models import Submission
from .serializers import RECEIPT_STATES

SIGNATURE = "X-CivicGrid-Signature"


class InboundSmsSerializer(serializers.Serializer[Any]):
    """A text as the gateway posts it."""

    message_id = serializers.CharField(
        max_length=100,
        help_text=_("The gateway's id of the text: the same on every retry."),
    )
    sender = serializers.CharField(
        max_length=20, help_text=_("The number the text came from.")
    )
    to = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The street's number it was sent to."),
    )
    text = serializers.CharField(max_length=4000, help_text=_("What it says."))
    received_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("When the gateway received it (default: now)."),
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = fields.pop("sender")  # a Python keyword
        return fields


class InboundReceiptSerializer(serializers.Serializer[Any]):
    tracking_code = serializers.CharField()
    state = serializers.ChoiceField(choices=RECEIPT_STATES)
    received_at = serializers.DateTimeField()


def _client() -> ApiClient | None:
    """The API client texts are filed as, while the webhook is configured."""
    if not settings.CIVICGRID_SMS_INBOUND_SECRET:
        return None
    return (
        ApiClient.objects.select_related("user")
        .filter(name=settings.CIVICGRID_SMS_INBOUND_CLIENT)
        .first()
    )


class InboundSmsView(APIView):
    authentication_classes: list[Any] = []  # the signature says who it is
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="sms_inbound",
        tags=["sms"],
        request=InboundSmsSerializer,
        parameters=[
            OpenApiParameter(
                SIGNATURE,
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="sha256=<hex HMAC-SHA256 of the body>.",
            )
        ],
        responses={
            202: OpenApiResponse(InboundReceiptSerializer, description="Received."),
            200: OpenApiResponse(
                InboundReceiptSerializer,
                description="A retry of a text already received.",
            ),
            403: OpenApiResponse(description="The signature does not match."),
            404: OpenApiResponse(description="Texts are not received here."),
        },
    )
    def post(self, request: Request) -> Response:
        """A text to the street's number, from the SMS gateway."""
        client = _client()
        if client is None:
            raise exceptions.NotFound()
        body = request._request.body  # before the parser reads the stream
        signature = request.headers.get(SIGNATURE, "")
        if not verify(body, settings.CIVICGRID_SMS_INBOUND_SECRET, signature):
            raise exceptions.PermissionDenied(_("The signature does not match."))
        try:
            admit_client(request._request, client)
        except KeyRefused as refused:
            if refused.status == 429:
                raise exceptions.Throttled(wait=60) from None
            raise exceptions.PermissionDenied(refused.message) from None
        given = InboundSmsSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        message = actions.InboundSms(
            message_id=data["message_id"],
            sender=data["from"],
            to=data["to"],
            text=data["text"],
            received_at=data["received_at"],
        )
        # One number is one resident: held to the report page's hourly limit.
        if settings.CIVICGRID_RATE_LIMITS and (
            ratelimit.count("sms", actions.sender_number(message.sender), seconds=3600)
            > settings.CIVICGRID_INTAKE_PER_HOUR
        ):
            raise exceptions.Throttled(wait=ratelimit.seconds_to_next_window(3600))
        try:
            submission, created = actions.appeal_from_sms(
                message=message, acting_user=client.user
            )
        except DomainError as exc:
            # Named as the gateway named them.
            field = {"phone": "from", "description": "text"}.get(exc.field or "")
            if field is None:
                raise
            raise type(exc)(exc.message, field=field) from exc
        return Response(
            _receipt(submission),
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
            headers={} if created else {"Idempotent-Replayed": "true"},
        )


def _receipt(submission: Submission) -> dict[str, Any]:
    state = submission.appeal.state if submission.appeal else submission.state
    return dict(
        InboundReceiptSerializer(
            {
                "tracking_code": submission.tracking_code,
                "state": state,
                "received_at": submission.received_at,
            }
        ).data
    )
