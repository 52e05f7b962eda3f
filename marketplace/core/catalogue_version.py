"""A version number for everything the public catalogue shows.

Cached catalogue answers (stats, hot listing pages) are keyed on it. Bumping it makes
them all stale at once. It lives here, below shops, so that shops services may call
`bump_catalogue_version()` when a product, certificate or shop changes visibility
without importing the catalogue (which sits on top of the import graph).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from marketplace.core.cache_guard import CACHE_ERRORS, cache_failed

CATALOGUE_VERSION_KEY = "catalogue:version"

# A bump this process could not make (the cache was down): made before the next read
# of the version, so that answers cached before the outage do not outlive it.
_bump_owed = False


def catalogue_version() -> int:
    """The current version; seeded from the clock so a flushed cache never reuses one.
    Raises the cache's errors (callers read it inside `cache_guard()`)."""
    if _bump_owed:
        _bump()
    version = cache.get(CATALOGUE_VERSION_KEY)
    if version is None:
        version = time.time_ns()
        # add() so that two processes seeding at once agree on one value.
        cache.add(CATALOGUE_VERSION_KEY, version, timeout=None)
        version = cache.get(CATALOGUE_VERSION_KEY, version)
    return version


_polled: tuple[float, int] | None = None


def catalogue_version_polled() -> int:
    """The current version as this process last read it, re-read from the cache at most
    every CATALOGUE_VERSION_POLL_SECONDS: hot cached answers then cost no round trip,
    and a bump reaches every process within that interval."""
    global _polled
    now = time.monotonic()
    polled = _polled
    if polled is not None and now - polled[0] < settings.CATALOGUE_VERSION_POLL_SECONDS:
        return polled[1]
    version = catalogue_version()
    _polled = (now, version)
    return version


def bump_catalogue_version() -> None:
    """Invalidate every cached catalogue answer once the current transaction commits
    (at once outside a transaction), so no reader refills the cache with old rows under
    the new version. Never raises: with the cache down the write has committed, and the
    bump is owed until this process next reads the version."""
    transaction.on_commit(_bump_or_owe)


def _bump_or_owe() -> None:
    global _bump_owed
    try:
        _bump()
    except CACHE_ERRORS as exc:
        _bump_owed = True
        cache_failed(exc)


def _bump() -> None:
    global _bump_owed
    try:
        cache.incr(CATALOGUE_VERSION_KEY)
    except ValueError:
        cache.set(CATALOGUE_VERSION_KEY, time.time_ns(), timeout=None)
    _bump_owed = False
