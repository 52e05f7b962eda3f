import pytest
from django.urls import path
from rest_framework import permissions
from rest_framework.generics import ListAPIView
from rest_framework.serializers import ModelSerializer

from marketplace.regions.models import Ward

pytestmark = pytest.mark.django_db


def test_malformed_json_is_400_in_error_format(api_client):
    response = api_client.post(
        "/api/v1/auth/register/", data='{"email": "a@b.vn",', content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert "JSON" in error["message"]


def test_unsupported_media_type_is_415_in_error_format(api_client):
    response = api_client.post("/api/v1/auth/register/", data="x=1", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_wrong_method_is_405_in_error_format(api_client):
    response = api_client.delete("/api/v1/regions/provinces/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_unknown_path_is_json_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


class _WardSerializer(ModelSerializer):
    class Meta:
        model = Ward
        fields = ["code"]


class _WardPage(ListAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = _WardSerializer
    queryset = Ward.objects.order_by("code")


class _Boom(ListAPIView):
    permission_classes = [permissions.AllowAny]

    def get(self, request):
        raise RuntimeError("a bug")


urlpatterns = [path("wards/", _WardPage.as_view()), path("boom/", _Boom.as_view())]
handler500 = "marketplace.core.errors.json_server_error"


@pytest.mark.urls("tests.core.test_errors")
@pytest.mark.parametrize(
    "query, status, size",
    [("", 200, 20), ("?page_size=1", 200, 1), ("?page_size=100", 200, 100)],
)
def test_pagination_page_size_bounds(client, query, status, size):
    response = client.get(f"/wards/{query}")
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert len(body["results"]) == size
    assert body["count"] == Ward.objects.count()


@pytest.mark.urls("tests.core.test_errors")
@pytest.mark.parametrize("bad", ["0", "101", "-3", "abc"])
def test_pagination_rejects_page_size_out_of_range(client, bad):
    response = client.get(f"/wards/?page_size={bad}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_page_size"


@pytest.mark.urls("tests.core.test_errors")
def test_page_past_the_end_is_404_in_error_format(client):
    response = client.get("/wards/?page=100000")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.urls("tests.core.test_errors")
def test_unhandled_exception_answers_json_500(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
