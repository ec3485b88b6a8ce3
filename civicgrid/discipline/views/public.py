"""The reporter's pages: no account, no address kept, nothing cached.

A report is written on the form and answered, in the same response, with its
receipt — shown once, never put in a URL, a cookie or a session. With the
receipt the reporter opens their report again: the acceptance notice, the
result, the officer's messages; they write back and may object. The opened
report is remembered in the session for half an hour, or until they leave.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civicgrid.core.errors import DomainError

from .. import actions, qr, receipts, selectors, workflow
from ..forms import MessageForm, ObjectionForm, ReceiptForm, ReportForm
from ..models import Body, Channel, Report, Step
from .common import refuse

SESSION_KEY = "discipline_report"
SESSION_SECONDS = 30 * 60
LANGUAGES = (("zh-hans", "中文"), ("bo", "བོད་ཡིག"), ("en", "English"))

S = Report.State
# What the reporter is told of where their report stands.
REPORTER_STATES: dict[str, Any] = {
    S.RECEIVED: gettext_lazy("Received: it is being examined"),
    S.REGISTERED: gettext_lazy("Received: it is being examined"),
    S.ACCEPTED: gettext_lazy("Accepted: it is being handled"),
    S.DISPOSED: gettext_lazy("Accepted: it is being handled"),
    S.CONCLUDED: gettext_lazy("Accepted: it is being handled"),
    S.NOT_ACCEPTED: gettext_lazy("Not accepted"),
    S.FED_BACK: gettext_lazy("Result given"),
    S.OBJECTED: gettext_lazy("Your objection is being looked at"),
}
OBJECTABLE = (S.FED_BACK, S.NOT_ACCEPTED)


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The page in the language asked for (``?lang=``, kept in the forms):
    Chinese, Tibetan or English."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wanted = request.POST.get("lang") or request.GET.get("lang") or ""
        codes = [code for code, _name in LANGUAGES]
        language = wanted if wanted in codes else translation.get_language()
        if language not in codes:
            language = "zh-hans"
        request.sealed_language = language  # type: ignore[attr-defined]
        with translation.override(language):
            response = view(request, *args, **kwargs)
            response["Content-Language"] = language
            return response

    return wrapped


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(
        request,
        template,
        {
            **context,
            "lang": request.sealed_language,  # type: ignore[attr-defined]
            "languages": LANGUAGES,
        },
        status=status,
    )


@public_page
def start(request: HttpRequest) -> HttpResponse:
    """Where to report, how to follow a report up, and the guide."""
    bodies = Body.objects.filter(accepts_online=True).order_by("area__path")
    return _render(request, "discipline/public/start.html", {"bodies": bodies})


@public_page
def report_form(request: HttpRequest, body: str) -> HttpResponse:
    target = get_object_or_404(Body, code=body, accepts_online=True)
    token = request.POST.get("code") or request.GET.get("code") or ""
    code = qr.code_from_token(token) if token else None
    if code is not None and code.body_id != target.pk:
        code = None
    initial = {"accused_unit": code.target} if code is not None and code.target else {}
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submitted = actions.report_submit(
                body=target,
                channel=Channel.QR if code is not None else Channel.ONLINE,
                matter=data["matter"],
                accused_name=data["accused_name"],
                accused_unit=data["accused_unit"],
                accused_post=data["accused_post"],
                what=data["what"],
                when=data["when"],
                about_principal=data["about_principal"],
                real_name=data["real_name"],
                name=data["name"],
                phone=data["phone"],
                id_number=data["id_number"],
                address=data["address"],
                uploads=data["evidence"],
                intake_key=data["intake_key"],
                code=code,
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            return _render(
                request,
                "discipline/public/receipt.html",
                {
                    "body": target,
                    "receipt": receipts.shown(submitted.receipt),
                    "real_name": submitted.report.real_name,
                },
            )
    return _render(
        request,
        "discipline/public/report_form.html",
        {
            "body": target,
            "form": form,
            "code": code,
            "code_token": token if code is not None else "",
            "files_lost": request.method == "POST" and bool(request.FILES),
        },
        status=400 if form.errors else 200,
    )


def _opened(request: HttpRequest) -> Report:
    pk = request.session.get(SESSION_KEY)
    report = Report.objects.filter(pk=pk).first() if pk else None
    if report is None:
        raise Http404
    return report


@public_page
def follow_up(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = actions.receipt_open(receipt=form.cleaned_data["receipt"])
        if report is not None:
            request.session.cycle_key()
            request.session[SESSION_KEY] = report.pk
            request.session.set_expiry(SESSION_SECONDS)
            return redirect(
                f"{_url('discipline:follow_up_report')}?lang={request.sealed_language}"  # type: ignore[attr-defined]
            )
        form.add_error("receipt", _("No report has this receipt. Check the 16 digits."))
    return _render(
        request,
        "discipline/public/follow_up.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


def _shown_steps(report: Report) -> list[dict[str, Any]]:
    key = actions.content_key(report)
    shown = []
    for step in selectors.steps_for_reporter(report):
        words = actions.read_words(report, step, key) if step.sealed else {}
        shown.append({"step": step, "words": words})
    return shown


def _report_page(
    request: HttpRequest,
    report: Report,
    *,
    message_form: MessageForm | None = None,
    objection_form: ObjectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    from django.db import transaction

    from .. import audit

    with transaction.atomic():
        audit.record("report.read_by_reporter", actor_label="reporter", report=report)
    return _render(
        request,
        "discipline/public/report.html",
        {
            "report": report,
            "state": REPORTER_STATES[report.state],
            "steps": _shown_steps(report),
            "message_form": message_form or MessageForm(),
            "objection_form": objection_form or ObjectionForm(),
            "may_object": report.state in OBJECTABLE,
            "may_write": report.state in workflow.OPEN,
            "Step": Step,
        },
        status=status,
    )


@public_page
def follow_up_report(request: HttpRequest) -> HttpResponse:
    return _report_page(request, _opened(request))


@require_POST
@public_page
def follow_up_message(request: HttpRequest) -> HttpResponse:
    report = _opened(request)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.reporter_message(
                report=report,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["evidence"],
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Your message was sent to the officer."))
            return redirect(
                f"{_url('discipline:follow_up_report')}?lang={request.sealed_language}"  # type: ignore[attr-defined]
            )
    return _report_page(request, report, message_form=form, status=400)


@require_POST
@public_page
def follow_up_object(request: HttpRequest) -> HttpResponse:
    report = _opened(request)
    form = ObjectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.reporter_object(
                report=report,
                text=form.cleaned_data["text"],
                uploads=form.cleaned_data["evidence"],
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(
                request,
                _("Your objection was sent; the officer will look at it again."),
            )
            return redirect(
                f"{_url('discipline:follow_up_report')}?lang={request.sealed_language}"  # type: ignore[attr-defined]
            )
    return _report_page(request, report, objection_form=form, status=400)


@require_POST
@public_page
def follow_up_leave(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:  # a signed-in visitor stays signed in
        request.session.pop(SESSION_KEY, None)
        request.session.cycle_key()
    else:
        request.session.flush()
    return redirect(f"{_url('discipline:start')}?lang={request.sealed_language}")  # type: ignore[attr-defined]
