"""What every operation of the REST API shares, written into the OpenAPI schema
once: the error body and the statuses it comes with, and the Idempotency-Key
header of creating POSTs. Clients generated from the schema, and schema tests,
then know them without each view repeating them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .idempotency import HEADER

ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "array",
                        "items": {"type": "string"},
                    },
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}
STATUSES = {
    "400": "The request is not valid; `fields` names each field at fault.",
    "401": "No credentials, or wrong ones.",
    "403": "Not allowed for this user.",
    "404": "Nothing here that this user may see.",
    "405": "Not allowed with this method.",
    "406": "The format asked for in Accept is not offered.",
    "409": "Someone else changed it just now, or the same request is in flight.",
    "415": "The body's content type is not accepted.",
    "422": "The idempotency key was used for a different request.",
    "429": "Too many requests; see Retry-After.",
}
# An endpoint open to all (a resident with a tracking code) never answers these.
SIGNED_IN_ONLY = ("401", "403")


def add_shared_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook (see SPECTACULAR_SETTINGS)."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            signed_in = bool(operation.get("security")) and {} not in operation.get(
                "security", []
            )
            responses = operation["responses"]
            for status, description in STATUSES.items():
                if status in responses or (not signed_in and status in SIGNED_IN_ONLY):
                    continue
                responses[status] = {
                    "description": description,
                    "content": {"application/json": {"schema": reference}},
                }
            if method == "post":
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == HEADER for p in parameters):
                    parameters.append(
                        {
                            "in": "header",
                            "name": HEADER,
                            "required": False,
                            "schema": {"type": "string", "maxLength": 100},
                            "description": (
                                "Retrying with the same key replays the first "
                                "answer (Idempotent-Replayed: true); another "
                                "request under the key gets 422."
                            ),
                        }
                    )
    return result


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Another system's key, as ``Authorization: Api-Key <key>``."""

    target_class = "civicgrid.api.clients.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Api-Key <key>, as issued to a client system in the admin.",
        }
