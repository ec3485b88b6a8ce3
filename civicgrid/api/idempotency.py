"""``Idempotency-Key`` on every creating POST of the API.

The first request with a key records it, does its work and stores the answer,
all in one transaction; a retry with the same key and request replays the stored
answer (header ``Idempotent-Replayed: true``); the same key with another request
is refused with 422; a retry that arrives while the first is still in its
transaction waits a moment for it and then gets 409.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, OperationalError, transaction
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from civicgrid.core.db import limit_lock_wait, lock_timed_out, restore_lock_wait
from civicgrid.core.errors import ConflictError, DomainError, IdempotencyMismatch

from .models import IdempotentRequest

HEADER = "Idempotency-Key"


def _fingerprint(request: Request) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, UploadedFile):  # phones reuse names: hash the bytes
            digest = hashlib.sha256()
            for chunk in value.chunks():
                digest.update(chunk)
            value.seek(0)
            return f"file:{digest.hexdigest()}"
        return str(value)

    data = request.data
    if hasattr(data, "lists"):  # a QueryDict: keep repeated fields
        data = dict(data.lists())
    encoded = json.dumps(
        {"method": request.method, "path": request.path, "data": data},
        sort_keys=True,
        ensure_ascii=False,
        default=plain,
    )
    return hashlib.sha256(encoded.encode()).hexdigest()


def header_key(request: Request) -> str:
    """The request's ``Idempotency-Key`` ("" without one)."""
    key = request.headers.get(HEADER, "").strip()
    if len(key) > 100:
        raise DomainError(_("The idempotency key is too long."), field=HEADER)
    return key


def namespaced_key(request: Request) -> str | None:
    """The key for an action that keeps its own record of it (intake's
    submissions): prefixed with the user, so that two users' keys never meet,
    and hashed when the two together would not fit in 100 characters."""
    key = header_key(request)
    if not key:
        return None
    user: Any = request.user
    namespaced = f"api:{user.pk}:{key}"
    if len(namespaced) > 100:
        namespaced = f"api:{user.pk}:#{hashlib.sha256(key.encode()).hexdigest()}"
    return namespaced


def idempotent(request: Request, create: Callable[[], Response]) -> Response:
    """Run ``create`` once per key; see the module's docstring."""
    key = header_key(request)
    if not key:
        return create()
    fingerprint = _fingerprint(request)
    user: Any = request.user  # IsAuthenticated let it through
    with transaction.atomic():
        limit_lock_wait()
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    user=user,
                    key=key,
                    endpoint=f"{request.method} {request.path}"[:200],
                    request_hash=fingerprint,
                    status_code=0,
                )
        except IntegrityError:
            existing = IdempotentRequest.objects.get(user=user, key=key)
            if existing.request_hash != fingerprint:
                raise IdempotencyMismatch(
                    _("This idempotency key was used for a different request."),
                    field=HEADER,
                ) from None
            return Response(
                existing.body,
                status=existing.status_code,
                headers={"Idempotent-Replayed": "true"},
            )
        except OperationalError as exc:
            if lock_timed_out(exc):
                raise ConflictError(
                    _("The same request is still being processed; try again.")
                ) from exc
            raise
        restore_lock_wait()  # the key is ours: the work itself waits as usual
        response = create()
        if response.status_code >= 400:  # nothing was made: keep no record
            transaction.set_rollback(True)
            return response
        record.status_code = response.status_code
        record.body = response.data
        record.save(update_fields=["status_code", "body"])
    return response
