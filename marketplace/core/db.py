"""Database helpers below every app, for the few statements written out as SQL."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator

import psycopg
from django.db import connection


def quoted_table(model) -> str:
    """A model's table name, quoted for SQL written out by hand."""
    return connection.ops.quote_name(model._meta.db_table)


def date_from_db(value) -> datetime.date:
    """A date column read raw: PostgreSQL answers a date, SQLite ISO text."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def datetime_from_db(value) -> datetime.datetime:
    """A datetime column read raw (stored in UTC): aware, as the ORM would give it."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


class PreparedCursor(psycopg.Cursor):
    """Server-side binding, and each statement prepared on first use."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(
            query, params, prepare=True if prepare is None else prepare, binary=binary
        )


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
    raw = PreparedCursor(connection.connection)
    cursor = (
        connection.make_debug_cursor(raw)
        if connection.queries_logged
        else connection.make_cursor(raw)
    )
    with cursor:
        yield cursor
