"""The shared cache as an optimisation the catalogue can do without.

Cached catalogue answers, counts, stats and the catalogue version live in the cache
(Redis, `CACHE_URL`). When it fails (down, full, a timeout) a public read must still be
answered, from the database: `cache_guard()` turns the cache client's errors into
`CacheUnavailable`, which callers catch to go on without the cache, and logs a warning.
After a failure this process leaves the cache alone for `RETRY_SECONDS`, so that an
outage costs each request no connect timeouts, and the log one line per interval.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a cache call raises when Redis cannot answer: redis-py's errors (django-redis
# re-raises them), django-redis's own wrapper, and socket errors from below both.
CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, ConnectionInterrupted, OSError)
RETRY_SECONDS = 5.0

_down_until = 0.0


class CacheUnavailable(Exception):
    """The shared cache failed just now or recently: answer without it."""


def cache_is_down() -> bool:
    """True while this process is leaving the cache alone after a failure."""
    return time.monotonic() < _down_until


@contextmanager
def cache_guard() -> Iterator[None]:
    """Run cache calls; a cache error, or a recent one, raises `CacheUnavailable`.

    Keep only cache calls inside: a socket error from anything else would count as the
    cache failing."""
    if cache_is_down():
        raise CacheUnavailable
    try:
        yield
    except CACHE_ERRORS as exc:
        cache_failed(exc)
        raise CacheUnavailable from exc


def cache_failed(exc: BaseException) -> None:
    """Note a cache failure: warn, and leave the cache alone for a few seconds."""
    global _down_until
    _down_until = time.monotonic() + RETRY_SECONDS
    logger.warning(
        "shared cache unavailable (%s: %s); answering without it for %ss",
        type(exc).__name__,
        exc,
        RETRY_SECONDS,
    )


def cache_guard_reset() -> None:
    """Forget a past failure (tests; the next call tries the cache again)."""
    global _down_until
    _down_until = 0.0
