from __future__ import annotations

import json
from typing import Any

from django import forms


class GeoJSONMapWidget(forms.Textarea):
    """A GeoJSON text box with a live map preview of the polygon beside it."""

    template_name = "org/widgets/geojson_map.html"

    class Media:
        css = {"all": ("vendor/leaflet/leaflet.css",)}
        js = ("vendor/leaflet/leaflet.js", "js/area-map.js", "js/boundary-preview.js")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={"rows": 8, "cols": 80, "spellcheck": "false", **(attrs or {})}
        )

    def format_value(self, value: Any) -> str | None:
        if value in (None, "", "null"):  # no boundary yet: an empty box
            return None
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)
