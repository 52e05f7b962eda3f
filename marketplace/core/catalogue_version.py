"""A version number for everything the public catalogue shows, and a content version for
producers' edits that leave what is public unchanged.

Cached catalogue answers (stats, hot listing pages) are keyed on the version. Bumping it
makes them all stale at once: a change of what is public (a product published or hidden,
a shop suspended, a certificate approved or expired). An edit of content (a price, a
name, a photo, a rating) moves only the content version and marks the products it
touched: their product pages go stale at once, listing and search pages within
CATALOGUE_LISTING_GRACE_SECONDS (measured by `make bench-mixed`: with one global version,
ten producer edits a second left a quarter of catalogue reads cached).

What invalidates them is one explicit call, `catalogue_changed()`, from each service
that changes what the catalogue shows (shops' transitions and edits, variants, images,
reviews, the admin's save paths): no signal.
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
CATALOGUE_CONTENT_KEY = "catalogue:content"
CATALOGUE_PRODUCT_KEY = "catalogue:product:"

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


_polled: tuple[float, int, int] | None = None


def catalogue_versions_polled() -> tuple[int, int]:
    """The current version and content version (see `catalogue_changed`) as this process
    last read them, re-read from the cache at most every CATALOGUE_VERSION_POLL_SECONDS:
    hot cached answers then cost no round trip, and a change reaches every process
    within that interval."""
    global _polled
    now = time.monotonic()
    polled = _polled
    if polled is not None and now - polled[0] < settings.CATALOGUE_VERSION_POLL_SECONDS:
        return polled[1], polled[2]
    version = catalogue_version()
    content = cache.get(CATALOGUE_CONTENT_KEY, 0)
    _polled = (now, version, content)
    return version, content


def catalogue_version_polled() -> int:
    return catalogue_versions_polled()[0]


def product_content_version(product_id: int) -> int:
    """The content version the product's last content change made (0: none kept).
    Raises the cache's errors."""
    return cache.get(f"{CATALOGUE_PRODUCT_KEY}{product_id}", 0)


def catalogue_changed(
    *, shop_id: int | None = None, product_ids: Iterable[int] = (), content_only: bool = False
) -> None:
    """What the public catalogue shows changed: this shop's (None: not one shop, or not
    known) or these products' (empty: the shop's, or not known). Takes effect once the
    current transaction commits (at once outside one), so a rolled-back write
    invalidates nothing and no reader refills the cache with old rows.

    By default every cached catalogue answer goes stale: the global version moves.
    With `content_only` (the caller's word that what is public did not change: a price,
    a name, a photo, a rating) and products named, only those products' pages go stale
    at once, and listing and search pages within CATALOGUE_LISTING_GRACE_SECONDS: the
    content version moves and each product keeps the value it moved to.

    Never raises: with the cache down the write has committed, and a global bump is
    owed until this process next reads the version."""
    ids = sorted({int(pk) for pk in product_ids})
    if content_only and ids:
        transaction.on_commit(lambda: _content_changed_or_owe(ids))
    else:
        transaction.on_commit(_bump_or_owe)


def _content_changed_or_owe(ids: list[int]) -> None:
    global _bump_owed
    try:
        try:
            content = cache.incr(CATALOGUE_CONTENT_KEY)
        except ValueError:
            cache.add(CATALOGUE_CONTENT_KEY, 0, timeout=None)
            content = cache.incr(CATALOGUE_CONTENT_KEY)
        # As long as a page built before the change may live; then it has expired.
        keep = settings.CATALOGUE_CACHE_SECONDS + 60
        cache.set_many({f"{CATALOGUE_PRODUCT_KEY}{pk}": content for pk in ids}, timeout=keep)
    except CACHE_ERRORS as exc:
        _bump_owed = True
        cache_failed(exc)


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
