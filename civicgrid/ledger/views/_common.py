"""What the ledger's pages share: a refusal shown on the field it names, and a
list's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civicgrid.core.errors import DomainError

# Changes that are no field of the row.
FIELD_LABELS = {"appeals": _("appeals"), "pair": _("joint-building pair")}


def paged(
    request: HttpRequest, items: Any, *, size: int = 30, param: str = "page"
) -> Page:
    """One page of a list, carrying the list's filters for ``ledger/_pager.html``
    (``page.query``, without the page number, and ``page.param``)."""
    page = Paginator(items, size).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    page.query = query.urlencode()  # type: ignore[attr-defined]
    page.param = param  # type: ignore[attr-defined]
    return page


def attach(form: forms.Form, exc: DomainError) -> None:
    """Show an action's refusal on the field it names, or on the whole form."""
    field = exc.field.split(".")[0] if exc.field else None
    if field in ("location", "lat"):
        field = "lon"
    if field and field in form.fields and not form.fields[field].widget.is_hidden:
        form.add_error(field, exc.message)
    else:
        form.add_error(None, exc.message)


def history_rows(changes: Any, model: Any) -> list[dict[str, Any]]:
    """The history of a row for its page: each change with its fields named in
    the reader's language (a state by its label)."""
    rows = []
    for change in changes:
        fields = []
        for name, values in (change.changes or {}).items():
            try:
                label = model._meta.get_field(name).verbose_name
            except FieldDoesNotExist:
                label = FIELD_LABELS.get(name, name)
            old, new = (
                (values + [None, None])[:2]
                if isinstance(values, list)
                else (None, values)
            )
            if name == "state":
                old, new = _state_label(model, old), _state_label(model, new)
            fields.append({"label": label, "old": _shown(old), "new": _shown(new)})
        rows.append({"change": change, "fields": fields})
    return rows


def _state_label(model: Any, value: Any) -> Any:
    states = getattr(model, "State", None)
    if states is not None and value in states.values:
        return states(value).label
    return value


def _shown(value: Any) -> str:
    if value in (None, ""):
        return "—"
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if isinstance(value, list | dict):
        return "…"
    return str(value)
