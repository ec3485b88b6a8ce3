"""The import and export API (导入导出): the template of a kind, an upload
(multipart) answered with what it did or with every bad cell, and an export —
through the same actions as the pages. An outsider gets 404, a reader of the
ledger 403 for an import."""

from __future__ import annotations

import json
from typing import Any

from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from civicgrid.api.errors import error_response

from .. import excel, permissions
from ..actions import io

KIND = OpenApiParameter(
    "kind",
    str,
    OpenApiParameter.PATH,
    enum=list(excel.KINDS),
    description="What the file holds.",
)


class XlsxRenderer(BaseRenderer):
    """Lets a client asking for a workbook reach the endpoints that answer
    with one; an error on the way is still the JSON error body."""

    media_type = excel.CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Any = None,
    ) -> bytes:
        if renderer_context and renderer_context.get("response") is not None:
            renderer_context["response"]["Content-Type"] = "application/json"
        return json.dumps(data, ensure_ascii=False).encode()


class UploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        help_text="The workbook (.xlsx); its first sheet is read."
    )


class ImportResultSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    rows = serializers.IntegerField()
    added = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    message = serializers.CharField()


class CellErrorSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(help_text="The row's number in the sheet.")
    column = serializers.CharField(
        help_text="The column's header as the file wrote it."
    )
    message = serializers.CharField()


REFUSED = inline_serializer(
    "ImportRefused",
    {
        "error": inline_serializer(
            "ImportRefusedError",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField())
                ),
                "cells": CellErrorSerializer(
                    many=True,
                    required=False,
                    help_text="Every bad cell (nothing was written).",
                ),
            },
        )
    },
)


class ExportSerializer(serializers.Serializer[Any]):
    unmasked = serializers.BooleanField(
        default=False,
        help_text="Names and numbers whole: the ledger admin only, with a reason.",
    )
    reason = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )


def _kind(kind: str) -> str:
    if kind not in excel.KINDS:
        raise Http404
    return kind


def _require_importer(user: Any) -> None:
    if not permissions.sees_ledger(user):
        raise Http404
    io.require_importer(user)


class ImportTemplateView(APIView):
    renderer_classes = [XlsxRenderer, JSONRenderer]

    @extend_schema(
        tags=["ledger"],
        parameters=[KIND],
        responses={(200, excel.CONTENT_TYPE): OpenApiTypes.BINARY},
        operation_id="ledger_import_template",
    )
    def get(self, request: Request, kind: str) -> HttpResponse:
        """The template of a kind: headers in the request's language, a note
        on each saying its format, one example row."""
        _require_importer(request.user)
        content = io.template_workbook(kind=_kind(kind), acting_user=request.user)
        response = HttpResponse(content, content_type=excel.CONTENT_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="ledger-{kind}-template.xlsx"'
        )
        return response


class ImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["ledger"],
        parameters=[KIND],
        request={"multipart/form-data": UploadSerializer},
        responses={200: ImportResultSerializer, 400: REFUSED},
        operation_id="ledger_import",
    )
    def post(self, request: Request, kind: str) -> Response:
        """Import a workbook: written whole, or — with any bad cell — nothing
        written and every bad cell named (row, column, why) in ``cells``.
        Importing the same file again changes nothing."""
        _require_importer(request.user)
        given = UploadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        result = io.import_workbook(
            kind=_kind(kind),
            upload=given.validated_data["file"],
            acting_user=request.user,
        )
        if not result.ok:
            response = error_response(status.HTTP_400_BAD_REQUEST, result.describe())
            response.data["error"]["cells"] = [e.as_dict() for e in result.errors]
            return response
        return Response(
            {
                "kind": result.kind,
                "rows": result.rows,
                "added": result.added,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "message": result.describe(),
            }
        )


class ExportView(APIView):
    renderer_classes = [XlsxRenderer, JSONRenderer]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        tags=["ledger"],
        parameters=[KIND],
        request=ExportSerializer,
        responses={(200, excel.CONTENT_TYPE): OpenApiTypes.BINARY},
        operation_id="ledger_export",
    )
    def post(self, request: Request, kind: str) -> FileResponse:
        """What the user may see of a kind, in the template's columns, masked;
        the street's ledger admin may ask for it whole with a reason (each
        person exported is recorded as revealed). A POST, so that nothing of
        the request is in a URL."""
        if not io.may_export(request.user):
            raise Http404
        given = ExportSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        export = io.export_workbook(
            kind=_kind(kind),
            acting_user=request.user,
            unmasked=given.validated_data["unmasked"],
            reason=given.validated_data["reason"],
        )
        return FileResponse(
            export.file,
            as_attachment=True,
            filename=export.filename,
            content_type=excel.CONTENT_TYPE,
        )
