"""``Idempotency-Key`` on every creating POST of the API.

The first request with a key records it, does its work and stores the answer,
all in one transaction; a retry with the same key and request replays the stored
answer (header ``Idempotent-Replayed: true``); the same key with another request
is refused with 422; a retry that arrives while the first is still in its
transaction waits a moment for it and then gets 409.

The signed-in pages' forms that a phone may send twice — again by hand, or
from its offline outbox once the signal returns — follow the same rule with a
hidden ``idempotency_key`` field made on the phone (:func:`once_per_key`): the
retry is sent to the page the first answer went to, and nothing is made twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from civicgrid.core.db import limit_lock_wait, lock_timed_out, restore_lock_wait
from civicgrid.core.errors import ConflictError, DomainError, IdempotencyMismatch

from .models import IdempotentRequest

HEADER = "Idempotency-Key"


FIELD = "idempotency_key"  # the pages' forms: a hidden field, made on the phone
# Not part of what was asked: the CSRF token changes between two sends.
UNHASHED = {"csrfmiddlewaretoken"}


def _fingerprint(method: str, path: str, data: Any) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, UploadedFile):  # phones reuse names: hash the bytes
            digest = hashlib.sha256()
            for chunk in value.chunks():
                digest.update(chunk)
            value.seek(0)
            return f"file:{digest.hexdigest()}"
        return str(value)

    if hasattr(data, "lists"):  # a QueryDict: keep repeated fields
        data = {k: v for k, v in data.lists() if k not in UNHASHED}
    encoded = json.dumps(
        {"method": method, "path": path, "data": data},
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


def _claim(
    user: Any, key: str, endpoint: str, fingerprint: str
) -> tuple[IdempotentRequest, bool]:
    """Inside a transaction: the key's record, and whether it is new (ours to
    fill) or a finished first attempt's. Another request under the key is
    refused; a first attempt still in its transaction makes this one wait a
    moment and then refuses it as a conflict."""
    limit_lock_wait()
    try:
        with transaction.atomic():
            record = IdempotentRequest.objects.create(
                user=user,
                key=key,
                endpoint=endpoint[:200],
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
        return existing, False
    except OperationalError as exc:
        if lock_timed_out(exc):
            raise ConflictError(
                _("The same request is still being processed; try again.")
            ) from exc
        raise
    restore_lock_wait()  # the key is ours: the work itself waits as usual
    return record, True


def idempotent(request: Request, create: Callable[[], Response]) -> Response:
    """Run ``create`` once per key; see the module's docstring."""
    key = header_key(request)
    if not key:
        return create()
    fingerprint = _fingerprint(request.method or "", request.path, request.data)
    user: Any = request.user  # IsAuthenticated let it through
    with transaction.atomic():
        record, new = _claim(user, key, f"{request.method} {request.path}", fingerprint)
        if not new:
            return Response(
                record.body,
                status=record.status_code,
                headers={"Idempotent-Replayed": "true"},
            )
        response = create()
        if response.status_code >= 400:  # nothing was made: keep no record
            transaction.set_rollback(True)
            return response
        record.status_code = response.status_code
        record.body = response.data
        record.save(update_fields=["status_code", "body"])
    return response


def once_per_key(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A signed-in page's POST view, run once per ``idempotency_key`` field.

    A form that succeeds answers with a redirect; that answer is recorded, and
    a retry with the same key and fields is sent to the same place with a note
    that nothing was recorded twice. An answer that is not a redirect (the
    form back with its errors) keeps no record, so the corrected form can be
    sent under the same key. Another form under a used key gets 422, and a
    retry while the first is still being saved 409: the phone's outbox keeps
    it and tries again."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.POST.get(FIELD, "").strip() if request.method == "POST" else ""
        if not key or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        data: dict[str, list[Any]] = {
            name: values
            for name, values in request.POST.lists()
            if name not in UNHASHED
        }
        data.update(request.FILES.lists())
        fingerprint = _fingerprint("POST", request.path, data)
        try:
            with transaction.atomic():
                record, new = _claim(
                    request.user, key[:100], f"POST {request.path}", fingerprint
                )
                if new:
                    response = view(request, *args, **kwargs)
                    location = response.get("Location", "")
                    if not (300 <= response.status_code < 400 and location):
                        record.delete()
                        return response
                    record.status_code = response.status_code
                    record.body = {"location": location}
                    record.save(update_fields=["status_code", "body"])
                    return response
        except DomainError as exc:
            return HttpResponse(
                exc.message, status=exc.status, content_type="text/plain"
            )
        messages.info(
            request, _("This was received before; nothing was recorded twice.")
        )
        return HttpResponseRedirect(record.body.get("location") or request.path)

    return wrapper
