"""Pieces every shops service shares: the local calendar day, the audit trail, uploads."""

from __future__ import annotations

from rest_framework import status as http

from marketplace.core.clock import MARKET_TZ, local_today
from marketplace.core.errors import DomainError
from shops.models import ShopEvent, ShopEventKind

__all__ = ["MARKET_TZ", "NotAllowed", "event_record", "local_today"]


class NotAllowed(DomainError):
    status_code = http.HTTP_403_FORBIDDEN
    code = "permission_denied"
    message = "You are not allowed to do this."


def event_record(
    *,
    shop,
    kind: str,
    to_status: str,
    from_status: str = "",
    reason: str = "",
    actor=None,
    certificate=None,
    product=None,
) -> ShopEvent:
    return ShopEvent.objects.create(
        shop=shop,
        kind=kind,
        certificate=certificate,
        product=product,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        actor=actor if getattr(actor, "pk", None) else None,
    )


__all__ = ["MARKET_TZ", "NotAllowed", "ShopEventKind", "event_record", "local_today"]
