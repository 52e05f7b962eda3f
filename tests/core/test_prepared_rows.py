"""The catalogue's hot statements through `prepared_rows`: the same rows whatever path
serves them, across reconnects, and Django's errors and transaction rules."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from marketplace.core.db import prepared_rows

SQL = "SELECT %s + 1, %s"


@pytest.mark.django_db(transaction=True)
def test_the_same_rows_logged_or_not_and_after_a_reconnect():
    assert prepared_rows(SQL, [1, "a"]) == [(2, "a")]
    with CaptureQueriesContext(connection) as captured:
        assert prepared_rows(SQL, [2, "b"]) == [(3, "b")]
    assert len(captured) == 1
    connection.close()
    assert prepared_rows(SQL, [3, "c"]) == [(4, "c")]
    assert prepared_rows(SQL, [4, "d"]) == [(5, "d")]


@pytest.mark.django_db
def test_errors_are_djangos_and_a_broken_transaction_is_refused():
    with pytest.raises(DatabaseError), transaction.atomic():
        prepared_rows("SELECT x FROM no_such_table WHERE x = %s", [0])
    assert prepared_rows(SQL, [1, "a"]) == [(2, "a")]
    with transaction.atomic():
        with pytest.raises(DatabaseError), transaction.atomic(savepoint=False):
            prepared_rows("SELECT x FROM no_such_table WHERE x = %s", [0])
        with pytest.raises(TransactionManagementError):
            prepared_rows(SQL, [1, "a"])
