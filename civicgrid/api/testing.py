"""Helpers for tests of the REST API: a client signed in by token, and a photo
to upload."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from rest_framework.test import APIClient


def token_for(user: Any) -> str:
    """A new token for ``user``, as a sign-in gives one."""
    from civicgrid.accounts.actions import device_token_issue

    _device, key = device_token_issue(user=user, label="test")
    return key


def api_client(user: Any = None) -> APIClient:
    """A client that sends ``user``'s token (anonymous without a user)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def client_system(name: str = "12345 热线平台") -> APIClient:
    """A client that signs in as another system, with its client key."""
    from .clients import api_client_create

    _client, key = api_client_create(name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def jpeg_upload(
    name: str = "scene.jpg", color: tuple[int, int, int] = (30, 120, 200)
) -> io.BytesIO:
    """A small JPEG as a multipart upload; another colour is another photo."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = name
    return buffer
