from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .actions import user_set_language
from .forms import LanguageForm
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
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = LanguageForm(request.POST or None, initial={"language": user.language})  # type: ignore[union-attr]
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        user_set_language(user=user, language=language)  # type: ignore[arg-type]
        response = redirect("accounts:profile")
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
    return render(request, "accounts/profile.html", {"form": form})
