"""``Authorization: Token …``: a signed-in device's token (accounts.DeviceToken),
which expires and is revoked, in place of DRF's tokens that did neither."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from civicgrid.accounts.actions import device_token_authenticate


class DeviceTokenAuthentication(TokenAuthentication):
    """DRF's header parsing and schema, our tokens: ``request.auth`` is the
    device."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        device = device_token_authenticate(key)
        if device is None:
            raise AuthenticationFailed(
                _("The token is unknown, expired or revoked. Sign in again.")
            )
        return device.user, device
