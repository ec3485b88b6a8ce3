"""The three lists' part of an appeal's page and of a 社情民意 item's page:
the problems it is a source of and, for who keeps the lists, the link that
puts it on the problem list. Appeals and the ledger only load the tag; they
import nothing of this app."""

from __future__ import annotations

from typing import Any

from django import template

from .. import permissions, selectors

register = template.Library()


def _context(user: Any, problems: Any, new_query: str, area: Any) -> dict[str, Any]:
    return {
        "problems": list(problems.order_by("-created_at")[:10]),
        "new_query": new_query,
        "may_raise": area is not None and permissions.may_keep(user, area),
    }


@register.inclusion_tag("cobuilding/_on_the_lists.html", takes_context=True)
def appeal_on_the_lists(context: dict[str, Any], appeal: Any) -> dict[str, Any]:
    user = context["request"].user
    problems = selectors.problems_for_user(user).filter(sources__appeal=appeal)
    return _context(
        user, problems, f"appeal={appeal.tracking_code}", appeal.grid or appeal.street
    )


@register.inclusion_tag("cobuilding/_on_the_lists.html", takes_context=True)
def opinion_on_the_lists(context: dict[str, Any], opinion: Any) -> dict[str, Any]:
    user = context["request"].user
    problems = selectors.problems_for_user(user).filter(sources__opinion=opinion)
    return _context(user, problems, f"opinion={opinion.pk}", opinion.grid)
