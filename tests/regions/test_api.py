import pytest
from django.core.management import call_command

from marketplace.regions.models import Province, Ward

pytestmark = pytest.mark.django_db


def test_the_34_provinces_in_force_since_july_2025(api_client):
    response = api_client.get("/api/v1/regions/provinces/")
    assert response.status_code == 200
    provinces = response.json()
    assert len(provinces) == 34
    by_code = {p["code"]: p["name"] for p in provinces}
    # Statistics office codes.
    assert by_code["01"] == "Hà Nội"
    assert by_code["40"] == "Nghệ An"
    assert by_code["79"] == "Hồ Chí Minh"
    assert by_code["22"] == "Quảng Ninh"
    # The merged An Giang (with Kiên Giang) carries code 91; the old 89 is gone.
    assert by_code["91"] == "An Giang" and "89" not in by_code


def test_wards_of_a_province(api_client):
    response = api_client.get("/api/v1/regions/provinces/40/wards/")
    assert response.status_code == 200
    wards = response.json()
    assert len(wards) == Ward.objects.filter(province_id="40").count() > 100
    names = {w["name"] for w in wards}
    assert "Phường Thành Vinh" in names
    assert all(len(w["code"]) == 5 for w in wards)


def test_unknown_province_is_404(api_client):
    response = api_client.get("/api/v1/regions/provinces/99/wards/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "province_not_found"


def test_all_wards_are_loaded_once_and_load_regions_is_idempotent():
    # The data migration already loaded them; running the command again changes nothing.
    before = (Province.objects.count(), Ward.objects.count())
    assert before == (34, 3321)
    Province.objects.filter(code="40").update(name="tampered")
    call_command("load_regions")
    call_command("load_regions")
    assert (Province.objects.count(), Ward.objects.count()) == before
    assert Province.objects.get(code="40").name == "Nghệ An"
