"""Database helpers below every app."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection


def _prepared_cursor_class():
    import psycopg

    class PreparedCursor(psycopg.Cursor):
        """Server-side binding, and each statement prepared on first use."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(
                query, params, prepare=True if prepare is None else prepare, binary=binary
            )

    return PreparedCursor


@contextlib.contextmanager
def prepared_cursor() -> Iterator:
    """A cursor for the few fixed statements that every catalogue page runs: on
    PostgreSQL each is planned once per connection (a prepared statement, with values
    bound server-side) instead of on every request; elsewhere a plain cursor.

    Django turns psycopg's automatic preparing off for all its statements (they vary
    with every filter, and poolers in transaction mode cannot keep them); these do not
    vary, and the connection that prepared them is the one that runs them. Queries are
    logged like any other (`connection.queries`, the test suite's query counts)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    raw = _PREPARED_CURSOR(connection.connection)
    cursor = (
        connection.make_debug_cursor(raw)
        if connection.queries_logged
        else connection.make_cursor(raw)
    )
    with cursor:
        yield cursor


try:
    _PREPARED_CURSOR = _prepared_cursor_class()
except ImportError:  # psycopg is only installed where PostgreSQL is used
    _PREPARED_CURSOR = None
