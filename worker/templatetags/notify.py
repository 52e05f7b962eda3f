"""Filters for notification templates: money and dates the way each language writes them."""

from datetime import date

from django import template

from marketplace.core.money import format_vnd

register = template.Library()

_LOCALES = {"vi": "vi_VN", "en": "en_US"}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@register.filter
def vnd(amount, language="vi"):
    """150000 → "150.000 ₫" (vi) or "₫150,000" (en)."""
    return format_vnd(int(amount), locale=_LOCALES.get(language, "vi_VN"))


@register.filter
def day(value, language="vi"):
    """ "2026-12-31" → "31/12/2026" (vi) or "31 Dec 2026" (en)."""
    when = value if isinstance(value, date) else date.fromisoformat(str(value))
    if language == "en":
        return f"{when.day} {_MONTHS_EN[when.month - 1]} {when.year}"
    return when.strftime("%d/%m/%Y")
