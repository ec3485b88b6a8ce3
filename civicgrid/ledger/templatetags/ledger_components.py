"""The ledger's part of another app's page: on an appeal's page, the components
the appeal names and, for who keeps the ledger of its grid, a form to name one
by its code. The appeals app only loads the tag; it imports nothing of the
ledger."""

from __future__ import annotations

from typing import Any

from django import template

from .. import permissions, selectors

register = template.Library()


@register.inclusion_tag("ledger/components/_on_appeal.html", takes_context=True)
def appeal_components(context: dict[str, Any], appeal: Any) -> dict[str, Any]:
    user = context["request"].user
    components = list(selectors.appeal_components(user, appeal))
    may_name = appeal.grid is not None and permissions.may_edit(user, appeal.grid)
    return {
        "appeal": appeal,
        "components": components,
        "may_name": may_name,
        "csrf_token": context.get("csrf_token"),
    }
