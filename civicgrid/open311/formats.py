"""GeoReport v2's two formats, as the specification writes them.

XML: a collection root (``services``, ``service_requests`` …) holding one element
per item; a list inside an item repeats its own element name (``attributes`` →
``attribute``). JSON: the same data with the collection root dropped, so a
collection is a bare array ("Spark convention"). Empty values are empty elements
in XML and ``null`` in JSON; datetimes are ISO 8601 with their offset.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

FORMATS = ("xml", "json")
CONTENT_TYPES = {
    "xml": "text/xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
# A list under this name holds elements of that name.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def when(moment: datetime | None) -> str | None:
    """2026-11-28T10:00:00+08:00: local time with its offset."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


# Characters XML 1.0 cannot carry at all; one would spoil a whole listing.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        name = ITEM_NAMES[element.tag]
        for item in value:
            _fill(ET.SubElement(element, name), item)
    else:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, data)
    body = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()


def respond(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    """``data`` as the collection ``root`` (a list) or the object ``root``."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False).encode()
    else:
        body = to_xml(root, data)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    return respond(
        fmt,
        "errors",
        [{"code": status, "description": text} for text in descriptions],
        status=status,
    )
