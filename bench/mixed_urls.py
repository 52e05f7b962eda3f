"""The mixed benchmark's urlconf: bench/urls.py (the API and the floor), and the
catalogue page cache's lookups counted.

`catalogue.api.caching._cached_page` answers every cacheable catalogue read, from this
process's memory or from Redis: wrapped here, each answer counts as a hit or a miss, and
a thread adds the process's counts to a Redis hash (BENCH_HITS_KEY on BENCH_HITS_REDIS)
every quarter second, so bench/mixed.py reads the hit rate of every gunicorn worker
from one place. Redis's own keyspace_hits would miss the in-memory tier and count
every other client of the server.

Selected with DJANGO_ROOT_URLCONF=bench.mixed_urls; never part of the served product.
"""

from __future__ import annotations

import os
import threading
import time

import redis

from bench.urls import urlpatterns  # noqa: F401
from catalogue.api import caching

_counts = {"hit": 0, "miss": 0}
_lock = threading.Lock()
_flusher: threading.Thread | None = None
_lookup = caching._cached_page


def _flush_forever() -> None:
    client = redis.Redis.from_url(os.environ["BENCH_HITS_REDIS"])
    key = os.environ["BENCH_HITS_KEY"]
    while True:
        time.sleep(0.25)
        with _lock:
            counts = dict(_counts)
            _counts.update(hit=0, miss=0)
        if counts["hit"] or counts["miss"]:
            pipe = client.pipeline()
            for name, n in counts.items():
                pipe.hincrby(key, name, n)
            pipe.execute()


def _counted_lookup(key: str, version: int):
    global _flusher
    page = _lookup(key, version)
    with _lock:
        _counts["hit" if page is not None else "miss"] += 1
        if _flusher is None:
            _flusher = threading.Thread(target=_flush_forever, daemon=True)
            _flusher.start()
    return page


caching._cached_page = _counted_lookup

# Errors answer in the API's format here too.
from marketplace.urls import handler400, handler403, handler404, handler500  # noqa: E402, F401
