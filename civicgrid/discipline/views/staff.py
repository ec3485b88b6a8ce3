"""The officers' desk: the reports granted to me, a head's docket (numbers,
channels, dates and timers, never the words) with its grants and alerts, the
quarter's counts, the custodian's queue. Every page needs a post and a
verified second factor (``channel_staff``); a report is opened only through
``actions.report_open`` (the view recorded), a file only through
``actions.attachment_open``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.core import clock
from civicgrid.core.errors import DomainError

from .. import actions, evidence, permissions, receipts, selectors
from ..forms import DecisionForm, GrantForm, ReasonForm, ReportForm
from ..models import Body, Channel, Disposal, Grant, Matter, Post, Report
from ..steps import STEPS, open_steps
from .common import channel_staff, refuse

K = Post.Kind


@channel_staff
def desk(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = list(selectors.granted_reports(user).order_by("-real_name", "decide_due_at"))
    return render(
        request,
        "discipline/staff/desk.html",
        {
            "mine": [(report, selectors.timers(report)) for report in mine],
            "dockets": selectors.bodies_for(user, (K.HEAD,)),
            "entry_bodies": selectors.bodies_for(user, permissions.HANDLERS),
            "alerts": selectors.alerts_for(user)[:50],
            "custody": selectors.identity_requests_for_custodian(user)
            .filter(state="pending")
            .count(),
            "custodian": bool(permissions.body_ids(user, (K.CUSTODIAN,))),
            "posts": permissions.posts(user),
        },
    )


def _body_for(user: Any, code: str, kinds: tuple[str, ...]) -> Body:
    body = selectors.bodies_for(user, kinds).filter(code=code).first()
    if body is None:
        raise Http404
    return body


@channel_staff
def enter(request: HttpRequest, body: str) -> HttpResponse:
    """Staff entry of a letter, a visit or a 12388 call."""
    target = _body_for(request.user, body, permissions.HANDLERS)
    form = ReportForm(request.POST or None, request.FILES or None, staff=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submitted = actions.report_submit(
                body=target,
                channel=data["channel"],
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
                acting_user=request.user,
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            report = submitted.report
            return render(
                request,
                "discipline/staff/entered.html",
                {
                    "report": report,
                    "receipt": receipts.shown(submitted.receipt),
                    "went_up": report.body_id != target.pk,
                    "mine": permissions.may_read(request.user, report),
                },
            )
    return render(
        request,
        "discipline/staff/enter.html",
        {"body": target, "form": form},
        status=400 if form.errors else 200,
    )


def _held(request: HttpRequest, number: str) -> Report:
    report = selectors.report_for(request.user, number)
    if report is None:
        raise Http404
    return report


def _case_page(
    request: HttpRequest,
    report: Report,
    *,
    bound: tuple[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    content = actions.report_open(report=report, acting_user=user)
    key = actions.content_key(report)
    steps = [
        {"step": step, "words": actions.read_words(report, step, key)}
        for step in selectors.steps_for_officer(report)
    ]
    files = [
        {"attachment": a, "about": about, "kind": evidence.KINDS.get(about["kind"])}
        for a in selectors.attachments(report)
        for about in [evidence.describe(key, str(a.uid), a.sealed)]
    ]
    forms: list[dict[str, Any]] = []
    for step in open_steps(report):
        form = bound[1] if bound and bound[0] == step.slug else step.form()
        forms.append({"step": step, "form": form})
    may_see_identity = permissions.may_see_identity(user, report)
    offered = {item["step"].slug for item in forms}
    if report.real_name and not may_see_identity:
        offered.add("identity")
    # A step posted from a page gone out of date (someone else moved the
    # report on) has no form here to carry its refusal: say it at the top.
    refused = []
    if bound and bound[0] not in offered:
        refused = [error for errors in bound[1].errors.values() for error in errors]
    return render(
        request,
        "discipline/staff/report.html",
        {
            "report": report,
            "content": content,
            "steps": steps,
            "files": files,
            "timers": selectors.timers(report),
            "forms": forms,
            "grants": selectors.active_grants(report),
            "requests": selectors.my_identity_requests(user, report),
            "may_see_identity": may_see_identity,
            "refused": refused,
            "identity_form": bound[1]
            if bound and bound[0] == "identity"
            else ReasonForm(),
            "officers": {
                g.officer_id: g.officer for g in report.grants.select_related("officer")
            },
        },
        status=status,
    )


@channel_staff
def report(request: HttpRequest, number: str) -> HttpResponse:
    return _case_page(request, _held(request, number))


@channel_staff
@require_POST
def step(request: HttpRequest, number: str, step: str) -> HttpResponse:
    held = _held(request, number)
    chosen = STEPS.get(step)
    if chosen is None:
        raise Http404
    form = chosen.form(request.POST)
    if form.is_valid():
        try:
            chosen.run(held, form.cleaned_data, request.user)
        except DomainError as exc:
            refuse(form, exc)
        else:
            held.refresh_from_db()
            messages.success(request, chosen.done(held))
            if permissions.may_read(request.user, held):
                return redirect("discipline:report_detail", number=held.number)
            return redirect("discipline:desk")
    return _case_page(request, held, bound=(step, form), status=400)


@channel_staff
def attachment(request: HttpRequest, number: str, uid: Any) -> HttpResponse:
    held = _held(request, number)
    found = selectors.attachment_for(held, str(uid))
    if found is None:
        raise Http404
    data, about = actions.attachment_open(attachment=found, acting_user=request.user)
    response = HttpResponse(
        data, content_type=about.get("type") or "application/octet-stream"
    )
    inline = str(about.get("type", "")).startswith(("image/", "video/"))
    name = f"{held.number}-{found.pk}"
    response["Content-Disposition"] = (
        f'{"inline" if inline else "attachment"}; filename="{name}"'
    )
    return response


@channel_staff
def identity(request: HttpRequest, number: str) -> HttpResponse:
    """Ask a custodian to see who the reporter is; once approved, see it (this
    response only, recorded)."""
    held = _held(request, number)
    if request.method != "POST":
        return redirect("discipline:report_detail", number=held.number)
    if request.POST.get("reveal"):
        try:
            person = actions.identity_reveal(report=held, acting_user=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("discipline:report_detail", number=held.number)
        return render(
            request,
            "discipline/staff/identity.html",
            {"report": held, "person": person},
        )
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            actions.identity_request(
                report=held,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(
                request,
                _("Your request went to the custodians of %(body)s.")
                % {"body": held.body.name},
            )
            return redirect("discipline:report_detail", number=held.number)
    return _case_page(request, held, bound=("identity", form), status=400)


# --- the head's docket -------------------------------------------------------------


@channel_staff
def docket(request: HttpRequest, body: str) -> HttpResponse:
    target = _body_for(request.user, body, (K.HEAD,))
    entries = list(selectors.docket(request.user, target)[:500])
    return render(
        request,
        "discipline/staff/docket.html",
        {
            "body": target,
            "entries": [(report, selectors.timers(report)) for report in entries],
            "alerts": selectors.alerts_for(request.user).filter(body=target),
            "now": clock.now(),
        },
    )


@channel_staff
def docket_entry(request: HttpRequest, body: str, number: str) -> HttpResponse:
    """One report on the docket: its dates and timers, who holds it; the head
    assigns and withdraws officers here."""
    target = _body_for(request.user, body, (K.HEAD,))
    entry = selectors.docket_entry(request.user, number)
    if entry is None or entry.body_id != target.pk:
        raise Http404
    officers = selectors.grantable_officers(entry)
    form = GrantForm(request.POST or None, officers=officers)
    if request.method == "POST":
        if request.POST.get("revoke"):
            if not request.POST["revoke"].isdigit():
                raise Http404
            grant = Grant.objects.filter(
                pk=request.POST.get("revoke", ""),
                report=entry,
                revoked_at__isnull=True,
            ).first()
            if grant is None:
                raise Http404
            try:
                actions.grant_revoke(grant=grant, acting_user=request.user)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("%(officer)s no longer holds %(number)s.")
                    % {"officer": grant.officer, "number": entry.number},
                )
            return redirect("discipline:docket_entry", body=body, number=number)
        if form.is_valid():
            try:
                actions.grant_give(
                    report=entry,
                    officer=form.cleaned_data["officer"],
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(
                    request,
                    _("%(number)s assigned to %(officer)s.")
                    % {"number": entry.number, "officer": form.cleaned_data["officer"]},
                )
                return redirect("discipline:docket_entry", body=body, number=number)
    return render(
        request,
        "discipline/staff/docket_entry.html",
        {
            "body": target,
            "report": entry,
            "timers": selectors.timers(entry),
            "grants": entry.grants.select_related("officer", "granted_by"),
            "form": form,
            "held_by_me": permissions.may_read(request.user, entry),
        },
        status=400 if form.errors else 200,
    )


@channel_staff
def rollup(request: HttpRequest, body: str) -> HttpResponse:
    """季度统计: a quarter's reports by channel, matter and disposal."""
    target = _body_for(request.user, body, (K.HEAD,))
    today = clock.today()
    try:
        year = int(request.GET.get("year", today.year))
        quarter = int(request.GET.get("quarter", (today.month - 1) // 3 + 1))
    except ValueError:
        year, quarter = today.year, (today.month - 1) // 3 + 1
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        raise Http404
    figures = selectors.rollup(request.user, target, year, quarter)
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    following = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return render(
        request,
        "discipline/staff/rollup.html",
        {
            "body": target,
            "year": year,
            "quarter": quarter,
            "figures": figures,
            "channels": [(c.label, figures.by_channel[c.value]) for c in Channel],
            "matters": [(m.label, figures.by_matter[m.value]) for m in Matter],
            "disposals": [(d.label, figures.by_disposal[d.value]) for d in Disposal],
            "states": [(s.label, figures.by_state[s.value]) for s in Report.State],
            "previous": previous,
            "following": following,
            "start": dt.date(year, 3 * quarter - 2, 1),
        },
    )


# --- the custodian -------------------------------------------------------------


@channel_staff
def custody(request: HttpRequest) -> HttpResponse:
    if not permissions.body_ids(request.user, (K.CUSTODIAN,)):
        raise Http404
    queue = selectors.identity_requests_for_custodian(request.user)
    return render(
        request,
        "discipline/staff/custody.html",
        {
            "pending": queue.filter(state="pending"),
            "decided": queue.exclude(state="pending")[:100],
            "form": DecisionForm(),
        },
    )


@channel_staff
@require_POST
def custody_decide(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.identity_request_for_custodian(request.user, pk)
    if found is None:
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            actions.identity_decide(
                request=found,
                approve=form.cleaned_data["approve"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                (
                    _("Approved: %(officer)s may now see who reported %(number)s.")
                    if form.cleaned_data["approve"]
                    else _("Refused: %(officer)s will not see who reported %(number)s.")
                )
                % {"officer": found.officer, "number": found.report.number},
            )
    else:
        messages.error(request, _("Choose approve or refuse and give a reason."))
    return redirect(reverse("discipline:custody"))
