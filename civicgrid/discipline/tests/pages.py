"""What the HTTP tests of the sealed channel share: a report posted through
the form and followed up with its receipt, the headers every answer under
/discipline/ carries, a reading of a page's HTML for what the CSP forbids,
the whole database as text, and every log line of every logger."""

from __future__ import annotations

import html.parser
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.urls import reverse

from civicgrid.discipline.models import AuditEntry

from .conftest import MARKER

RECEIPT_SHOWN = re.compile(r"\b\d{4} \d{4} \d{4} \d{4}\b")


def report_fields(**extra: Any) -> dict[str, Any]:
    """The report form, filled in anonymously, MARKER in every text."""
    fields: dict[str, Any] = {
        "matter": "duty_violation",
        "accused_name": f"某某{MARKER}",
        "accused_unit": f"某局{MARKER}",
        "accused_post": "副局长",
        "what": f"收受红包 {MARKER}",
        "when": f"2026年3月 {MARKER}",
        "real_name": "0",
    }
    fields.update(extra)
    return fields


def post_report(client: Any, body: str = "dl", **extra: Any) -> Any:
    return client.post(
        reverse("discipline:report", args=[body]), report_fields(**extra)
    )


def receipt_of(response: Any) -> str:
    """The 16 digits the receipt page shows (in fours)."""
    found = RECEIPT_SHOWN.findall(response.content.decode())
    assert len(found) == 1, found
    return found[0].replace(" ", "")


def open_report(client: Any, receipt: str) -> Any:
    """Follow up with the receipt: the redirect to the report page."""
    response = client.post(reverse("discipline:follow_up"), {"receipt": receipt})
    assert response.status_code == 302, response.content.decode()
    return response


def audit_count(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- headers and HTML ----------------------------------------------------------


def assert_sealed_headers(response: Any, url: str = "") -> None:
    """What the middleware puts on every answer under /discipline/."""
    where = f"{url} ({response.status_code})"
    assert response["Cache-Control"].startswith("no-store"), where
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp, where
    assert "frame-ancestors 'none'" in csp, where
    # "same-origin", not "no-referrer": with that a browser sends "Origin:
    # null" on a form's POST, which the CSRF check refuses. Neither tells
    # another site where the reader came from.
    assert response["Referrer-Policy"] in ("same-origin", "no-referrer"), where


URL = re.compile(r"(?:https?:)?//([^/\s\"'<>?#]+)", re.IGNORECASE)


class PageReading(html.parser.HTMLParser):
    """What a strict CSP would refuse on a page: inline scripts, inline and
    embedded styles, and addresses of other hosts (in attributes or text)."""

    def __init__(self, own_hosts: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.own_hosts = own_hosts
        self.problems: list[str] = []
        self._in_script = False

    def _look_for_hosts(self, text: str, where: str) -> None:
        for match in URL.finditer(text or ""):
            if match.group(1).lower() not in self.own_hosts:
                self.problems.append(f"another host in {where}: {match.group(0)}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            if not values.get("src"):
                self.problems.append("an inline <script>")
            self._in_script = True
        if tag == "style":
            self.problems.append("a <style> element")
        if "style" in values:
            self.problems.append(f"a style= attribute on <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"an inline handler {name}= on <{tag}>")
            if value and not value.startswith("data:"):
                self._look_for_hosts(value, f"<{tag} {name}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        self._look_for_hosts(data, "the text")


def own_hosts() -> set[str]:
    return {"testserver", (urlsplit(settings.CIVICGRID_PUBLIC_URL).netloc).lower()}


def page_problems(response: Any) -> list[str]:
    reading = PageReading(own_hosts())
    reading.feed(response.content.decode())
    reading.close()
    return reading.problems


def assert_clean_page(response: Any, url: str = "") -> None:
    assert_sealed_headers(response, url)
    if response["Content-Type"].startswith("text/html"):
        assert page_problems(response) == [], url


# --- the database and the logs -------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, memoryview | bytes | bytearray):
        # A clear text stored in a binary column would show here.
        return bytes(value).decode("latin-1")
    return str(value)


def database_dump() -> str:
    """Every row of every table, as text."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    lines: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            lines.extend(
                f"{table}: " + " | ".join(_text(value) for value in row)
                for row in cursor.fetchall()
            )
    return "\n".join(lines)


@contextmanager
def every_log_line(caplog: Any) -> Iterator[list[str]]:
    """Every record of every logger at DEBUG (the SQL with its parameters
    too), formatted, in the list yielded — filled when the block ends."""
    lines: list[str] = []
    caplog.set_level(logging.DEBUG)
    loggers = [
        logging.getLogger(name)
        for name, found in logging.root.manager.loggerDict.items()
        if isinstance(found, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    aside = [logger for logger in loggers if not logger.propagate]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    for logger in aside:
        logger.addHandler(caplog.handler)
    debug_cursor = connection.force_debug_cursor
    connection.force_debug_cursor = True
    start = len(caplog.records)
    try:
        yield lines
    finally:
        connection.force_debug_cursor = debug_cursor
        for logger in aside:
            logger.removeHandler(caplog.handler)
        for logger, level in levels.items():
            logger.setLevel(level)
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        lines.extend(
            formatter.format(record) + " " + repr(getattr(record, "params", ""))
            for record in caplog.records[start:]
        )
