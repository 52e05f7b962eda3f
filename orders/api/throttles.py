"""Checkouts per account: a throwaway account cannot place order after order holding
stock (see orders.services.checkout_guards for the caps on what it already holds)."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import redis
from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class CheckoutThrottle(SimpleRateThrottle):
    """CHECKOUT_THROTTLE_RATE checkouts per account (none: no limit), counted in the cache
    like DRF's other throttles. Both checkout paths count through it: DRF's view by its
    `throttle_classes`, the direct path by `checkout_allowed`. A cache that cannot be
    reached lets the checkout through: the cap on open orders (in the database) still
    holds, and refusing every sale while Redis is down would cost more."""

    scope = "checkout"

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except (redis.exceptions.RedisError, ConnectionError) as exc:
            logger.warning("checkout throttle unavailable", extra={"error": str(exc)})
            return True

    def get_rate(self) -> str | None:
        return settings.CHECKOUT_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # refused by authentication anyway
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


def checkout_allowed(buyer) -> bool:
    """Count a checkout of `buyer` for the direct path, as DRF would for its view. False,
    counting nothing, when the account is over its rate: the direct path then leaves the
    request to DRF, whose same throttle answers the 429 in its own words."""
    return CheckoutThrottle().allow_request(SimpleNamespace(user=buyer), None)
