"""Party building's part of the ledger's household page: the household's
micro-wishes and, for who keeps its grid, the link to gather one. The ledger
only loads the tag; it imports nothing of party building."""

from __future__ import annotations

from typing import Any

from django import template

from .. import permissions
from ..models import Wish

register = template.Library()


@register.inclusion_tag("partybuilding/_household_wishes.html", takes_context=True)
def household_wishes(context: dict[str, Any], household: Any) -> dict[str, Any]:
    user = context["request"].user
    may_gather = permissions.may_gather(user, household)
    wishes = (
        list(Wish.objects.filter(household=household).order_by("-created_at")[:10])
        if may_gather or permissions.is_staff(user)
        else []
    )
    return {"household": household, "wishes": wishes, "may_gather": may_gather}
