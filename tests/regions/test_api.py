import pytest
from django.core.management import call_command

from marketplace.regions.models import Province, Ward
from marketplace.regions.selectors import DistanceClass, distance_class

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


@pytest.mark.parametrize(
    "origin, destination, expected",
    [
        ("40", "40", DistanceClass.SAME_PROVINCE),  # Nghệ An → Nghệ An
        ("40", "48", DistanceClass.SAME_REGION),  # Nghệ An → Đà Nẵng
        ("22", "01", DistanceClass.SAME_REGION),  # Quảng Ninh → Hà Nội
        ("91", "79", DistanceClass.SAME_REGION),  # An Giang → Hồ Chí Minh
        ("40", "79", DistanceClass.OTHER_REGION),  # Nghệ An → Hồ Chí Minh
        ("37", "38", DistanceClass.OTHER_REGION),  # Ninh Bình (north) → Thanh Hóa (centre)
    ],
)
def test_distance_class_between_provinces(origin, destination, expected):
    assert (
        distance_class(
            from_province=Province.objects.get(code=origin),
            to_province=Province.objects.get(code=destination),
        )
        == expected
    )


def test_every_province_has_a_macro_region(api_client):
    provinces = api_client.get("/api/v1/regions/provinces/").json()
    counts = {}
    for p in provinces:
        counts[p["macro_region"]] = counts.get(p["macro_region"], 0) + 1
    assert counts == {"north": 15, "central": 11, "south": 8}
