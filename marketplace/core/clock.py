"""The market's clock: Vietnam's calendar, by which certificates expire, tax months
close and payout weeks turn."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

MARKET_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_today() -> datetime.date:
    """Today's date in Vietnam."""
    return timezone.now().astimezone(MARKET_TZ).date()


def local_date(moment: datetime.datetime) -> datetime.date:
    """The Vietnamese calendar day of an instant."""
    return moment.astimezone(MARKET_TZ).date()


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The instant a Vietnamese calendar day begins."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=MARKET_TZ)
