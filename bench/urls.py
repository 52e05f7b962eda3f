"""The benchmark's urlconf: the whole API plus the floor endpoint.

Selected with DJANGO_ROOT_URLCONF=bench.urls; never part of the served product.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from marketplace.urls import urlpatterns as api_urlpatterns

_bodies: dict[int, bytes] = {}


def _body_of(size: int) -> bytes:
    # A JSON document of exactly `size` bytes, built once per size and served from memory.
    body = _bodies.get(size)
    if body is None:
        head, tail = b'{"padding":"', b'"}'
        body = head + b"x" * max(size - len(head) - len(tail), 0) + tail
        _bodies[size] = body
    return body


def floor(request: HttpRequest) -> HttpResponse:
    """The fastest a Django view can answer here: no database, no serialisation, the
    same middleware as the API. `?bytes=` sets the body size to mirror an endpoint's."""
    try:
        size = min(max(int(request.GET.get("bytes", "2000")), 16), 1_000_000)
    except ValueError:
        size = 2000
    return HttpResponse(_body_of(size), content_type="application/json")


urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *api_urlpatterns]

# Errors answer in the API's format here too.
from marketplace.urls import handler400, handler403, handler404, handler500  # noqa: E402, F401
