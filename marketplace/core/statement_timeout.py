"""The web's limit on one SQL statement (DATABASE_STATEMENT_TIMEOUT_MS).

A request whose query string makes PostgreSQL work for seconds (a facet count over
every product, a pathological search) is cancelled there instead of holding a
connection and a worker; `marketplace.core.errors` answers it 503 `statement_timeout`.
The limit is a connection option set by the web's entry points only (marketplace/wsgi.py
and asgi.py, which `runserver` loads too): the Celery worker and management commands
never import them, so migrations, `load_regions` and the search rebuild run unlimited.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connections

_TIMEOUT_OPTION = re.compile(r"\s*-c statement_timeout=\S+")


def web_statement_timeout_apply() -> None:
    """Give every PostgreSQL connection this process opens from now on a
    `statement_timeout` of DATABASE_STATEMENT_TIMEOUT_MS (0: none), through libpq's
    `options` at connect time: no statement per request, and the value is there before
    the first query. Connections already open in this thread are closed. Idempotent."""
    timeout_ms = settings.DATABASE_STATEMENT_TIMEOUT_MS
    for alias in connections:
        # The dict each thread's connection of this alias is opened from.
        database = connections.settings[alias]
        if database["ENGINE"] != "django.db.backends.postgresql":
            continue
        options = database.setdefault("OPTIONS", {})
        rest = _TIMEOUT_OPTION.sub("", options.get("options", ""))
        if timeout_ms > 0:
            rest = f"{rest} -c statement_timeout={timeout_ms}"
        if rest.strip():
            options["options"] = rest.strip()
        else:
            options.pop("options", None)
    connections.close_all()
