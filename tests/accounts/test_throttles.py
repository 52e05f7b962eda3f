"""Sign-in throttles: per client (the client's own address behind the proxies), per
account named, and token refreshes in a scope of their own."""

import pytest
from django.conf import settings

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"


def rate(scope: str) -> int:
    return int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].split("/")[0])


def login(client, email: str, password: str = DEFAULT_PASSWORD, **extra):
    return client.post(TOKEN, {"email": email, "password": password}, format="json", **extra)


def assert_throttled(response) -> None:
    assert response.status_code == 429, response.content
    assert response.json()["error"]["code"] == "throttled"
    assert response.json()["error"]["retry_after"] > 0


def test_logins_to_one_account_from_many_addresses_are_throttled(api_client):
    target = UserFactory(email="mai@example.vn")
    allowed = rate("login_account")
    # The e-mail as typed, trimmed and in any case, names the same account.
    spellings = ["mai@example.vn", "MAI@Example.vn", " mai@example.vn "]
    for i in range(allowed):
        response = login(
            api_client, spellings[i % 3], password="đoán-mò", REMOTE_ADDR=f"203.0.113.{i + 1}"
        )
        assert response.status_code in (400, 401), response.content
    assert_throttled(login(api_client, target.email, REMOTE_ADDR="198.51.100.7"))
    # Other accounts, from the same addresses, are not held up.
    other = UserFactory(email="lan@example.vn")
    assert login(api_client, other.email, REMOTE_ADDR="203.0.113.1").status_code == 200


@pytest.mark.parametrize("body", [["not", "an", "object"], {"email": ["a@b.vn"]}, {}])
def test_a_login_body_without_an_email_is_a_validation_error(api_client, body):
    response = api_client.post(TOKEN, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_behind_a_proxy_one_attackers_address_locks_out_only_itself(api_client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.66"}
    for i in range(rate("auth")):
        assert login(api_client, f"victim{i}@example.vn", **attacker).status_code == 401
    assert_throttled(login(api_client, "victim@example.vn", **attacker))
    # A header the attacker forges in front is not the address the proxy saw.
    forged = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.66"}
    assert_throttled(login(api_client, "victim@example.vn", **forged))

    user = UserFactory()
    neighbour = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.23"}
    assert login(api_client, user.email, **neighbour).status_code == 200


def test_token_refresh_has_its_own_scope(api_client):
    user = UserFactory()
    tokens = [login(api_client, user.email).json()["refresh"] for _ in range(rate("auth"))]
    assert_throttled(login(api_client, user.email))
    # Signing in is spent for this client; refreshing is not.
    answer = api_client.post(REFRESH, {"refresh": tokens[0]}, format="json")
    assert answer.status_code == 200, answer.content

    token = answer.json()["refresh"]
    for _ in range(rate("token_refresh") - 1):
        answer = api_client.post(REFRESH, {"refresh": token}, format="json")
        assert answer.status_code == 200
        token = answer.json()["refresh"]
    assert_throttled(api_client.post(REFRESH, {"refresh": token}, format="json"))
