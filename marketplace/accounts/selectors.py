"""Reads of accounts."""

from __future__ import annotations

import functools

from django.db import connection

from marketplace.accounts.models import User
from marketplace.core.db import prepared_cursor


def user_by_id(user_id: int) -> User | None:
    """The user with that id, or None. Every authenticated request asks this: one fixed
    statement, compiled once and prepared once per connection."""
    with prepared_cursor() as cursor:
        cursor.execute(_user_by_id_sql(), [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return User.from_db(connection.alias, _user_columns(), row)


@functools.cache
def _user_by_id_sql() -> str:
    sql, _params = User.objects.filter(pk=0).query.sql_with_params()
    return sql


@functools.cache
def _user_columns() -> list[str]:
    return [field.attname for field in User._meta.concrete_fields]
