from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response


@extend_schema(request=None, responses={204: None})
@api_view(["POST"])
def revoke_token(request: Request) -> Response:
    """Sign a device out: its token stops working (a new one is issued at the
    next sign-in)."""
    user: Any = request.user  # signed in: the view's permission saw to it
    Token.objects.filter(user=user).delete()
    return Response(status=204)
