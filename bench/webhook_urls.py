"""The webhook benchmark's urlconf: bench/urls.py (the API and the GET floor) plus a
POST floor that reads the request body, as the Stripe webhook does.

Selected with DJANGO_ROOT_URLCONF=bench.webhook_urls; never part of the served product.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from bench.urls import _body_of
from bench.urls import urlpatterns as bench_urlpatterns


@csrf_exempt
def floor_post(request: HttpRequest) -> HttpResponse:
    """The fastest a Django view can take a POST here: the body is read (and thrown
    away), nothing is checked or stored, the same middleware runs as for the API.
    `?bytes=` sets the answer's size to mirror the webhook's."""
    request.body  # noqa: B018 - read, as the webhook reads it
    try:
        size = min(max(int(request.GET.get("bytes", "64")), 16), 1_000_000)
    except ValueError:
        size = 64
    return HttpResponse(_body_of(size), content_type="application/json")


urlpatterns = [path("bench/floor-post/", floor_post, name="bench-floor-post"), *bench_urlpatterns]

# Errors answer in the API's format here too.
from marketplace.urls import handler400, handler403, handler404, handler500  # noqa: E402, F401
