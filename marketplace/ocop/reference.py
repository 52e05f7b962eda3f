"""OCOP reference data: the six product groups and the star levels (Decision 148/QĐ-TTg,
2023) and who may issue a certificate (Decision 1489/QĐ-TTg, 6 July 2025).

These are fixed by law, so they live in code; certificates, products and the catalogue
validate against them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductGroup(models.TextChoices):
    FOOD = "food", _("Thực phẩm")
    BEVERAGE = "beverage", _("Đồ uống")
    HERBAL = "herbal", _("Dược liệu và sản phẩm từ dược liệu")
    HANDICRAFT = "handicraft", _("Thủ công mỹ nghệ")
    ORNAMENTAL = "ornamental", _("Sinh vật cảnh")
    TOURISM = "tourism", _("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch")


@dataclass(frozen=True)
class ProductGroupInfo:
    code: str
    number: int
    name: str
    name_en: str
    # Group 6 is a service bought for a date; nothing is shipped.
    is_service: bool


PRODUCT_GROUPS: tuple[ProductGroupInfo, ...] = (
    ProductGroupInfo("food", 1, "Thực phẩm", "Food", False),
    ProductGroupInfo("beverage", 2, "Đồ uống", "Beverages", False),
    ProductGroupInfo(
        "herbal",
        3,
        "Dược liệu và sản phẩm từ dược liệu",
        "Medicinal herbs and herbal products",
        False,
    ),
    ProductGroupInfo("handicraft", 4, "Thủ công mỹ nghệ", "Handicrafts", False),
    ProductGroupInfo("ornamental", 5, "Sinh vật cảnh", "Ornamental plants and animals", False),
    ProductGroupInfo(
        "tourism",
        6,
        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
        "Community tourism, eco-tourism and tourist sites",
        True,
    ),
)
PRODUCT_GROUPS_BY_CODE = {g.code: g for g in PRODUCT_GROUPS}


class StarRating(models.IntegerChoices):
    """Only 3★ and up are certified and may carry the OCOP Việt Nam mark."""

    THREE = 3, "3 sao"
    FOUR = 4, "4 sao"
    FIVE = 5, "5 sao"


# Inclusive score ranges out of 100 for each certified star level.
STAR_SCORE_RANGES: dict[int, tuple[int, int]] = {3: (50, 69), 4: (70, 89), 5: (90, 100)}


class IssuingLevel(models.TextChoices):
    DISTRICT = "district", _("Cấp huyện")
    PROVINCE = "province", _("Cấp tỉnh")
    NATIONAL = "national", _("Cấp trung ương")


# Decision 1489/QĐ-TTg abolished district rating from this date.
DISTRICT_LEVEL_ABOLISHED_ON = datetime.date(2025, 7, 6)
CERTIFICATE_VALIDITY_MONTHS = 36


def stars_for_score(score: int) -> int | None:
    """The certified star level a 100-point score earns, or None below 50."""
    for stars, (low, high) in STAR_SCORE_RANGES.items():
        if low <= score <= high:
            return stars
    return None


def issuing_level_problem(*, stars: int, level: str, issued_on: datetime.date) -> str | None:
    """Why this level could not have issued a certificate of these stars on that date,
    or None when it could."""
    if level == IssuingLevel.DISTRICT:
        if issued_on >= DISTRICT_LEVEL_ABOLISHED_ON:
            return "Districts stopped rating OCOP products on 6 July 2025 (Decision 1489/QĐ-TTg)."
        if stars != 3:
            return "A district could only certify 3-star products."
        return None
    if level == IssuingLevel.PROVINCE:
        if stars == 5:
            return "5-star products are rated by the national council, not the province."
        return None
    if level == IssuingLevel.NATIONAL:
        if stars != 5:
            return "The national council rates 5-star products; 3 and 4 stars are provincial."
        return None
    return f"Unknown issuing level {level!r}."
