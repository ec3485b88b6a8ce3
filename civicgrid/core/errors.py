"""Errors raised by actions. Views turn them into form errors, the API into 400/409."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A business rule refused the request; the message is for the user.

    ``field`` names the input at fault when there is one, so that forms and the
    API can attach the message to it.
    """

    status = 400

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


class PermissionDeniedError(DomainError):
    """The acting user may not do this to this object."""

    status = 403


class ConflictError(DomainError):
    """Somebody else changed the object first (a lost compare-and-set race)."""

    status = 409


class IdempotencyMismatch(DomainError):
    """An idempotency key sent again with a different request."""

    status = 422
