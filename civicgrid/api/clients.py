"""API clients (接入系统): keys, the rate limit and the use log.

A key is shown once, when it is issued; only its SHA-256 is kept (a key is 32
random bytes, so a plain hash cannot be walked back). Every request made with a
client's key — refused ones too — is a row of :class:`ApiClientUse`, and the
rate limit counts those rows, so it holds across every web process without a
shared cache.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from civicgrid.accounts.models import DeviceToken
from civicgrid.core import clock
from civicgrid.core.errors import DomainError
from civicgrid.core.ratelimit import client_address

from .models import ApiClient, ApiClientUse
from .throttles import UserRateThrottle

logger = logging.getLogger(__name__)

KEY_START = "cg_"
KEY_HEADER = "X-Api-Key"
KEY_KEYWORD = "Api-Key"


def key_from_headers(request: HttpRequest) -> str:
    """The key a request carries in ``Authorization: Api-Key <key>`` or
    ``X-Api-Key: <key>`` ("" without one): the REST API and Open311 read the
    same headers."""
    header = request.headers.get("Authorization", "")
    if header.startswith(KEY_KEYWORD + " "):
        return header[len(KEY_KEYWORD) + 1 :].strip()
    return request.headers.get(KEY_HEADER, "").strip()


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
    """The key stops working at once, and so does any sign-in token its
    account was given; the client and its log stay."""
    with transaction.atomic():
        ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(
            revoked_at=clock.now(), is_active=False
        )
        DeviceToken.objects.filter(user_id=client.user_id).delete()


def client_for_key(key: str) -> ApiClient | None:
    """The client a key belongs to — revoked or not, so a revoked key's use is
    still logged against it; :attr:`ApiClient.usable` says whether it may act."""
    key = (key or "").strip()
    if not key.startswith(KEY_START) or len(key) > 100:
        return None
    return ApiClient.objects.select_related("user").filter(key_hash=_hash(key)).first()


class KeyRefused(Exception):
    """A key that may not act: unknown, revoked, or over its client's rate."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def admit(request: HttpRequest, key: str) -> ApiClient:
    """The client acting with ``key`` on this request, or :class:`KeyRefused`.

    The use is written before the work (in its own autocommit), so requests
    in flight at once count against the rate, and refused ones are in the log
    too; :class:`ApiClientUseMiddleware` fills in the status afterwards. The
    rate counts admitted uses only: a client over it is let in again as soon
    as its last minute holds fewer."""
    client = client_for_key(key)
    if client is None:
        logger.warning("an unknown API key from %s", client_address(request))
        raise KeyRefused(403, _("Invalid API key."))
    return admit_client(request, client)


def admit_client(request: HttpRequest, client: ApiClient) -> ApiClient:
    """Log the request as the client's use and hold it to the client's rate
    (see :func:`admit`): also for a client known by other means than its key
    (the SMS gateway, by the signature on what it posts)."""
    now = clock.now()
    use = ApiClientUse.objects.create(
        client=client,
        at=now,
        method=request.method or "",
        path=request.path[:200],
        status=0,
        address=request.META.get("REMOTE_ADDR") or None,
    )
    request.api_client_use = use  # type: ignore[attr-defined]
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    if not client.usable:
        raise KeyRefused(403, _("This API key was revoked."))
    admitted = (
        ApiClientUse.objects.filter(
            client=client, at__gt=now - timedelta(minutes=1), pk__lte=use.pk
        )
        .exclude(status=429)
        .count()
    )
    if admitted > client.rate_per_minute:
        use.status = 429  # at once: the requests behind it must not count it
        use.save(update_fields=["status"])
        raise KeyRefused(429, _("Too many requests with this API key; wait a minute."))
    return client


class ApiClientUseMiddleware:
    """Writes the status each request made with a client's key was answered
    with into its use row (see :func:`admit`)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        use = getattr(request, "api_client_use", None)
        if use is not None and use.status != response.status_code:
            ApiClientUse.objects.filter(pk=use.pk).update(status=response.status_code)
        return response


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key <key>`` or ``X-Api-Key: <key>`` for the REST API:
    the request acts as the client's user, within the client's own rate."""

    keyword = KEY_KEYWORD

    def authenticate(self, request: Any) -> tuple[Any, ApiClient] | None:
        key = key_from_headers(request._request)
        if not key:
            return None
        try:
            client = admit(request._request, key)
        except KeyRefused as refused:
            if refused.status == 429:
                raise exceptions.Throttled(wait=60) from None
            raise exceptions.AuthenticationFailed(refused.message) from None
        return client.user, client

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class PersonRateThrottle(UserRateThrottle):
    """DRF's per-user rate, for people: a client system has its own (above)."""

    def allow_request(self, request: Any, view: Any) -> bool:
        if isinstance(request.auth, ApiClient):
            return True
        return super().allow_request(request, view)
