"""Pieces every shops service shares: the refusal and the audit trail."""

from __future__ import annotations

from rest_framework import status as http

from marketplace.core.errors import DomainError
from shops.models import ShopEvent, ShopEventKind


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


__all__ = ["NotAllowed", "ShopEventKind", "event_record"]
