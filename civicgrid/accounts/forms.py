from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .lockout import slowed_down_for


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Follow my browser"))] + list(settings.LANGUAGES),
        required=False,
    )


def slow_down_message(seconds: int) -> str:
    return ngettext(
        "Many wrong passwords were tried for this account. Try again in "
        "%(seconds)d second.",
        "Many wrong passwords were tried for this account. Try again in "
        "%(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


class LoginForm(AuthenticationForm):
    """Django's sign-in form, slowed down for a username under attack (see
    ``lockout``) before the password is checked."""

    def clean(self) -> dict[str, Any]:
        wait = slowed_down_for(self.cleaned_data.get("username") or "")
        if wait:
            raise forms.ValidationError(slow_down_message(wait), code="slowed_down")
        return super().clean()
