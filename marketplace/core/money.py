"""Money is an integer number of đồng. VND is a zero-decimal currency, in Stripe too."""

from babel.numbers import format_currency

from marketplace.core.numbers import is_whole_number

CURRENCY = "VND"


def format_vnd(amount: int, locale: str = "vi_VN") -> str:
    """`150000` → `150.000 ₫` (vi) or `₫150,000` (en)."""
    if not is_whole_number(amount):
        raise TypeError("money is an integer number of đồng")
    return format_currency(amount, CURRENCY, locale=locale)
