"""码上巡: scanning a code (counted, never who), its questionnaire, and the
head's codes with their printable cards."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.core.errors import DomainError

from .. import actions, qr, selectors
from ..forms import CodeForm, survey_form
from ..models import Code, Post
from .common import channel_staff, refuse
from .public import _render, public_page

K = Post.Kind


def _code(token: str) -> Code:
    code = qr.code_from_token(token)
    if code is None:
        raise Http404
    return code


@public_page
def scan(request: HttpRequest, token: str) -> HttpResponse:
    """The report code: counted, then the form with the unit filled in."""
    code = _code(token)
    actions.code_scanned(code=code)
    query = urlencode({"code": token, "lang": request.sealed_language})  # type: ignore[attr-defined]
    return redirect(f"{reverse('discipline:report', args=[code.body.code])}?{query}")


@public_page
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire code (测评): its answers are only counted."""
    code = _code(token)
    if not code.questions:
        raise Http404
    if request.method != "POST":
        actions.code_scanned(code=code, survey=True)
    form = survey_form(code.questions, request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = {
            int(name[1:]): int(value) for name, value in form.cleaned_data.items()
        }
        try:
            actions.survey_answer(code=code, answers=answers)
        except DomainError as exc:
            refuse(form, exc)
        else:
            return _render(
                request,
                "discipline/public/survey_done.html",
                {"code": code, "report_url": reverse("discipline:scan", args=[token])},
            )
    return _render(
        request,
        "discipline/public/survey.html",
        {"code": code, "form": form, "token": token},
        status=400 if form.errors else 200,
    )


def _head_body(request: HttpRequest, code: str) -> Any:
    body = selectors.bodies_for(request.user, (K.HEAD,)).filter(code=code).first()
    if body is None:
        raise Http404
    return body


@channel_staff
def codes(request: HttpRequest, body: str) -> HttpResponse:
    target = _head_body(request, body)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.code_create(
                body=target, acting_user=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(
                request,
                _("Code “%(label)s” made; print its card.") % {"label": created.label},
            )
            return redirect("discipline:codes", body=target.code)
    listed = (
        Code.objects.filter(body=target)
        .annotate(report_count=Count("reports"))
        .order_by("-active", "kind", "label")
    )
    return render(
        request,
        "discipline/staff/codes.html",
        {"body": target, "codes": listed, "form": form},
        status=400 if form.errors else 200,
    )


@channel_staff
def code_card(request: HttpRequest, body: str, pk: int) -> HttpResponse:
    """A printable card: the report code, and the questionnaire code beside
    it where there is one (双码)."""
    target = _head_body(request, body)
    code = Code.objects.filter(pk=pk, body=target).first()
    if code is None:
        raise Http404
    report_link = qr.report_link(code)
    survey_link = qr.survey_link(code) if code.questions else ""
    tallies = {(t.question, t.choice): t.count for t in code.tallies.all()}
    results = [
        {
            "text": question["text"],
            "choices": [
                (choice, tallies.get((index, number), 0))
                for number, choice in enumerate(question["choices"])
            ],
        }
        for index, question in enumerate(code.questions or [])
    ]
    return render(
        request,
        "discipline/staff/code_card.html",
        {
            "body": target,
            "code": code,
            "report_link": report_link,
            "report_image": qr.image(report_link),
            "survey_link": survey_link,
            "survey_image": qr.image(survey_link) if survey_link else "",
            "results": results,
            "reports": code.reports.count(),
        },
    )


@channel_staff
@require_POST
def code_retire(request: HttpRequest, body: str, pk: int) -> HttpResponse:
    target = _head_body(request, body)
    code = Code.objects.filter(pk=pk, body=target, active=True).first()
    if code is None:
        raise Http404
    actions.code_retire(code=code, acting_user=request.user)
    messages.success(
        request,
        _("Code “%(label)s” retired: scanning it opens nothing.")
        % {"label": code.label},
    )
    return redirect("discipline:codes", body=target.code)
