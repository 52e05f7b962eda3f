"""The back-office login locks out an account, and a client, after repeated failures:
answered 429 with the login page and its message, the password not even checked."""

import pytest
from django.conf import settings

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def admin_login(client, email: str, password: str = DEFAULT_PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, "next": "/admin/"}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_until_locked(client, emails, addresses) -> None:
    for email, address in zip(emails, addresses, strict=True):
        response = admin_login(client, email, password="đoán-mò", REMOTE_ADDR=address)
        assert response.status_code == 200
        assert response.context["form"].has_error("__all__", "invalid_login")


def test_an_account_is_locked_out_after_repeated_failures_from_any_clients(client):
    staff = UserFactory(is_staff=True, email="quan.tri@ocop.vn")
    failures = settings.ADMIN_LOGIN_MAX_FAILURES
    fail_until_locked(
        client, [staff.email] * failures, [f"203.0.113.{i + 1}" for i in range(failures)]
    )

    response = admin_login(client, staff.email, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert response.context["form"].has_error("__all__", "locked_out")
    assert "Quá nhiều lần đăng nhập không thành công" in response.content.decode()
    assert not signed_in(client)
    # The same in English for an English reader; the same however the e-mail is typed.
    response = admin_login(
        client, " QUAN.TRI@ocop.vn ", REMOTE_ADDR="198.51.100.10", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()

    other = UserFactory(is_staff=True)
    assert admin_login(client, other.email, REMOTE_ADDR="198.51.100.9").status_code == 302
    assert signed_in(client)


def test_a_client_is_locked_out_after_repeated_failures_on_any_accounts(client):
    staff = UserFactory(is_staff=True)
    failures = settings.ADMIN_LOGIN_MAX_FAILURES
    attacker = "203.0.113.66"
    fail_until_locked(client, [f"doan{i}@ocop.vn" for i in range(failures)], [attacker] * failures)
    assert admin_login(client, staff.email, REMOTE_ADDR=attacker).status_code == 429
    assert not signed_in(client)
    assert admin_login(client, staff.email, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_a_client_behind_the_proxies_is_told_apart_by_its_own_address(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    staff = UserFactory(is_staff=True)
    failures = settings.ADMIN_LOGIN_MAX_FAILURES
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for i in range(failures):
        admin_login(client, f"doan{i}@ocop.vn", "sai", HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy)
    attacker = admin_login(client, staff.email, HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy)
    assert attacker.status_code == 429
    neighbour = admin_login(client, staff.email, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)
    assert neighbour.status_code == 302


def test_a_success_forgets_the_accounts_failures(client):
    staff = UserFactory(is_staff=True)
    failures = settings.ADMIN_LOGIN_MAX_FAILURES
    addresses = [f"203.0.113.{i + 1}" for i in range(2 * failures)]
    fail_until_locked(client, [staff.email] * (failures - 1), addresses[: failures - 1])
    assert admin_login(client, staff.email, REMOTE_ADDR="198.51.100.9").status_code == 302
    client.logout()
    fail_until_locked(client, [staff.email] * (failures - 1), addresses[failures:-1])
    assert admin_login(client, staff.email, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_non_staff_and_wrong_passwords_count_alike(client):
    buyer = UserFactory(role="buyer")
    failures = settings.ADMIN_LOGIN_MAX_FAILURES
    for i in range(failures):
        response = admin_login(client, buyer.email, REMOTE_ADDR=f"203.0.113.{i + 1}")
        assert response.status_code == 200
    assert admin_login(client, buyer.email, REMOTE_ADDR="198.51.100.9").status_code == 429
