"""The three lists' figures over the API ("三项清单31个"), as the lists' pages
show them: for what the user reads."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from .. import selectors


class ListCountersSerializer(serializers.Serializer[Any]):
    problems = serializers.IntegerField(
        help_text="Problems and needs: all but those closed without a project."
    )
    resources = serializers.IntegerField(help_text="Resources on offer.")
    projects = serializers.IntegerField(help_text="Projects started, not cancelled.")
    completed = serializers.IntegerField(help_text="Projects completed.")
    total = serializers.IntegerField(help_text="Problems, resources and projects.")


@extend_schema(tags=["cobuilding"], responses=ListCountersSerializer)
@api_view(["GET"])
def counters(request: Request) -> Response:
    """三项清单: how many problems, resources and projects the user's lists
    hold (all zero for someone who reads none)."""
    return Response(ListCountersSerializer(selectors.counters(request.user)).data)
