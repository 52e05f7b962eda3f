"""Tax the platform withholds for household and individual sellers (Decree 117/2025):
which sellers, at which rates on which day, and the monthly report per shop."""

from __future__ import annotations

import datetime

from marketplace.core.errors import InvalidInput
from payments.models import TaxCategory, WithholdingRate
from shops.models import LegalType, Shop

# Companies and cooperatives declare and pay their own VAT: nothing is withheld.
WITHHOLDING_LEGAL_TYPES = (LegalType.HOUSEHOLD, LegalType.INDIVIDUAL)


class WithholdingRateMissing(Exception):
    """No withholding rate is in force for the category on that day: a gap in the
    rates table (data an operator keeps), never guessed."""


def withholding_applies(shop: Shop) -> bool:
    return shop.legal_type in WITHHOLDING_LEGAL_TYPES


def withholding_rate_on(*, category: TaxCategory | str, on: datetime.date) -> WithholdingRate:
    """The rate in force on `on`: the newest row that started on or before it.
    Raises WithholdingRateMissing."""
    rate = (
        WithholdingRate.objects.filter(category=category, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if rate is None:
        raise WithholdingRateMissing(f"no {category} withholding rate in force on {on}")
    return rate


def month_parse(raw: str | None) -> datetime.date:
    """`YYYY-MM` → the first day of that month. Raises InvalidInput `invalid_month`."""
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        raise InvalidInput(
            "Give the month as YYYY-MM.",
            code="invalid_month",
            fields={"month": ["Expected YYYY-MM, e.g. 2026-11."]},
        ) from None
