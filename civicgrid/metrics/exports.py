"""Tables for download, as Excel (.xlsx) or CSV: the units' rates, and the
appeals received in a period. Names and numbers are masked; descriptions are
left out (they are the residents' own words)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from civicgrid.appeals.models import Appeal, Assignment
from civicgrid.core.crypto import mask_name, mask_phone

Row = Sequence[Any]


def rate_rows(rows: list[dict[str, Any]]) -> tuple[list[str], Iterator[Row]]:
    head = [
        _("Rank"),
        _("Unit"),
        _("Appeals dispatched (派件)"),
        _("Composite score"),
        _("Score before review"),
        _("Response rate (响应率)"),
        _("Resolution rate (解决率)"),
        _("Satisfaction rate (满意率)"),
        _("On-time completion"),
        _("Return rate (回退率)"),
        _("Re-handle rate (重办率)"),
        _("List"),
    ]

    def pct(value: float | None) -> float | None:
        return None if value is None else round(value * 100, 1)

    def body() -> Iterator[Row]:
        for row in rows:
            r = row["reviewed"]
            yield [
                row["rank"],
                row["name"],
                r["dispatched"],
                None if r["score"] is None else round(r["score"], 1),
                None if row["raw"]["score"] is None else round(row["raw"]["score"], 1),
                pct(r["response"]),
                pct(r["resolution"]),
                pct(r["satisfaction"]),
                pct(r["on_time"]),
                pct(r["return_rate"]),
                pct(r["rehandle_rate"]),
                {"red": _("red list (红榜)"), "black": _("black list (黑榜)")}.get(
                    row["list"], ""
                ),
            ]

    return head, body()


def appeal_rows(appeals: Iterable[Appeal]) -> tuple[list[str], Iterator[Row]]:
    head = [
        _("Tracking code"),
        _("Received"),
        _("Channel"),
        _("Category"),
        _("Kind"),
        _("State"),
        _("Grid"),
        _("Lead unit"),
        _("Due"),
        _("Closed"),
        _("Resolved"),
        _("Satisfaction"),
        _("Resident"),
        _("Phone"),
    ]

    def local(moment: datetime | None) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    def body() -> Iterator[Row]:
        for appeal in appeals:
            leads = [a for a in appeal.assignments.all() if a.role == "lead"]
            lead = str(leads[-1].unit) if leads else ""
            yield [
                appeal.tracking_code,
                local(appeal.received_at),
                appeal.get_channel_display(),
                appeal.category.name if appeal.category else "",
                appeal.get_kind_display(),
                appeal.get_state_display(),
                appeal.grid.name if appeal.grid else "",
                lead,
                local(appeal.due_at),
                local(appeal.closed_at),
                ""
                if appeal.resolved is None
                else (_("yes") if appeal.resolved else _("no")),
                appeal.get_satisfaction_display() if appeal.satisfaction else "",
                "" if appeal.anonymous else mask_name(appeal.appellant_name),
                "" if appeal.anonymous else mask_phone(appeal.appellant_phone),
            ]

    return head, body()


def appeals_for_export(appeals: Any) -> Any:
    from django.db.models import Prefetch

    return appeals.select_related("category", "grid").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("area", "department").order_by(
                "id"
            ),
        )
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def download(
    name: str, fmt: str, head: list[str], body: Iterator[Row]
) -> HttpResponse | StreamingHttpResponse:
    """The table as ``name.xlsx`` or ``name.csv`` (UTF-8 with a BOM, so that
    Excel opens the Chinese right); CSV streams, row by row."""
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines() -> Iterator[str]:
            yield "\ufeff" + writer.writerow(head)
            for row in body:
                yield writer.writerow(["" if v is None else v for v in row])

        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            lines(), content_type="text/csv; charset=utf-8"
        )
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append(head)
        for row in body:
            sheet.append(list(row))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def period_name(prefix: str, start: date, end: date) -> str:
    return f"{prefix}-{start:%Y%m%d}-{end:%Y%m%d}"
