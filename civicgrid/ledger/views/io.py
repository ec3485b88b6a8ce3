"""The import and export pages (导入导出): choose a kind, download its
template, upload a file and see what it did or every cell to correct; export
what you may see, masked unless the street's ledger admin asks otherwise."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from civicgrid.appeals.forms import attach_domain_error
from civicgrid.core.errors import DomainError, PermissionDeniedError

from .. import excel, permissions
from ..actions import io
from ..forms.io import ExportForm, ImportForm


def _require_importer(request: HttpRequest) -> None:
    """Keepers and the ledger admin; the ledger's readers get 403, anyone
    else 404."""
    if not permissions.sees_ledger(request.user):
        raise Http404
    if not io.importable_areas(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    result = None
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = io.import_workbook(
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    acting_user=request.user,
                )
            except PermissionDeniedError as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                attach_domain_error(form, exc)
                status = exc.status
            else:
                if result.ok:
                    messages.success(request, result.describe())
                else:
                    status = 400
        else:
            status = 400
    else:
        form = ImportForm()
    return render(
        request,
        "ledger/io/import.html",
        {
            "form": form,
            "result": result,
            "kinds": [(kind, excel.KIND_LABELS[kind]) for kind in excel.KINDS],
        },
        status=status,
    )


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    _require_importer(request)
    if kind not in excel.KINDS:
        raise Http404
    content = io.template_workbook(kind=kind, acting_user=request.user)
    response = HttpResponse(content, content_type=excel.CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="ledger-{kind}-template.xlsx"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def export_page(request: HttpRequest) -> HttpResponse | FileResponse:
    if not io.may_export(request.user):
        raise Http404
    may_unmask = bool(io.unmasked_grid_ids(request.user))
    form = ExportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                export = io.export_workbook(
                    kind=data["kind"],
                    acting_user=request.user,
                    unmasked=data["unmasked"],
                    reason=data["reason"],
                )
            except DomainError as exc:
                attach_domain_error(form, exc)
                status = exc.status
            else:
                return FileResponse(
                    export.file,
                    as_attachment=True,
                    filename=export.filename,
                    content_type=excel.CONTENT_TYPE,
                )
        else:
            status = 400
    if not may_unmask:
        form.fields.pop("unmasked")
        form.fields.pop("reason")
    return render(
        request,
        "ledger/io/export.html",
        {"form": form, "may_unmask": may_unmask},
        status=status,
    )
