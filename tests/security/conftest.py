import pytest
from django.db import transaction

from tests.security.routes import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world per module, built once inside a transaction that is rolled back at the
    end of the module; each test runs in a savepoint of it (the `db` fixture), so what a
    request writes is gone before the next test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
