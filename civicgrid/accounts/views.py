from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .actions import user_set_language
from .forms import LanguageForm, LoginForm
from .selectors import memberships_for


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
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


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
