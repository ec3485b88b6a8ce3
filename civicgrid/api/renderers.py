import json
from typing import Any

from rest_framework.renderers import BaseRenderer


class ImageRenderer(BaseRenderer):
    """Lets an image client (``Accept: image/*``) reach an endpoint that answers
    with a file; an error on the way is still the JSON error body."""

    media_type = "image/*"
    format = "image"
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


class AudioRenderer(ImageRenderer):
    """:class:`ImageRenderer` for a sound file (``Accept: audio/*``): a voice
    message."""

    media_type = "audio/*"
    format = "audio"
