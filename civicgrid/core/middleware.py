"""What the pages' own script needs from the server to send a form itself
(``static/js/offline.js``): a form sent with the ``X-CivicGrid-Outbox``
header that succeeds answers ``{"redirect": <where the page would go>}`` in
place of the redirect. The script then opens that page itself, so the message
that says what was done waits for it there (a redirect followed inside the
script's request would show the message to no one), and a form kept on the
phone learns where its answer is (a tracking code, a visit)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

HEADER = "X-CivicGrid-Outbox"


class OutboxAnswerMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        location = response.get("Location", "")
        if (
            request.method == "POST"
            and request.headers.get(HEADER) == "1"
            and 300 <= response.status_code < 400
            and location
        ):
            answer = JsonResponse({"redirect": location})
            answer["Cache-Control"] = "no-store"
            for cookie in response.cookies.values():  # a new session, a language
                answer.cookies[cookie.key] = cookie
            return answer
        return response
