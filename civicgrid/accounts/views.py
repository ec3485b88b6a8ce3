from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .actions import (
    device_revoke,
    user_password_changed,
    user_set_language,
    user_sign_out_everywhere,
)
from .forms import LanguageForm, LoginForm
from .models import DeviceToken, Role
from .selectors import device_get_for_user, live_devices, memberships_for


def home(request: HttpRequest) -> HttpResponse:
    """Residents find the two things they come for; signed-in staff see who they
    are, what roles they hold, and where they can go from here."""
    if not request.user.is_authenticated:
        return render(request, "accounts/landing.html")
    memberships = list(memberships_for(request.user))
    staff_roles = {m.role for m in memberships} - {"resident", "volunteer"}
    return render(
        request,
        "accounts/home.html",
        {
            "memberships": memberships,
            "console": request.user.is_superuser or bool(staff_roles),
            "grid_worker": Role.GRID_WORKER in staff_roles,
            "oversees": request.user.is_superuser
            or bool(staff_roles & {"leader", "dispatcher", "operator", "admin"}),
        },
    )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """A new password ends every other session (Django's session hash) and
    every device token; this session goes on."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user_password_changed(user=form.user)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def _language_saved(request: HttpRequest, language: str, to: str) -> HttpResponse:
    """Save the user's language (it wins over the browser's from now on), set
    the language cookie for the pages before sign-in, and go on to ``to``."""
    user_set_language(user=request.user, language=language)  # type: ignore[arg-type]
    response = redirect(to)
    if language:
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            samesite="Lax",
            max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    messages.success(request, _("Your language is saved."))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = LanguageForm(request.POST or None, initial={"language": user.language})  # type: ignore[union-attr]
    if request.method == "POST" and form.is_valid():
        return _language_saved(
            request, form.cleaned_data["language"], reverse("accounts:profile")
        )
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """The header's language switch for staff: saved on the account, back to
    the page it was pressed on."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown language."))
        return redirect("accounts:profile")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("home")
    return _language_saved(request, form.cleaned_data["language"], back)


@login_required
def devices(request: HttpRequest) -> HttpResponse:
    """The devices signed in to the API on this account (the app on a phone,
    a script), each with when it signed in, was last used and expires."""
    return render(
        request,
        "accounts/devices.html",
        {
            "devices": list(live_devices(request.user)),
            "idle_days": f"{settings.CIVICGRID_TOKEN_IDLE_DAYS:g}",
            "max_days": f"{settings.CIVICGRID_TOKEN_MAX_DAYS:g}",
        },
    )


@login_required
@require_POST
def device_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        device = device_get_for_user(request.user, pk)
    except DeviceToken.DoesNotExist as exc:
        raise Http404 from exc
    device_revoke(device=device, acting_user=request.user)
    messages.success(
        request,
        _("%(device)s is signed out; its token no longer works.") % {"device": device},
    )
    return redirect("accounts:devices")


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """Every other browser session and every device token end; this one stays."""
    user: Any = request.user
    user_sign_out_everywhere(user=user)
    update_session_auth_hash(request, user)
    messages.success(
        request,
        _("Every other browser and every device is signed out of your account."),
    )
    return redirect("accounts:devices")
