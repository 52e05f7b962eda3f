"""Database helpers below every app, for the few statements written out as SQL."""

from __future__ import annotations

import contextlib
import datetime
import functools
from collections.abc import Iterator

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.utils import CursorDebugWrapper

# The largest id a primary key (bigint) can hold: a larger one names nothing, and sent to
# PostgreSQL as a value it is an error rather than no row.
BIGINT_MAX = 2**63 - 1


def quoted_table(model) -> str:
    """A model's table name, quoted for SQL written out by hand."""
    return connection.ops.quote_name(model._meta.db_table)


def date_from_db(value) -> datetime.date:
    """A date column read raw: the date, also when given as ISO text."""
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


class _PreparedDebugCursor(CursorDebugWrapper):
    def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
        # Django rebuilds the executed SQL by binding the values client-side, which
        # fails (and logs None) for some of what these statements bind server-side.
        return super().debug_sql(sql, params, use_last_executed_query=False, many=many)


@contextlib.contextmanager
def prepared_cursor(*, binary: bool = False) -> Iterator:
    """A cursor for the few fixed statements that every catalogue page, cart add and
    checkout runs: each is planned once per connection (a prepared statement, with
    values bound server-side) instead of on every request.

    Django turns psycopg's automatic preparing off for all its statements (they vary
    with every filter, and poolers in transaction mode cannot keep them); these do not
    vary, and the connection that prepared them is the one that runs them. Queries are
    logged like any other (`connection.queries`, the test suite's query counts), as
    written, with their placeholders.

    `binary` (PostgreSQL): results in the binary format, in which a `bytea` column
    arrives as the bytes PostgreSQL holds, neither hex-encoded nor decoded."""
    # `connection` is a proxy that looks the thread's connection up on every attribute
    # read: looked up once here (these statements run on every catalogue page).
    wrapper = connections[DEFAULT_DB_ALIAS]
    wrapper.ensure_connection()
    raw = PreparedCursor(wrapper.connection)
    if binary:
        raw.format = psycopg.pq.Format.BINARY
    cursor = (
        _PreparedDebugCursor(raw, wrapper) if wrapper.queries_logged else wrapper.make_cursor(raw)
    )
    with cursor:
        yield cursor


def prepared_rows(sql: str, params, *, binary: bool = False) -> list[tuple]:
    """`prepared_cursor()`'s execute and fetchall in one call, for the busiest statements
    (catalogue pages, cart adds, checkouts). Where nothing observes queries (no debug
    cursor, no execute wrapper), one cursor per connection serves every call, with only
    what Django's `CursorWrapper` does for such a statement around it (the
    broken-transaction check, errors turned into Django's): a new cursor and its wrappers
    cost about a third of the call. Elsewhere exactly `prepared_cursor()`."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    if wrapper.queries_logged or wrapper.execute_wrappers:
        with prepared_cursor(binary=binary) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    wrapper.ensure_connection()
    raw = getattr(wrapper, "_reused_prepared_cursor", None)
    # A connection of the wrapper's own thread; a new one after a reconnect.
    if raw is None or raw.connection is not wrapper.connection or raw.closed:
        raw = wrapper._reused_prepared_cursor = PreparedCursor(wrapper.connection)
    raw.format = psycopg.pq.Format.BINARY if binary else psycopg.pq.Format.TEXT
    wrapper.validate_no_broken_transaction()
    with wrapper.wrap_database_errors:
        raw.execute(sql, params)
        return raw.fetchall()


def models_insert(objs: list, *, with_pk: bool = False) -> None:
    """INSERT new instances of one model in one statement, prepared once per connection
    (whatever the number of rows), and set on
    them their primary keys and what `pre_save` fills (such as
    `auto_now_add` times). For the few hot writes only (a checkout writes six tables):
    each field is written as `bulk_create` would write it (`pre_save`, then
    `get_db_prep_save`), without the ORM's compiler, and no signal is sent.

    The primary key comes back from the database, unless `with_pk` (an id reserved
    beforehand and set on every instance)."""
    models_insert_together((objs, with_pk))


def models_insert_together(*groups: tuple[list, bool]) -> None:
    """`models_insert` for several models, each group `(instances, with_pk)`, in one
    statement (a data-modifying CTE per model). Rows may refer to rows of an earlier
    group only by ids known beforehand (reserved, or of rows already written): they are
    written together, and Django's foreign keys, deferred, are checked at commit."""
    groups = tuple((objs, with_pk) for objs, with_pk in groups if objs)
    if not groups:
        return
    values = []
    for objs, with_pk in groups:
        rows = _insert_values(objs, with_pk)
        # A column's values as one array: the statement is the same whatever the
        # number of rows, and its few parameters keep psycopg's parsing of it cached.
        values.extend(list(column) for column in zip(*rows, strict=True))
    shape = tuple((objs[0]._meta.label, with_pk) for objs, with_pk in groups)
    ids = iter(prepared_rows(_insert_sql(shape), values))
    for objs, _ in groups:
        for obj in objs:
            # RETURNING gives each table's rows in the order they were given (the
            # VALUES, or the arrays' positions), and the tables in the order of the
            # UNION ALL: the order bulk_create relies on too.
            obj.pk = next(ids)[0]
            obj._state.adding = False
            obj._state.db = connection.alias


