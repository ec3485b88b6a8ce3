"""API clients (接入系统): keys, the rate limit and the use log.

A key is shown once, when it is issued; only its SHA-256 is kept (a key is 32
random bytes, so a plain hash cannot be walked back). Every request made with a
client's key — refused ones too — is a row of :class:`ApiClientUse`, and the
rate limit counts those rows, so it holds across every web process without a
shared cache.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, throttling

from civicgrid.core import clock
from civicgrid.core.errors import DomainError

from .models import ApiClient, ApiClientUse

KEY_START = "cg_"
KEY_HEADER = "X-Api-Key"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> str:
    return KEY_START + secrets.token_urlsafe(32)


def api_client_issue_key(*, client: ApiClient, key: str | None = None) -> str:
    """A new key for the client (the old one stops working, and a revoked
    client is back in service with the new one); returns it — the only time
    anyone sees it. ``key`` is for the demo's published keys only."""
    key = key or _new_key()
    client.key_prefix = key[:10]
    client.key_hash = _hash(key)
    client.revoked_at = None
    client.is_active = True
    if client.pk:
        client.save(update_fields=["key_prefix", "key_hash", "revoked_at", "is_active"])
    return key


def api_client_create(
    *, name: str, user: Any = None, rate_per_minute: int = 120, contact: str = ""
) -> tuple[ApiClient, str]:
    """Register a client system; without ``user`` it gets its own account,
    which can sign in nowhere. Returns the client and its first key."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the client a name."), field="name")
    if ApiClient.objects.filter(name=name).exists():
        raise DomainError(_("A client has this name already."), field="name")
    with transaction.atomic():
        if user is None:
            user = service_user_for(name)
        client = ApiClient(
            name=name, user=user, rate_per_minute=rate_per_minute, contact=contact
        )
        key = api_client_issue_key(client=client)
        client.save()
    return client, key


def service_user_for(name: str) -> Any:
    """The account a client acts as: no password, so it signs in only by key."""
    users = get_user_model()
    base = "api-" + (slugify(name, allow_unicode=False) or "client")[:40]
    username, n = base, 1
    while users.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    user = users(username=username, full_name=name[:100])
    user.set_unusable_password()
    user.save()
    return user


def api_client_revoke(*, client: ApiClient) -> None:
    """The key stops working at once; the client and its log stay."""
    ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(
        revoked_at=clock.now(), is_active=False
    )


def client_for_key(key: str) -> ApiClient | None:
    """The client a key belongs to — revoked or not, so a revoked key's use is
    still logged against it; :attr:`ApiClient.usable` says whether it may act."""
    key = (key or "").strip()
    if not key.startswith(KEY_START) or len(key) > 100:
        return None
    return ApiClient.objects.select_related("user").filter(key_hash=_hash(key)).first()


def rate_exceeded(client: ApiClient) -> bool:
    """More uses than the client's rate in the last minute."""
    since = clock.now() - timedelta(minutes=1)
    return (
        ApiClientUse.objects.filter(client=client, at__gte=since).count()
        >= client.rate_per_minute
    )


def log_use(client: ApiClient, request: HttpRequest, status: int) -> None:
    now = clock.now()
    ApiClientUse.objects.create(
        client=client,
        at=now,
        method=request.method or "",
        path=request.path[:200],
        status=status,
        address=request.META.get("REMOTE_ADDR") or None,
    )
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)


def mark(request: HttpRequest, client: ApiClient) -> None:
    """Remember the client on the request, for the use log written after the
    response (:class:`ApiClientUseMiddleware`)."""
    request.api_client = client  # type: ignore[attr-defined]


class ApiClientUseMiddleware:
    """Writes the use log of every request made with a client's key, with the
    status it was answered with."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        client = getattr(request, "api_client", None)
        if client is not None:
            log_use(client, request, response.status_code)
        return response


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key <key>`` or ``X-Api-Key: <key>`` for the REST API:
    the request acts as the client's user."""

    keyword = "Api-Key"

    def authenticate(self, request: Any) -> tuple[Any, ApiClient] | None:
        header = authentication.get_authorization_header(request).decode(
            "latin-1", "replace"
        )
        key = ""
        if header.startswith(self.keyword + " "):
            key = header[len(self.keyword) + 1 :]
        elif KEY_HEADER in request.headers:
            key = request.headers[KEY_HEADER]
        if not key:
            return None
        client = client_for_key(key)
        if client is None:
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        mark(request._request, client)
        if not client.usable:
            raise exceptions.AuthenticationFailed(_("This API key was revoked."))
        return client.user, client

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class ApiClientRateThrottle(throttling.BaseThrottle):
    """Each client's own rate (requests per minute, set in the admin)."""

    def allow_request(self, request: Any, view: Any) -> bool:
        client = request.auth
        if not isinstance(client, ApiClient):
            return True
        return not rate_exceeded(client)

    def wait(self) -> float:
        return 60.0
