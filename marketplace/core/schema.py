"""OpenAPI: every operation documents the error statuses it can answer, in the one error
format, worked out from the view that serves it (its authentication, permissions,
throttles, parsers and path), so that a new view is documented truthfully without a
hand-written list; and paged lists document their `page` and `page_size`."""

from __future__ import annotations

import re

from drf_spectacular import openapi
from drf_spectacular.plumbing import force_instance
from rest_framework import permissions
from rest_framework_simplejwt.views import TokenViewBase

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
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}
_ERROR_REF = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_DESCRIPTIONS = {
    "400": "Invalid input",
    "401": "Not signed in, or the token is invalid or expired",
    "403": "Signed in, but this account may not do this (role, shop role, unverified e-mail)",
    "404": "Not found (also someone else's private resource, or a page past the last)",
    "409": "Not allowed in the current state",
    "415": "The body is not in a media type this operation takes",
    "429": "Too many requests: wait `retry_after` seconds (also the Retry-After header)",
    "503": "The database took too long; try again after Retry-After seconds",
}
# Permissions that only ask "signed in?" answer 401, never 403.
_SIGN_IN_ONLY = (
    permissions.AllowAny,
    permissions.IsAuthenticated,
    permissions.IsAuthenticatedOrReadOnly,
)
# Where a service, not a permission class, refuses a signed-in account (403): the shop
# helpers (shops.permissions: an operator on a member's endpoint, a staff member on an
# owner's), opening a shop (producers only), cash on delivery before the e-mail is
# verified, a review without a received purchase, an invitation for another address.
_SERVICE_REFUSALS = (
    ("/api/v1/shops/{slug}/", None),
    ("/api/v1/shops/", "post"),
    ("/api/v1/checkout/", "post"),
    ("/api/v1/products/{product_id}/reviews/", "post"),
    ("/api/v1/shops/invitations/accept/", "post"),
)
# Writes whose body names a row that may not exist or not be the caller's (404).
_BODY_LOOKUPS = (
    ("/api/v1/shops/invitations/accept/", "post"),
    ("/api/v1/cart/items/", "post"),
    ("/api/v1/checkout/", "post"),
    ("/api/v1/shops/{slug}/products/", "post"),
)
_UNSAFE = {"post", "put", "patch", "delete"}
PAGE_PARAMETERS = [
    {
        "in": "query",
        "name": "page",
        "required": False,
        # DRF's PageNumberPagination also takes an empty page (the first) and `last`.
        "schema": {
            "anyOf": [
                {"type": "integer", "minimum": 1},
                {"type": "string", "enum": ["", "last"]},
            ]
        },
        "description": "1 to the last page (or `last`); past it, 404",
    },
    {
        "in": "query",
        "name": "page_size",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
    },
]


def one_or_several(values) -> str:
    """The pattern of a query parameter that takes one value or several separated by
    commas (`?stars=4,5`), each from `values`; empty means no filter."""
    choice = "|".join(re.escape(str(value)) for value in values)
    return rf"^(({choice})(,({choice}))*)?$"


def _is_one_of(result, body) -> bool:
    schema = body.get("content", {}).get("application/json", {}).get("schema", {})
    name = schema.get("$ref", "").rpartition("/")[2]
    return "oneOf" in result["components"]["schemas"].get(name, schema)


def _views(generator) -> dict[tuple[str, str], type]:
    views = {}
    for path, _regex, method, callback in getattr(generator, "endpoints", None) or []:
        views[(path, method.lower())] = getattr(callback, "cls", None)
    return views


def _is_paged(operation) -> bool:
    for code, response in operation.get("responses", {}).items():
        if not code.startswith("2"):
            continue
        ref = response.get("content", {}).get("application/json", {}).get("schema", {})
        if ref.get("$ref", "").startswith("#/components/schemas/Paginated"):
            return True
    return False


def _error_statuses(path: str, method: str, operation, view) -> list[str]:
    secured = [entry for entry in operation.get("security") or [] if entry]
    sign_in_required = bool(secured) and {} not in (operation.get("security") or [])
    statuses = []
    if method in _UNSAFE or operation.get("parameters"):
        statuses.append("400")
    if secured or (view is not None and issubclass(view, TokenViewBase)):
        # A missing token where one is required, any invalid or expired token, and the
        # token endpoints' wrong password or dead refresh token.
        statuses.append("401")
    refusing = view is not None and any(
        not issubclass(permission, _SIGN_IN_ONLY) for permission in view.permission_classes
    )
    if refusing or any(
        path.startswith(prefix) and (only is None or only == method) and sign_in_required
        for prefix, only in _SERVICE_REFUSALS
    ):
        statuses.append("403")
    paged = _is_paged(operation) or any(
        parameter.get("name") == "page" for parameter in operation.get("parameters", [])
    )
    if "{" in path or paged or (path, method) in _BODY_LOOKUPS:
        statuses.append("404")
    if method in _UNSAFE and operation.get("security"):
        # Every write goes through a service that checks the current state (the token
        # endpoints, with no security at all, change no marketplace state).
        statuses.append("409")
    if "requestBody" in operation:
        statuses.append("415")
    if view is not None and view.throttle_classes:
        statuses.append("429")
    # Any statement past the web's statement_timeout (marketplace.core.errors).
    statuses.append("503")
    return statuses


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    views = _views(generator)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            parameters = operation.setdefault("parameters", [])
            paging = {p["name"] for p in PAGE_PARAMETERS}
            if _is_paged(operation) or paging & {p.get("name") for p in parameters}:
                # PageNumberPagination's bounds (marketplace.core.pagination).
                parameters[:] = [p for p in parameters if p.get("name") not in paging]
                parameters += PAGE_PARAMETERS
            if not parameters:
                del operation["parameters"]
            body = operation.get("requestBody")
            if body and method in _UNSAFE and _is_one_of(result, body):
                # A body that is one of several shapes (PolymorphicProxySerializer) is
                # still required: an empty one matches none of them.
                body["required"] = True
            responses = operation.setdefault("responses", {})
            view = views.get((path, method))
            for status in _error_statuses(path, method, operation, view):
                responses.setdefault(status, {"description": _DESCRIPTIONS[status], **_ERROR_REF})
    return result


def documented(field, **schema):
    """`field` with its schema narrowed to the service's rule (`minimum=1` for a price):
    the serializer keeps only the outer bounds so that the service answers with its own
    error code, while clients and the fuzzer read the real constraint."""
    # On the class, not the instance: DRF deep-copies declared fields by calling the
    # class again with the same arguments.
    field.__class__ = type(
        f"Documented{type(field).__name__}", (type(field),), {"documented_schema": schema}
    )
    return field


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, naming a paged list `..._list` like any list (a page is one
    object to spectacular, which would call it `..._retrieve` and clash with the detail's
    operation id)."""

    def get_operation_id(self) -> str:
        operation_id = super().get_operation_id()
        if self.method == "GET" and getattr(self.get_response_serializers(), "paged", False):
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id

    def _get_request_for_media_type(self, serializer, direction="request"):
        # A PATCH body here is validated whole (no view passes partial=True): document
        # its required fields as required, not spectacular's all-optional `Patched...`.
        if self.method == "PATCH" and force_instance(serializer) is not None:
            self.method = "PUT"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)

    def _map_basic_serializer(self, serializer, direction):
        self._direction = direction
        return super()._map_basic_serializer(serializer, direction)

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        # What `documented()` narrows is the input's rule; an answer may show a field
        # not yet set (a payout account's empty number).
        if getattr(self, "_direction", "request") == "request":
            schema.update(getattr(field, "documented_schema", {}))
