from django.db import models
from django.db.models import QuerySet

from marketplace.core.errors import NotFound
from marketplace.regions.models import Province, Ward


def province_list() -> QuerySet[Province]:
    return Province.objects.order_by("code")


def province_get(code: str) -> Province:
    try:
        return Province.objects.get(code=code)
    except Province.DoesNotExist:
        raise NotFound(f"No province with code {code!r}.", code="province_not_found") from None


def ward_list(*, province_code: str) -> QuerySet[Ward]:
    province = province_get(province_code)
    return Ward.objects.filter(province=province).order_by("code")


def ward_in_province(*, province_code: str, ward_code: str) -> Ward | None:
    """The ward, if it exists and lies in that province (addresses must agree)."""
    return Ward.objects.filter(code=ward_code, province_id=province_code).first()


class DistanceClass(models.TextChoices):
    """How far a parcel travels, as Vietnamese carriers price it."""

    SAME_PROVINCE = "same_province", "Nội tỉnh"
    SAME_REGION = "same_region", "Nội miền"
    OTHER_REGION = "other_region", "Liên miền"


def distance_class(*, from_province: Province, to_province: Province) -> DistanceClass:
    if from_province.code == to_province.code:
        return DistanceClass.SAME_PROVINCE
    if from_province.macro_region == to_province.macro_region:
        return DistanceClass.SAME_REGION
    return DistanceClass.OTHER_REGION
