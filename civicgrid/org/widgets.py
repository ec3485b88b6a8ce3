from __future__ import annotations

import json
from typing import Any

from django import forms


class GeoJSONMapWidget(forms.Textarea):
    """A GeoJSON text box with a live map preview of the polygon beside it.

    A grid's boundary is drawn in the map editor (``editor_url``): the page
    links there and keeps the text box folded away, for pasting a boundary
    from elsewhere; it is checked the same way either way."""

    template_name = "org/widgets/geojson_map.html"
    editor_url = ""

    class Media:
        css = {"all": ("vendor/leaflet/leaflet.css",)}
        js = ("vendor/leaflet/leaflet.js", "js/area-map.js", "js/boundary-preview.js")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={"rows": 8, "cols": 80, "spellcheck": "false", **(attrs or {})}
        )

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["editor_url"] = self.editor_url
        return context

    def format_value(self, value: Any) -> str | None:
        if value in (None, "", "null"):  # no boundary yet: an empty box
            return None
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)
