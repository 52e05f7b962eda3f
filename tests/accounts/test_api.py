import pytest
from django.conf import settings

from marketplace.accounts.models import User
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
ME = "/api/v1/auth/me/"


def register(client, **overrides):
    body = {
        "email": "lan.nguyen@example.vn",
        "password": "Trà-shan-tuyết-2026",
        "full_name": "Nguyễn Thị Lan",
        "role": "producer",
    }
    body.update(overrides)
    return client.post(REGISTER, body, format="json")


def test_register_then_token_then_me(api_client):
    response = register(api_client)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {
        "email": "lan.nguyen@example.vn",
        "full_name": "Nguyễn Thị Lan",
        "role": "producer",
        "language": "vi",
    }
    user = User.objects.get(email="lan.nguyen@example.vn")
    assert user.check_password("Trà-shan-tuyết-2026")

    tokens = api_client.post(
        TOKEN, {"email": "lan.nguyen@example.vn", "password": "Trà-shan-tuyết-2026"}, format="json"
    )
    assert tokens.status_code == 200
    access, refresh = tokens.json()["access"], tokens.json()["refresh"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    me = api_client.get(ME)
    assert me.status_code == 200
    assert me.json()["id"] == user.pk
    assert me.json()["is_operator"] is False

    refreshed = api_client.post(REFRESH, {"refresh": refresh}, format="json")
    assert refreshed.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {refreshed.json()['access']}")
    assert api_client.get(ME).json()["email"] == "lan.nguyen@example.vn"


def test_a_taken_email_answers_as_a_new_one_and_tells_its_owner(
    api_client, django_capture_on_commit_callbacks, mailoutbox
):
    owner = UserFactory(email="hung@example.vn", full_name="Trần Văn Hùng", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        taken = register(api_client, email="HUNG@Example.vn", full_name="Kẻ Giả Mạo")
    with django_capture_on_commit_callbacks(execute=True):
        new = register(api_client, email="MOI@Example.vn", full_name="Kẻ Giả Mạo")

    assert (taken.status_code, new.status_code) == (201, 201)
    assert set(taken.json()) == set(new.json())
    assert taken.json() == {**new.json(), "email": "hung@example.vn"}
    assert "email_taken" not in taken.content.decode()
    # Nothing opened or changed for the taken address; its owner is told, once.
    assert User.objects.filter(email__iexact="hung@example.vn").count() == 1
    owner.refresh_from_db()
    assert owner.full_name == "Trần Văn Hùng"
    assert owner.check_password(DEFAULT_PASSWORD)
    assert [m.to for m in mailoutbox] == [["hung@example.vn"]]
    assert "already has your account" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert register(api_client, email="hung@example.vn").status_code == 201
    assert len(mailoutbox) == 1


def test_a_taken_email_still_answers_a_weak_password_as_such(api_client):
    UserFactory(email="hung@example.vn")
    response = register(api_client, email="hung@example.vn", password="12345678")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "weak_password"


def test_weak_password_goes_through_django_validators(api_client):
    response = register(api_client, password="12345678")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "weak_password"
    assert error["fields"]["password"]
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"role": "operator"}, "role"),
        ({"email": "not-an-email"}, "email"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_invalid_registration_names_the_field(api_client, overrides, field):
    response = register(api_client, **overrides)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"]
    assert not User.objects.exists()


def test_register_cannot_make_an_operator(api_client):
    response = register(api_client, is_staff=True, is_superuser=True)
    assert response.status_code == 201
    user = User.objects.get()
    assert not user.is_staff and not user.is_superuser


def test_wrong_password_is_401_in_error_format(api_client):
    UserFactory(email="mai@example.vn")
    response = api_client.post(TOKEN, {"email": "mai@example.vn", "password": "sai"}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "no_active_account"


def test_me_needs_a_token(api_client):
    response = api_client.get(ME)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_garbage_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.jwt")
    response = api_client.get(ME)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


def test_me_updates_language_and_name(buyer_client, buyer):
    response = buyer_client.patch(ME, {"language": "en", "full_name": "Lan"}, format="json")
    assert response.status_code == 200
    buyer.refresh_from_db()
    assert (buyer.language, buyer.full_name) == ("en", "Lan")


def test_login_is_throttled_with_429_in_error_format(api_client):
    UserFactory(email="throttle@example.vn")
    allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"].split("/")[0])
    body = {"email": "throttle@example.vn", "password": DEFAULT_PASSWORD}
    statuses = [api_client.post(TOKEN, body, format="json").status_code for _ in range(allowed)]
    assert statuses == [200] * allowed
    response = api_client.post(TOKEN, body, format="json")
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["retry_after"] > 0
    assert "Retry-After" in response.headers


def test_register_is_throttled(api_client):
    allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"].split("/")[0])
    for i in range(allowed):
        assert register(api_client, email=f"u{i}@example.vn").status_code == 201
    response = register(api_client, email="one-too-many@example.vn")
    assert response.status_code == 429
    assert not User.objects.filter(email="one-too-many@example.vn").exists()


def test_a_token_answers_as_its_user_while_that_user_exists_and_is_active(buyer):
    from rest_framework_simplejwt.tokens import RefreshToken

    from tests.conftest import bearer_client

    client = bearer_client(buyer)
    me = client.get(ME)
    assert me.status_code == 200
    assert (me.json()["id"], me.json()["email"], me.json()["role"]) == (
        buyer.pk,
        buyer.email,
        "buyer",
    )

    buyer.is_active = False
    buyer.save()
    refused = client.get(ME)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "user_inactive"

    token = RefreshToken.for_user(buyer).access_token
    buyer.delete()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    gone = client.get(ME)
    assert gone.status_code == 401
    assert gone.json()["error"]["code"] == "user_not_found"
