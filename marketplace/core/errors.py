"""One error format for the whole API: {"error": {"code", "message", "fields"?}}.

Domain code raises a `DomainError` subclass; views never build error bodies by hand.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from psycopg.errors import QueryCanceled
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule said no. Carries its HTTP status and machine-readable code."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "bad_request"
    message = "The request cannot be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.fields = fields
        self.extra = extra or {}
        super().__init__(self.message)


class InvalidInput(DomainError):
    code = "invalid_input"


class NotFound(DomainError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"
    message = "Not found."


class Conflict(DomainError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"
    message = "The request conflicts with the current state."


class InvalidTransition(Conflict):
    """A state change that the current state does not allow."""

    code = "invalid_transition"


def error_body(
    code: str,
    message: str,
    fields: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = field_messages(fields)
    if extra:
        error.update(extra)
    return {"error": error}


def domain_error_body(exc: DomainError) -> dict[str, Any]:
    """A service's refusal in the API's error format."""
    return error_body(exc.code, exc.message, exc.fields, exc.extra)


def field_messages(data: Any, prefix: str = "") -> dict[str, list[str]]:
    """Validation errors as `{field: [message, ...]}`, whatever their nesting: a nested
    serializer's field is named by its path (`shipping_address.ward_code`, `items.1.quantity`),
    so that every entry is a list of strings, as the schema's Error says. A list-level
    error (a serializer with many=True, or a bare ValidationError) is `non_field_errors`."""
    if isinstance(data, dict):
        messages: dict[str, list[str]] = {}
        for key, value in data.items():
            messages.update(field_messages(value, f"{prefix}.{key}" if prefix else str(key)))
        return messages
    if isinstance(data, list | tuple) and any(isinstance(v, dict | list | tuple) for v in data):
        messages = {}
        for index, value in enumerate(data):
            messages.update(field_messages(value, f"{prefix}.{index}" if prefix else str(index)))
        return messages
    items = data if isinstance(data, list | tuple) else [data]
    return {prefix or "non_field_errors": [str(item) for item in items]} if items else {}


def _first_message(detail: Any) -> str:
    if isinstance(detail, dict):
        if "detail" in detail:
            return str(detail["detail"])
        for value in detail.values():
            return _first_message(value)
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


# Seconds a client is told to wait after its request ran out of database time.
STATEMENT_TIMEOUT_RETRY_AFTER = 5


def is_statement_timeout(exc: BaseException) -> bool:
    """A statement PostgreSQL cancelled at the web's `statement_timeout`
    (DATABASE_STATEMENT_TIMEOUT_MS): the request asked for more work than a request may
    do, or the database is overloaded; either way a 503, not a 500."""
    return isinstance(exc, OperationalError) and isinstance(exc.__cause__, QueryCanceled)


def _statement_timeout_body() -> dict[str, Any]:
    return error_body(
        "statement_timeout",
        "The request took the database too long; try again shortly or narrow it.",
    )


def statement_timeout_response() -> JsonResponse:
    """The 503 for a cancelled statement, for views answered outside DRF."""
    response = JsonResponse(_statement_timeout_body(), status=503)
    response["Retry-After"] = str(STATEMENT_TIMEOUT_RETRY_AFTER)
    return response


# Seconds a client is told to wait after the database connection failed under it.
DATABASE_UNAVAILABLE_RETRY_AFTER = 5


def is_database_unavailable(exc: BaseException | None) -> bool:
    """The request's database connection failed or was lost (a PostgreSQL restart or
    failover, a backend terminated, the server unreachable): a 503 to retry, not a 500.
    The transaction it was in is gone with the connection, so nothing of it was written;
    Django closes the broken connection at the request's end and the next request opens
    a new one. Errors PostgreSQL reports on a live connection (a constraint, a deadlock)
    stay what they are."""
    if isinstance(exc, InterfaceError):
        # Django's "connection already closed": the connection died earlier.
        return True
    if not isinstance(exc, OperationalError) or is_statement_timeout(exc):
        return False
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    # None: libpq lost the server (no SQLSTATE); class 08: connection exception;
    # 57P01-57P03: the server shut down or is starting (`pg_terminate_backend` is 57P01).
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in _SHUTDOWN_STATES


_SHUTDOWN_STATES = frozenset({"57P01", "57P02", "57P03"})


def _database_unavailable_body() -> dict[str, Any]:
    return error_body(
        "database_unavailable",
        "The database could not be reached; nothing was changed. Try again shortly.",
    )


def database_unavailable_response() -> JsonResponse:
    """The 503 for a lost database connection, for answers given outside DRF."""
    response = JsonResponse(_database_unavailable_body(), status=503)
    response["Retry-After"] = str(DATABASE_UNAVAILABLE_RETRY_AFTER)
    return response


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(domain_error_body(exc), status=exc.status_code)
    if is_statement_timeout(exc):
        return Response(
            _statement_timeout_body(),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(STATEMENT_TIMEOUT_RETRY_AFTER)},
        )
    if is_database_unavailable(exc):
        logger.warning("database unavailable during a request", exc_info=exc)
        return Response(
            _database_unavailable_body(),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(DATABASE_UNAVAILABLE_RETRY_AFTER)},
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))

    response = drf_exception_handler(exc, context)
    if response is None:
        # Unhandled: Django's handler500 answers in the same format and it gets logged.
        return None

    if isinstance(exc, exceptions.ValidationError):
        body = error_body(
            "validation_error",
            "The request has invalid fields.",
            fields=response.data,
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
        code = getattr(exc, "default_code", "error")
        if isinstance(detail, dict) and "code" in detail:
            code = str(detail["code"])
        elif hasattr(detail, "code") and detail.code:
            code = str(detail.code)
        extra = {}
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            extra["retry_after"] = int(exc.wait)
        body = error_body(code, _first_message(detail), extra=extra)
    response.data = body
    return response


def json_page_not_found(request, exception=None):
    return JsonResponse(error_body("not_found", "Not found."), status=404)


def json_server_error(request):
    # Django calls this while handling the exception (middleware, views outside DRF):
    # a lost database connection there is a 503 too.
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response()
    return JsonResponse(
        error_body("internal_error", "Something went wrong on our side."), status=500
    )


def _request_limit(exception) -> tuple[str, str] | None:
    """The code and message of a request Django refused for its weight (its
    DATA_UPLOAD_* limits), which it answers through handler400 before any view runs."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return "request_too_large", f"The request body is limited to {limit} bytes (files aside)."
    if isinstance(exception, TooManyFieldsSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return "too_many_fields", f"A request holds at most {limit} fields."
    if isinstance(exception, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return "too_many_files", f"A request holds at most {limit} files."
    return None


def json_bad_request(request, exception=None):
    # A client that sent too much must learn which limit it hit, not a bare 400.
    code, message = _request_limit(exception) or ("bad_request", "Bad request.")
    return JsonResponse(error_body(code, message), status=400)


def json_permission_denied(request, exception=None):
    return JsonResponse(error_body("permission_denied", "Permission denied."), status=403)
