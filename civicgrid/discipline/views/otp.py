"""The second factor (双因素登录) every post in the channel needs: after the
password, a code from the authenticator app set up with the key that the
deployment's operator handed over (``manage.py discipline_roster``). The first
right code confirms a new device. django-otp throttles wrong codes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp import login as otp_login

from .. import audit, permissions
from ..forms import TokenForm


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) and target.startswith("/discipline/"):
        return target
    return "/discipline/desk/"


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.in_channel(user):
        raise Http404
    if permissions.verified(request):
        return redirect(_next(request))
    devices = list(devices_for_user(user, confirmed=None))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        matched = None
        for device in devices:
            allowed, _why = device.verify_is_allowed()
            if allowed and device.verify_token(token):
                matched = device
                break
        if matched is not None:
            if not matched.confirmed:
                matched.confirmed = True
                matched.save(update_fields=["confirmed"])
            otp_login(request, matched)
            from django.db import transaction

            with transaction.atomic():
                audit.record("signin.verified", actor=user, device=matched.pk)
            messages.success(request, _("Second factor accepted."))
            return redirect(_next(request))
        form.add_error(
            "token",
            _(
                "That code is not right, or too many tries: wait a minute and try "
                "again with a new code."
            ),
        )
    return render(
        request,
        "discipline/verify.html",
        {"form": form, "has_device": bool(devices), "next": _next(request)},
        status=400 if form.errors else 200,
    )
