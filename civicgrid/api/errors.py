"""One error body for the whole REST API:

    {"error": {"code": "invalid", "message": "…", "fields": {"title": ["…"]}}}

Actions raise DomainError (400, 403 PermissionDeniedError, 409 ConflictError,
422 for an idempotency key reused with another payload); DRF raises its own for
parsing, authentication, unknown objects (404) and throttling. Anything else is
a bug and becomes Django's 500.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response

from civicgrid.core.errors import DomainError

CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "throttled",
}


def error_response(
    status_code: int,
    message: str,
    fields: dict[str, list[str]] | None = None,
    *,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        {
            "error": {
                "code": code or CODES.get(status_code, "error"),
                "message": message,
                "fields": fields or {},
            }
        },
        status=status_code,
        headers=headers,
    )


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as {"field" or "field.sub": [messages]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors" and not prefix:
                name = "non_field_errors"
            flat.update(_flatten(value, name))
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or "non_field_errors": [str(detail)]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        fields = {exc.field: [exc.message]} if exc.field else {}
        return error_response(exc.status, exc.message, fields)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):
        # Too many files or fields, or too much data, met while the view reads
        # the body: the client's mistake, answered with the one error body.
        exc = exceptions.ParseError(
            _("The request is too large: too many files or fields, or too much data.")
        )
    if not isinstance(exc, exceptions.APIException):
        return None
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        return error_response(
            status.HTTP_400_BAD_REQUEST,
            _("The request is not valid: %(fields)s.")
            % {"fields": ", ".join(fields) or "body"},
            fields,
            headers=headers,
        )
    detail = exc.detail
    message = str(detail if not isinstance(detail, list | dict) else _flatten(detail))
    return error_response(exc.status_code, message, headers=headers)


@csrf_exempt  # a POST to a wrong address is a 404 too, not a CSRF page
def not_found(request: Any, path: str = "") -> Any:
    """Any /api/ address no endpoint answers: a 404 in the API's error body."""
    from django.http import JsonResponse

    return JsonResponse(
        {
            "error": {
                "code": "not_found",
                "message": _("No API endpoint at this address."),
                "fields": {},
            }
        },
        status=404,
    )


def invalid(field: str, message: str) -> exceptions.ValidationError:
    """A 400 that names ``field``, for what a view checks beyond its serializer."""
    return exceptions.ValidationError({field: [message]})
