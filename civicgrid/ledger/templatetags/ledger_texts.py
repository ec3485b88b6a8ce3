"""The form that reveals a page's sealed texts, for who may: shown only where
a number typed into one of them is masked."""

from __future__ import annotations

from typing import Any

from django import template

from ..actions import reveal

register = template.Library()


@register.inclusion_tag("ledger/_texts_reveal.html", takes_context=True)
def reveal_texts_form(context: dict[str, Any], obj: Any, kind: str) -> dict[str, Any]:
    user = context["request"].user
    shown = reveal.has_sealed_texts(obj) and reveal.may_reveal_texts(user, obj)
    return {
        "shown": shown,
        "kind": kind,
        "obj": obj,
        "csrf_token": context.get("csrf_token"),
    }
