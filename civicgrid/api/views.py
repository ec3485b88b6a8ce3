"""Signing devices in and out of the API: a token per sign-in, the list of the
devices signed in, and revoking one (the page /accounts/devices/ does the same)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from civicgrid.accounts.actions import device_revoke, device_token_issue
from civicgrid.accounts.forms import slow_down_message
from civicgrid.accounts.lockout import slowed_down_for
from civicgrid.accounts.models import DeviceToken
from civicgrid.accounts.selectors import device_get_for_user, live_devices

from .throttles import AnonRateThrottle


class SignInSerializer(AuthTokenSerializer):
    device = serializers.CharField(
        label=_("Device"),
        max_length=100,
        required=False,
        allow_blank=True,
        help_text=_("A name for this device, shown in the list of your devices."),
    )
    # AuthTokenSerializer's token field is write-only; the answer is DeviceSerializer.
    token = None  # type: ignore[assignment]


class DeviceSerializer(serializers.ModelSerializer[DeviceToken]):
    current = serializers.SerializerMethodField()

    class Meta:
        model = DeviceToken
        fields = ["id", "label", "created_at", "last_used_at", "expires_at", "current"]

    def get_current(self, device: DeviceToken) -> bool:
        request = self.context.get("request")
        auth = getattr(request, "auth", None)
        return isinstance(auth, DeviceToken) and auth.pk == device.pk


class SignedInSerializer(DeviceSerializer):
    token = serializers.CharField(help_text=_("Send it as: Authorization: Token …"))

    class Meta(DeviceSerializer.Meta):
        fields = ["token", *DeviceSerializer.Meta.fields]


@extend_schema(request=SignInSerializer, responses={200: SignedInSerializer})
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([AnonRateThrottle])
def obtain_token(request: Request) -> Response:
    """Sign a device in: a new token for each sign-in, valid until it has been
    idle or alive too long, the password changes, or it is revoked."""
    data = request.data if isinstance(request.data, Mapping) else {}
    username = str(data.get("username", ""))
    wait = slowed_down_for(username)
    if wait:
        raise ValidationError({"username": [slow_down_message(wait)]})
    serializer = SignInSerializer(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    label = serializer.validated_data.get("device") or request.headers.get(
        "User-Agent", ""
    )
    device, key = device_token_issue(
        user=serializer.validated_data["user"], label=label
    )
    device.token = key  # type: ignore[attr-defined]
    return Response(SignedInSerializer(device).data)


@extend_schema(request=None, responses={204: None})
@api_view(["POST"])
def revoke_token(request: Request) -> Response:
    """Sign this device out: its token stops working."""
    if isinstance(request.auth, DeviceToken):
        device_revoke(device=request.auth, acting_user=request.user)
    return Response(status=204)


@extend_schema(responses={200: DeviceSerializer(many=True)})
@api_view(["GET"])
def devices(request: Request) -> Response:
    """The devices you are signed in on (``current``: the one asking)."""
    listed = live_devices(request.user)
    return Response(
        DeviceSerializer(listed, many=True, context={"request": request}).data
    )


@extend_schema(request=None, responses={204: None})
@api_view(["DELETE"])
def device_detail(request: Request, pk: int) -> Response:
    """Sign one of your devices out."""
    user: Any = request.user
    try:
        device = device_get_for_user(user, pk)
    except DeviceToken.DoesNotExist as exc:
        raise NotFound() from exc
    device_revoke(device=device, acting_user=user)
    return Response(status=204)