def _insert_values(objs: list, with_pk: bool) -> list[list]:
    """Per instance, the values of its row, as the database takes them."""
    meta = objs[0]._meta
    fields = _insert_fields(meta.label, with_pk)
    plain = _plain_types(meta.label, with_pk)
    # The connection itself, not the thread-local proxy: it is asked once per value.
    database = connections[DEFAULT_DB_ALIAS]
    rows = []
    for obj in objs:
        values = []
        rows.append(values)
        for field, types in zip(fields, plain, strict=True):
            value = getattr(obj, field.attname)
            if value is None and field.is_relation:
                # Assigned before the row it refers to was written (a group earlier in
                # `models_insert_together`): the id it has now, as bulk_create takes it.
                related = getattr(obj, field.name)
                if related is not None:
                    value = related.pk
                    setattr(obj, field.attname, value)
            # A value of a type the field would write unchanged goes as it is: the
            # field's own preparation costs more than the rest of the insert.
            if value.__class__ not in types:
                value = field.get_db_prep_save(field.pre_save(obj, add=True), database)
            values.append(value)
    return rows


@functools.cache
def _insert_fields(label: str, with_pk: bool) -> tuple:
    from django.apps import apps

    return tuple(
        field
        for field in apps.get_model(label)._meta.concrete_fields
        if with_pk or not field.primary_key
    )


@functools.cache
def _plain_types(label: str, with_pk: bool) -> tuple[frozenset, ...]:
    """Per inserted field, the value types that `pre_save` and `get_db_prep_save` hand
    to the database unchanged (empty: always prepare)."""
    return tuple(_unchanged_types(field) for field in _insert_fields(label, with_pk))


def _unchanged_types(field) -> frozenset:
    if isinstance(field, models.ForeignKey) and type(field) is models.ForeignKey:
        return _unchanged_types(field.target_field)
    kind = type(field)
    if kind in _INTEGER_FIELDS:
        return frozenset({int, type(None)})
    if kind in (models.CharField, models.TextField, models.SlugField, models.EmailField):
        return frozenset({str, type(None)})
    if kind is models.BooleanField:
        return frozenset({bool})
    if kind is models.DateField and not (field.auto_now or field.auto_now_add):
        return frozenset({datetime.date, type(None)})
    # Times (aware or not, auto_now), JSON, files, anything custom: always prepared.
    return frozenset()


_INTEGER_FIELDS = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.SmallAutoField,
        models.IntegerField,
        models.BigIntegerField,
        models.SmallIntegerField,
        models.PositiveIntegerField,
        models.PositiveBigIntegerField,
        models.PositiveSmallIntegerField,
    }
)


@functools.lru_cache(maxsize=64)
def _insert_sql(shape: tuple[tuple[str, bool], ...]) -> str:
    inserts = [_insert_one_sql(label, with_pk) for label, with_pk in shape]
    if len(inserts) == 1:
        return inserts[0]
    ctes = ", ".join(f"inserted_{n} AS ({insert})" for n, insert in enumerate(inserts))
    returned = " UNION ALL ".join(f"SELECT * FROM inserted_{n}" for n in range(len(inserts)))
    return f"WITH {ctes} {returned}"


def _insert_one_sql(label: str, with_pk: bool) -> str:
    """The INSERT of as many rows as the arrays it is given, one per column, hold."""
    from django.apps import apps

    meta = apps.get_model(label)._meta
    fields = _insert_fields(label, with_pk)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    arrays = ", ".join(f"%b::{field.db_type(connection)}[]" for field in fields)
    names = ", ".join(f"c{n}" for n in range(len(fields)))
    rows_sql = (
        f"SELECT {names} FROM unnest({arrays}) WITH ORDINALITY AS given({names}, position)"
        " ORDER BY position"
    )
    return (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) {rows_sql}"
        f" RETURNING {quote(meta.pk.column)}"
    )
