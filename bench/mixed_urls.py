"""The mixed benchmark's urlconf: bench/urls.py (the API and the floor), and the
catalogue page cache's lookups counted.

Every cacheable catalogue read looks its page up (`catalogue.api.caching._cached_page`,
in this process's memory, then Redis); one whose page was missing or could not be served
builds it (`PublicCatalogueView.get` with the view's `_page` set). Both are wrapped here
and counted: lookups and misses (hits are the difference). A thread adds the process's
counts to a Redis hash (BENCH_HITS_KEY on BENCH_HITS_REDIS) every quarter second, so
bench/mixed.py reads the hit rate of every gunicorn worker from one place. Redis's own
keyspace_hits would miss the in-memory tier and count every other client of the
server.

Selected with DJANGO_ROOT_URLCONF=bench.mixed_urls; never part of the served product.
"""

from __future__ import annotations

import os
import threading
import time

import redis

from bench.urls import urlpatterns  # noqa: F401
from catalogue.api import caching

_counts = {"lookup": 0, "miss": 0}
_lock = threading.Lock()
_flusher: threading.Thread | None = None
_lookup = caching._cached_page
_build = caching.PublicCatalogueView.get


def _flush_forever() -> None:
    client = redis.Redis.from_url(os.environ["BENCH_HITS_REDIS"])
    key = os.environ["BENCH_HITS_KEY"]
    while True:
        time.sleep(0.25)
        with _lock:
            counts = dict(_counts)
            _counts.update(lookup=0, miss=0)
        if any(counts.values()):
            pipe = client.pipeline()
            for name, n in counts.items():
                pipe.hincrby(key, name, n)
            pipe.execute()


def _count(name: str) -> None:
    global _flusher
    with _lock:
        _counts[name] += 1
        if _flusher is None:
            _flusher = threading.Thread(target=_flush_forever, daemon=True)
            _flusher.start()


def _counted_lookup(key: str, version: int):
    _count("lookup")
    return _lookup(key, version)


def _counted_build(self, request, **kwargs):
    # The view keeps what it will store under `_page` when the cache had no page for it
    # (or none it could serve): a miss, counted once even when the answer is built again
    # through DRF for an error.
    if getattr(self, "_page", None) is not None and not getattr(self, "_miss_counted", False):
        self._miss_counted = True
        _count("miss")
    return _build(self, request, **kwargs)


caching._cached_page = _counted_lookup
caching.PublicCatalogueView.get = _counted_build

# Errors answer in the API's format here too.
from marketplace.urls import handler400, handler403, handler404, handler500  # noqa: E402, F401
