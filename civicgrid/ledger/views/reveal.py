"""Reveal a page's sealed texts: the answer shows them whole, once (never in a
URL or a message), for who keeps the grid's ledger and says why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from civicgrid.appeals.forms import attach_domain_error
from civicgrid.core.errors import DomainError

from .. import selectors
from ..actions import reveal as actions
from ..forms.people import TextsRevealForm

# kind → (the scoped getter, the page the texts are on)
KINDS: dict[str, tuple[Callable[[Any, Any], Any], str]] = {
    "household": (selectors.household_get_for_user, "ledger:household"),
    "component": (selectors.component_get_for_user, "ledger:component"),
    "opinion": (selectors.opinion_get_for_user, "ledger:opinion"),
    "patrol": (selectors.patrol_get_for_user, "ledger:patrol"),
}


@login_required
@require_POST
def reveal_texts(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    getter, page = KINDS[kind]
    obj = getter(request.user, pk)
    if not actions.may_reveal_texts(request.user, obj):
        raise PermissionDenied
    form = TextsRevealForm(request.POST)
    context: dict[str, Any] = {"obj": obj, "back": reverse(page, args=[obj.pk])}
    if form.is_valid():
        try:
            context["texts"] = actions.ledger_reveal_texts(
                obj=obj, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            return render(request, "ledger/texts_revealed.html", context)
    context["form"] = form
    return render(request, "ledger/texts_revealed.html", context, status=400)
