"""The few hot writes answered before DRF's request handling (content negotiation,
parsers, the authentication and permission classes, the renderer), whose fixed cost
was as large as the write itself: the cart add and the cash-on-delivery checkout.

Such a view tries its direct path first and gives the request to DRF, untouched, for
anything but the plain case (another content type or Accept, a body its serializers
would have to judge, no valid bearer token): DRF then answers it in full, errors
included. What the direct path itself refuses it answers as DRF would."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.json import strict_constant

from marketplace.core.errors import DomainError, domain_error_body

JSON = "application/json"
# What `json_body` answers for a request that is not the plain case.
NOT_PLAIN = object()


def json_body(request: HttpRequest) -> Any:
    """The request's JSON body when it is a UTF-8 JSON request that accepts a JSON
    answer and that DRF's JSON parser would read the same (no NaN nor Infinity), else
    `NOT_PLAIN`."""
    accept = request.META.get("HTTP_ACCEPT", "*/*")
    if (
        request.content_type != JSON
        or request.encoding not in (None, "utf-8", "UTF-8")
        or not ("*/*" in accept or JSON in accept)
    ):
        return NOT_PLAIN
    try:
        return json.loads(request.body.decode(), parse_constant=strict_constant)
    except (ValueError, RecursionError):  # DRF's parser words the 400
        return NOT_PLAIN


def json_response(data: Any, status: int) -> HttpResponse:
    """`data` rendered as DRF's JSONRenderer renders it (bytes already rendered pass
    through)."""
    body = data if isinstance(data, bytes) else JSONRenderer().render(data)
    return HttpResponse(body, status=status, content_type=JSON)


def domain_error_response(exc: DomainError) -> HttpResponse:
    """A refusal from a service, in the API's error format (see `api_exception_handler`)."""
    return json_response(domain_error_body(exc), status=exc.status_code)


class DirectPostMixin:
    """For an APIView: a POST is first offered to `answer_directly(request)`, and goes
    through DRF when that answers None."""

    def answer_directly(self, request: HttpRequest) -> HttpResponse | None:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        answer = self.answer_directly(request) if request.method == "POST" else None
        if answer is None:
            return super().dispatch(request, *args, **kwargs)
        answer["Allow"] = ", ".join(self.allowed_methods)  # as DRF's answer has it
        return answer
