"""The acceptance guide (《信访举报指南》): its public page per body, in
Chinese, Tibetan or English, on screen or on A4 paper; the head's desk where
it is edited and its versions kept; and the calendar poster as a PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from civicgrid.core import clock
from civicgrid.core.errors import DomainError

from .. import actions, almanac, guide_texts, poster, selectors_publicity
from ..forms_publicity import GuideForm
from ..models import Body
from .common import channel_staff, refuse
from .public import _render, public_page


def _guide(request: HttpRequest, body: str, *, printable: bool) -> HttpResponse:
    target = get_object_or_404(Body, code=body)
    language = request.sealed_language  # type: ignore[attr-defined]
    page = selectors_publicity.guide_page(target, language)
    printable = printable or request.GET.get("print") == "1"
    template = "print.html" if printable else "page.html"
    return _render(
        request,
        f"discipline/guide/{template}",
        {
            "body": target,
            "page": page,
            "doc": page.document,
            "this_year": clock.today().year,
        },
    )


@require_safe
@public_page
def guide(request: HttpRequest, body: str) -> HttpResponse:
    """The guide in the language asked for (``?lang=``); ``?print=1`` is the
    A4 version."""
    return _guide(request, body, printable=False)


@require_safe
@public_page
def guide_print(request: HttpRequest, body: str) -> HttpResponse:
    return _guide(request, body, printable=True)


@require_safe
def calendar_poster(request: HttpRequest, body: str, year: int) -> HttpResponse:
    """The year's calendar poster, A3 (``?paper=a4`` for A4)."""
    target = get_object_or_404(Body, code=body)
    if year not in almanac.YEARS:
        raise Http404
    paper = request.GET.get("paper", "a3")
    if paper not in poster.PAPERS:
        raise Http404
    content = poster.render(
        target, year, online_url=selectors_publicity.online_url(target), paper=paper
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="calendar-{target.code}-{year}-{paper}.pdf"'
    )
    return response


def _kept(request: HttpRequest, code: str) -> Body:
    body = selectors_publicity.body_kept_by(request.user, code)
    if body is None:
        raise Http404
    return body


@channel_staff
def guide_desk(request: HttpRequest, body: str) -> HttpResponse:
    """The guide's texts to edit (the latest, or ``?version=n`` to start
    from an older one) and its history."""
    target = _kept(request, body)
    versions = list(selectors_publicity.guide_versions(target))
    shown: Any = versions[0] if versions else None
    wanted = request.GET.get("version", "")
    if wanted:
        shown = next((v for v in versions if str(v.number) == wanted), None)
        if shown is None:
            raise Http404
    texts = selectors_publicity.guide_texts_of(shown)
    form = GuideForm(request.POST or None, texts=texts)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.guide_save(
                body=target, texts=form.texts(), acting_user=request.user
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(
                request,
                _("Version %(n)s of the guide saved; the public page shows it now.")
                % {"n": saved.number},
            )
            return redirect("discipline:guide_desk", body=target.code)
    return render(
        request,
        "discipline/guide/desk.html",
        {
            "body": target,
            "form": form,
            "versions": versions,
            "shown": shown,
            "latest": versions[0] if versions else None,
            "languages": guide_texts.LANGUAGES,
            "placeholders": guide_texts.PLACEHOLDERS,
        },
        status=400 if form.errors else 200,
    )
