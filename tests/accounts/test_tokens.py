"""Refresh tokens work once, are revoked by a password change or a deactivation, and a
deleted account's refresh is refused in the error format."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from marketplace.accounts import services
from marketplace.accounts.models import User
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
ME = "/api/v1/auth/me/"


def sign_in(client, user) -> dict:
    response = client.post(TOKEN, {"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()


def refresh(client, token: str):
    return client.post(REFRESH, {"refresh": token}, format="json")


def assert_refused(response, code: str) -> None:
    assert response.status_code == 401, response.content
    assert response.json()["error"]["code"] == code


def test_a_refresh_answers_the_next_refresh_token_and_the_old_one_works_no_more(api_client, buyer):
    first = sign_in(api_client, buyer)["refresh"]
    answer = refresh(api_client, first)
    assert answer.status_code == 200, answer.content
    second = answer.json()["refresh"]
    assert second != first

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {answer.json()['access']}")
    assert api_client.get(ME).json()["id"] == buyer.pk
    api_client.credentials()

    # Whoever comes second with the first token (its owner, or a thief) is refused.
    assert_refused(refresh(api_client, first), "token_not_valid")
    assert refresh(api_client, second).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_racing_with_one_token_get_one_new_token(api_client):
    from rest_framework.test import APIClient

    user = UserFactory()
    token = sign_in(api_client, user)["refresh"]
    statuses = []
    start = threading.Barrier(4)

    def race():
        try:
            start.wait()
            statuses.append(refresh(APIClient(), token).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 401, 401, 401]


def test_a_password_change_revokes_every_refresh_token(api_client, buyer):
    phone, laptop = sign_in(api_client, buyer)["refresh"], sign_in(api_client, buyer)["refresh"]
    services.user_password_change(user=buyer, password="Mật-khẩu-mới-2027")
    assert_refused(refresh(api_client, phone), "token_not_valid")
    assert_refused(refresh(api_client, laptop), "token_not_valid")
    fresh = api_client.post(TOKEN, {"email": buyer.email, "password": "Mật-khẩu-mới-2027"})
    assert refresh(api_client, fresh.json()["refresh"]).status_code == 200


def test_a_deactivation_revokes_refresh_tokens_for_good(api_client, buyer):
    token = sign_in(api_client, buyer)["refresh"]
    services.user_deactivate(user=buyer)
    assert_refused(refresh(api_client, token), "token_not_valid")
    buyer.is_active = True
    buyer.save()
    assert_refused(refresh(api_client, token), "token_not_valid")


def test_an_inactive_users_refresh_is_refused_even_when_not_revoked(api_client, buyer):
    token = sign_in(api_client, buyer)["refresh"]
    User.objects.filter(pk=buyer.pk).update(is_active=False)
    assert_refused(refresh(api_client, token), "no_active_account")


def test_a_deleted_users_refresh_is_401_in_the_error_format(api_client):
    user = UserFactory()
    token = sign_in(api_client, user)["refresh"]
    User.objects.filter(pk=user.pk).delete()
    assert_refused(refresh(api_client, token), "no_active_account")


@pytest.mark.parametrize("body", [{}, {"refresh": ""}, {"refresh": "not.a.jwt"}, {"refresh": 7}])
def test_a_bad_refresh_body_is_a_4xx_in_the_error_format(api_client, body):
    response = api_client.post(REFRESH, body, format="json")
    assert response.status_code in (400, 401)
    assert response.json()["error"]["code"] in ("validation_error", "token_not_valid")


def test_an_access_token_is_not_a_refresh_token(api_client, buyer):
    access = sign_in(api_client, buyer)["access"]
    assert_refused(refresh(api_client, access), "token_not_valid")


# --- Through the back office ------------------------------------------------------------


@pytest.fixture
def superuser_browser(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_a_password_set_in_the_back_office_revokes_the_users_refresh_tokens(
    api_client, superuser_browser, buyer
):
    token = sign_in(api_client, buyer)["refresh"]
    response = superuser_browser.post(
        f"/admin/accounts/user/{buyer.pk}/password/",
        {
            "set_usable_password": "true",
            "password1": "Mật-khẩu-mới-2027",
            "password2": "Mật-khẩu-mới-2027",
        },
    )
    assert response.status_code == 302, response.content
    buyer.refresh_from_db()
    assert buyer.check_password("Mật-khẩu-mới-2027")
    assert_refused(refresh(api_client, token), "token_not_valid")


def test_a_deactivation_in_the_back_office_revokes_the_users_refresh_tokens(
    api_client, superuser_browser, buyer
):
    token = sign_in(api_client, buyer)["refresh"]
    change = f"/admin/accounts/user/{buyer.pk}/change/"
    form = {
        "email": buyer.email,
        "full_name": buyer.full_name,
        "role": buyer.role,
        "language": buyer.language,
        "date_joined_0": buyer.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": buyer.date_joined.strftime("%H:%M:%S"),
    }
    response = superuser_browser.post(change, form)
    assert response.status_code == 302, response.content
    buyer.refresh_from_db()
    assert not buyer.is_active
    buyer.is_active = True
    buyer.save()
    assert_refused(refresh(api_client, token), "token_not_valid")


def test_a_staff_users_own_password_change_revokes_their_refresh_tokens(client, api_client):
    staff = UserFactory(is_staff=True)
    token = sign_in(api_client, staff)["refresh"]
    client.force_login(staff)
    response = client.post(
        "/admin/password_change/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "Mật-khẩu-mới-2027",
            "new_password2": "Mật-khẩu-mới-2027",
        },
    )
    assert response.status_code == 302, response.content
    assert_refused(refresh(api_client, token), "token_not_valid")


def test_expired_refresh_tokens_are_forgotten_daily(buyer):
    from datetime import timedelta

    from rest_framework_simplejwt.token_blacklist.models import (
        BlacklistedToken,
        OutstandingToken,
    )
    from rest_framework_simplejwt.tokens import RefreshToken

    from worker.celery import app
    from worker.tasks import purge_expired_tokens

    live = RefreshToken.for_user(buyer)
    old = OutstandingToken.objects.create(
        user=buyer, jti="old", token="x", expires_at=timezone.now() - timedelta(seconds=1)
    )
    BlacklistedToken.objects.create(token=old)
    assert purge_expired_tokens.apply().get() == 1
    assert list(OutstandingToken.objects.values_list("jti", flat=True)) == [live["jti"]]
    assert not BlacklistedToken.objects.exists()
    assert any(
        entry["task"] == "worker.tasks.purge_expired_tokens"
        for entry in app.conf.beat_schedule.values()
    )
