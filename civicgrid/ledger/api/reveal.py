"""``POST …/{id}/reveal-texts/`` on households, components, 社情民意 and patrols:
their texts that hold a masked phone or ID number, whole, with a reason — the
same action as the pages' (recorded in the ledger's history)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ..actions import reveal


class TextsRevealSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=200)


class RevealedTextSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(help_text="Which text it is.")
    text = serializers.CharField(help_text="The text as typed, numbers whole.")


class RevealedTextsSerializer(serializers.Serializer[Any]):
    texts = RevealedTextSerializer(many=True)


class RevealTextsMixin:
    """For a viewset whose ``get_object`` is scoped to what the user reads."""

    @extend_schema(request=TextsRevealSerializer, responses=RevealedTextsSerializer)
    @action(detail=True, methods=["post"], url_path="reveal-texts")
    def reveal_texts(self, request: Request, pk: Any = None) -> Response:
        """The texts that hold a masked number, whole; a reason is required and
        the reveal is recorded (who, when, which texts and why)."""
        obj = self.get_object()  # type: ignore[attr-defined]
        given = TextsRevealSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        texts = reveal.ledger_reveal_texts(
            obj=obj, acting_user=request.user, reason=given.validated_data["reason"]
        )
        return Response({"texts": [{"title": t.label, "text": t.text} for t in texts]})
