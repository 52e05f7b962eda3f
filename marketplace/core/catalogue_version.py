"""A version number for everything the public catalogue shows.

Cached catalogue answers (stats, hot listing pages) are keyed on it. Bumping it makes
them all stale at once. What invalidates them is one explicit call,
`catalogue_changed()`, from each service that changes what the catalogue shows (shops'
transitions and edits, variants, images, reviews, the admin's save paths): no signal.
It lives here, in the kernel, so that those services call it without importing the
catalogue (which sits on top of the import graph).

Stock moves (the conditional stock UPDATEs of checkout and the ledger) do not call it:
stock may show late by CATALOGUE_CACHE_SECONDS.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

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


def catalogue_changed(*, shop_id: int | None = None, product_ids: Iterable[int] = ()) -> None:
    """What the public catalogue shows changed: this shop's (None: not one shop, or not
    known) or these products' (empty: the shop's, or not known). Every cached catalogue
    answer goes stale once the current transaction commits (at once outside one), so a
    rolled-back write invalidates nothing and no reader refills the cache with old rows
    under the new version. Today the scope is not used: one global version is bumped;
    it is the callers' statement of what changed, for a later invalidation by scope.
    Never raises: with the cache down the write has committed, and the bump is owed
    until this process next reads the version."""
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
