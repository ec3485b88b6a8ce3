"""The one way the outbox talks HTTP: POST a JSON body, 2xx or an exception."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping


class DeliveryError(Exception):
    """The far end refused or could not be reached. The message never holds the
    recipient, so it can be stored in ``Notification.last_error``."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would turn the POST into a GET without a body: a failure.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post_json(
    url: str, body: bytes, *, headers: Mapping[str, str], timeout: float
) -> None:
    if not url.startswith(("https://", "http://")):
        raise DeliveryError("the URL is not http(s)")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **headers},
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"unreachable: {reason}") from exc
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status}")
