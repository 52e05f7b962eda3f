"""The webhook's throttle: a fixed window counted in the cache, one increment per
request. DRF's own rate throttles keep every request's time in a list per client, so
each check reads and rewrites thousands of entries at Stripe's volume from its few
addresses; a counter costs the same at any rate."""

from __future__ import annotations

import logging
import time

import redis
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class FixedWindowThrottle(SimpleRateThrottle):
    """At most `num_requests` per client per window of `duration` seconds. A cache
    that cannot be reached lets the request through: Stripe's events are signed and
    stored once whatever their number, so missing a limit costs less than refusing
    money's news."""

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.now = time.time()
        window = int(self.now // self.duration)
        key = f"{self.get_cache_key(request, view)}:{window}"
        try:
            self.cache.add(key, 0, self.duration + 1)
            count = self.cache.incr(key)
        except (redis.exceptions.RedisError, ConnectionError, ValueError) as exc:
            logger.warning("webhook throttle unavailable", extra={"error": str(exc)})
            return True
        return count <= self.num_requests

    def wait(self) -> float:
        return self.duration - (self.now % self.duration)


class StripeWebhookThrottle(FixedWindowThrottle):
    scope = "stripe_webhook"
