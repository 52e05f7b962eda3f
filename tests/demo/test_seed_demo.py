import pytest
from django.core.management import call_command

from marketplace.accounts.models import User
from marketplace.demo import accounts

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_its_logins_work(api_client, capsys):
    call_command("seed_demo")
    first = User.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == first == len(accounts.ALL)
    assert accounts.BUYER.email in capsys.readouterr().out

    for account in accounts.ALL:
        response = api_client.post(
            "/api/v1/auth/token/",
            {"email": account.email, "password": account.password},
            format="json",
        )
        assert response.status_code == 200, account.email
    assert User.objects.get(email=accounts.OPERATOR.email).is_operator
