"""E-mail verification (issue 15, item 7): a one-time link sent to the account's address;
its token confirmed by `POST /auth/verify-email/confirm/` (no sign-in needed)."""

import re
import smtplib
import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail, signing

from marketplace.accounts import verification
from marketplace.accounts.models import User
from tests.accounts.factories import UserFactory
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db

REQUEST = "/api/v1/auth/verify-email/"
CONFIRM = "/api/v1/auth/verify-email/confirm/"


def token_from_the_email(message) -> str:
    link = re.search(r"https?://\S+", message.body).group(0)
    return parse_qs(urlparse(link).query)["token"][0]


def test_the_link_in_the_email_verifies_the_address_once(buyer, buyer_client, api_client, settings):
    settings.SITE_URL = "https://ocop.example.vn"
    assert buyer_client.get("/api/v1/auth/me/").json()["email_verified_at"] is None

    sent = buyer_client.post(REQUEST)

    assert sent.status_code == 202
    assert [m.to for m in mail.outbox] == [[buyer.email]]
    assert "https://ocop.example.vn/verify-email?token=" in mail.outbox[0].body
    token = token_from_the_email(mail.outbox[0])
    confirmed = api_client.post(CONFIRM, {"token": token}, format="json")  # not signed in
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["email"] == buyer.email
    assert confirmed.json()["email_verified_at"] is not None
    buyer.refresh_from_db()
    assert buyer.email_verified_at is not None

    again = api_client.post(CONFIRM, {"token": token}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "email_already_verified"
    asked_again = buyer_client.post(REQUEST)
    assert asked_again.status_code == 409
    assert asked_again.json()["error"]["code"] == "email_already_verified"
    assert len(mail.outbox) == 1


def test_the_email_speaks_the_users_language(api_client):
    english = UserFactory(language="en")
    assert bearer_client(english).post(REQUEST).status_code == 202
    assert mail.outbox[0].subject == "[OCOP Market] Verify your e-mail address"


@pytest.mark.parametrize(
    "token",
    ["", "not-a-token", "eyJ1Ijo0MiwiZSI6Im1lQGV4YW1wbGUudm4ifQ:1v0000:forged"],
    ids=["empty", "garbage", "forged"],
)
def test_a_bad_token_is_a_400_and_verifies_nothing(buyer, api_client, token):
    response = api_client.post(CONFIRM, {"token": token}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] in {"invalid_token", "validation_error"}
    assert not User.objects.filter(email_verified_at__isnull=False).exists()


def test_a_token_is_good_for_a_limited_time(buyer, api_client, settings, monkeypatch):
    settings.EMAIL_VERIFICATION_MAX_AGE_HOURS = 1
    an_hour_ago = signing.b62_encode(int(time.time()) - 3601)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda signer: an_hour_ago)
    token = verification.email_verification_token(user=buyer)
    monkeypatch.undo()
    response = api_client.post(CONFIRM, {"token": token}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_token"


def test_a_token_is_for_the_address_it_was_sent_to(buyer, api_client):
    token = verification.email_verification_token(user=buyer)
    User.objects.filter(pk=buyer.pk).update(email="moi@example.vn")
    response = api_client.post(CONFIRM, {"token": token}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_token"


def test_asking_for_a_link_needs_a_signed_in_account_and_is_throttled(api_client, buyer_client):
    assert api_client.post(REQUEST).status_code == 401
    answers = [buyer_client.post(REQUEST).status_code for _ in range(6)]
    assert answers == [202] * 5 + [429]
    assert len(mail.outbox) == 5


def test_a_mail_server_down_is_a_503_not_a_500(buyer_client, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(verification, "send_mail", refuse)
    response = buyer_client.post(REQUEST)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "email_send_failed"
