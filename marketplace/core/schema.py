"""OpenAPI: every operation documents the error format it can answer with."""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "machine-readable, snake_case"},
                "message": {"type": "string", "description": "human readable"},
                "fields": {
                    "type": "object",
                    "description": "per-field messages, on validation errors",
                    "additionalProperties": {"type": "array", "items": {}},
                },
            },
        }
    },
}
_ERROR_REF = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_DESCRIPTIONS = {
    "400": "Invalid input",
    "401": "Not signed in, or the token is invalid",
    "404": "Not found (also someone else's private resource)",
    "409": "Not allowed in the current state",
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            statuses = []
            if method in {"post", "put", "patch"} or operation.get("parameters"):
                statuses.append("400")
            security = operation.get("security") or []
            if security and {} not in security:
                statuses.append("401")
            if "{" in path:
                statuses.append("404")
            for status in statuses:
                responses.setdefault(status, {"description": _DESCRIPTIONS[status], **_ERROR_REF})
    return result
