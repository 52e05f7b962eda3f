"""Reads of accounts."""

from __future__ import annotations

import functools

from django.db import connection

from marketplace.accounts.models import User
from marketplace.core.db import prepared_rows


def user_by_id(user_id: int) -> User | None:
    """The user with that id, or None. Every authenticated request asks this: one fixed
    statement, compiled once and prepared once per connection."""
    rows = prepared_rows(_user_by_id_sql(), [user_id])
    if not rows:
        return None
    return User.from_db(connection.alias, _user_columns(), rows[0])


@functools.cache
def _user_by_id_sql() -> str:
    sql, _params = User.objects.filter(pk=0).query.sql_with_params()
    return sql


@functools.cache
def _user_columns() -> list[str]:
    return [field.attname for field in User._meta.concrete_fields]
