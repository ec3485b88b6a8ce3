"""What every page of the sealed channel shares: who may come in, and how a
refusal becomes a form error or a message."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from civicgrid.core.errors import DomainError
from civicgrid.core.forms import as_validation_error

from .. import permissions

View = Callable[..., HttpResponse]


def channel_staff(view: View) -> View:
    """A page for who holds a post in the channel: everyone else — the
    superuser included — gets 404; a post-holder whose sign-in has not passed
    the second factor is sent to enter their TOTP code first."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.in_channel(request.user):
            raise Http404
        if not permissions.verified(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('discipline:verify')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped


def refuse(form: forms.BaseForm, exc: DomainError) -> None:
    """An action's refusal on the field it names, or on the whole form."""
    form.add_error(None, as_validation_error(exc, form))
