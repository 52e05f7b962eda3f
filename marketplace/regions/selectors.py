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
