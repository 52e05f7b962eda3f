"""A shop's team grows by invitation only (issue 15, item 3): the owner's answer says
nothing about whether the address has an account, and nobody becomes a member without
accepting, signed in with the invited address."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from shops.models import ShopInvitation, ShopMember
from tests.accounts.factories import UserFactory
from tests.conftest import bearer_client
from tests.shops.factories import ShopFactory
from worker.models import Notification

pytestmark = pytest.mark.django_db

ACCEPT = "/api/v1/shops/invitations/accept/"


@pytest.fixture
def shop(producer):
    return ShopFactory(owner=producer, name="HTX Chè Tân Cương")


@pytest.fixture
def owner(producer):
    return bearer_client(producer)


def invite(client, shop, email, capture, **extra):
    with capture(execute=True):
        return client.post(
            f"/api/v1/shops/{shop.slug}/members/", {"email": email, **extra}, format="json"
        )


def token_in(text: str) -> str:
    return re.search(r"(?:mã|code): (\S+)\.", text).group(1)


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(
    shop, owner, django_capture_on_commit_callbacks
):
    known = UserFactory(role="producer", email="nhanvien@example.vn", full_name="Phạm Thị Mai")
    to_known = invite(owner, shop, "NhanVien@example.vn", django_capture_on_commit_callbacks)
    to_stranger = invite(owner, shop, "ai.do@example.vn", django_capture_on_commit_callbacks)

    assert to_known.status_code == to_stranger.status_code == 202
    assert to_known.json().keys() == to_stranger.json().keys()
    assert to_known.json()["email"] == "NhanVien@example.vn"
    assert to_stranger.json()["email"] == "ai.do@example.vn"
    assert to_known.json()["status"] == to_stranger.json()["status"] == "pending"
    assert "Phạm Thị Mai" not in to_known.content.decode()
    # Nobody was added: the account holder is only told.
    assert not ShopMember.objects.filter(shop=shop, user=known).exists()
    assert ShopInvitation.objects.filter(shop=shop).count() == 2

    told = Notification.objects.get(recipient=known, kind="shop_invitation")
    assert "HTX Chè Tân Cương" in told.body
    stranger_mail = next(m for m in mail.outbox if m.to == ["ai.do@example.vn"])
    assert "HTX Chè Tân Cương" in stranger_mail.body
    known_mail = next(m for m in mail.outbox if m.to == [known.email])
    assert token_in(known_mail.body) == token_in(told.body)
    # Only a hash of each token is stored.
    for invitation in ShopInvitation.objects.all():
        assert token_in(told.body) != invitation.token_hash
        assert token_in(stranger_mail.body) != invitation.token_hash


def test_the_invitee_accepts_with_the_token_and_only_then_is_a_member(
    shop, owner, django_capture_on_commit_callbacks
):
    invite(owner, shop, "moi@example.vn", django_capture_on_commit_callbacks)
    token = token_in(mail.outbox[-1].body)
    # The stranger signs up afterwards, with the invited address.
    invitee = UserFactory(role="producer", email="moi@example.vn")
    client = bearer_client(invitee)
    assert client.get(f"/api/v1/shops/{shop.slug}/products/").status_code == 404

    accepted = client.post(ACCEPT, {"token": token}, format="json")
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["shop"] == {"slug": shop.slug, "name": shop.name}
    assert accepted.json()["role"] == "staff"
    assert ShopMember.objects.get(shop=shop, user=invitee).role == "staff"
    assert client.get(f"/api/v1/shops/{shop.slug}/products/").status_code == 200
    listed = owner.get(f"/api/v1/shops/{shop.slug}/invitations/").json()["results"]
    assert [i["status"] for i in listed] == ["accepted"]
    # A token serves once.
    again = client.post(ACCEPT, {"token": token}, format="json")
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "invitation_not_found"


def test_a_wrong_expired_or_revoked_token_or_another_account_is_404(
    shop, owner, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email="moi@example.vn")
    invite(owner, shop, "moi@example.vn", django_capture_on_commit_callbacks)
    token = token_in(Notification.objects.get(recipient=invitee).body)
    client = bearer_client(invitee)

    for who, body in (
        (client, {"token": "not-the-token"}),
        (client, {"token": token[:-1]}),
        (bearer_client(UserFactory()), {"token": token}),  # someone the token leaked to
    ):
        response = who.post(ACCEPT, body, format="json")
        assert response.status_code == 404, body
        assert response.json()["error"]["code"] == "invitation_not_found"
    assert client.post(ACCEPT, {}, format="json").status_code == 400
    assert APIClient().post(ACCEPT, {"token": token}, format="json").status_code == 401
    assert not ShopMember.objects.filter(shop=shop, user=invitee).exists()

    # Expired.
    ShopInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.post(ACCEPT, {"token": token}, format="json").status_code == 404
    ShopInvitation.objects.update(expires_at=timezone.now() + datetime.timedelta(days=1))

    # Revoked by the owner.
    invitation = ShopInvitation.objects.get()
    assert (
        owner.delete(f"/api/v1/shops/{shop.slug}/invitations/{invitation.pk}/").status_code == 204
    )
    assert client.post(ACCEPT, {"token": token}, format="json").status_code == 404
    assert not ShopMember.objects.filter(shop=shop, user=invitee).exists()


def test_inviting_again_replaces_the_open_invitation(
    shop, owner, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email="moi@example.vn")
    invite(owner, shop, "moi@example.vn", django_capture_on_commit_callbacks)
    invite(owner, shop, "MOI@example.vn", django_capture_on_commit_callbacks)
    first, second = Notification.objects.filter(recipient=invitee).order_by("pk")
    client = bearer_client(invitee)
    assert client.post(ACCEPT, {"token": token_in(first.body)}, format="json").status_code == 404
    assert client.post(ACCEPT, {"token": token_in(second.body)}, format="json").status_code == 201
    statuses = [
        i["status"] for i in owner.get(f"/api/v1/shops/{shop.slug}/invitations/").json()["results"]
    ]
    assert statuses == ["accepted", "revoked"]


def test_owner_lists_and_revokes_staff_cannot(shop, owner, django_capture_on_commit_callbacks):
    staff = UserFactory(role="producer", email="nv@example.vn")
    ShopMember.objects.create(shop=shop, user=staff, role="staff")
    invite(owner, shop, "moi@example.vn", django_capture_on_commit_callbacks)
    invitation = ShopInvitation.objects.get()
    staff_client = bearer_client(staff)
    url = f"/api/v1/shops/{shop.slug}/invitations/"
    for response in (
        staff_client.get(url),
        staff_client.post(url, {"email": "x@example.vn"}, format="json"),
        staff_client.delete(f"{url}{invitation.pk}/"),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "owner_only"
    outsider = bearer_client(UserFactory(role="producer"))
    assert outsider.get(url).status_code == 404
    assert outsider.delete(f"{url}{invitation.pk}/").status_code == 404

    listed = owner.get(url).json()
    assert listed["count"] == 1
    assert listed["results"][0]["email"] == "moi@example.vn"
    assert owner.delete(f"{url}{invitation.pk}/").status_code == 204
    assert owner.delete(f"{url}{invitation.pk}/").status_code == 204  # harmless twice
    assert owner.get(url).json()["results"][0]["status"] == "revoked"
    other_shop = ShopFactory()
    foreign = ShopInvitation.objects.create(
        shop=other_shop, email="a@example.vn", token_hash="0" * 64, expires_at=timezone.now()
    )
    missing = owner.delete(f"{url}{foreign.pk}/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "invitation_not_found"


def test_an_accepted_invitation_cannot_be_revoked(shop, owner, django_capture_on_commit_callbacks):
    invitee = UserFactory(email="moi@example.vn")
    invite(owner, shop, "moi@example.vn", django_capture_on_commit_callbacks)
    token = token_in(Notification.objects.get(recipient=invitee).body)
    assert bearer_client(invitee).post(ACCEPT, {"token": token}, format="json").status_code == 201
    invitation = ShopInvitation.objects.get()
    response = owner.delete(f"/api/v1/shops/{shop.slug}/invitations/{invitation.pk}/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invitation_accepted"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"email": "khong-phai-email"}, 400, "validation_error"),
        ({}, 400, "validation_error"),
        ({"email": "moi@example.vn", "role": "owner"}, 400, "validation_error"),
        ({"email": "moi@example.vn", "role": "admin"}, 400, "validation_error"),
        ({"email": ["a@example.vn"]}, 400, "validation_error"),
    ],
)
def test_bad_invitations_are_4xx_and_write_nothing(
    shop, owner, body, status, code, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(f"/api/v1/shops/{shop.slug}/invitations/", body, format="json")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert not ShopInvitation.objects.exists()
    assert not mail.outbox


def test_inviting_a_member_is_a_conflict(shop, owner, producer, django_capture_on_commit_callbacks):
    response = invite(owner, shop, producer.email.upper(), django_capture_on_commit_callbacks)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_member"
    assert not ShopInvitation.objects.exists()


def test_a_shop_sends_a_bounded_number_of_invitations_a_day(
    shop, owner, monkeypatch, django_capture_on_commit_callbacks
):
    from shops.services import invitations

    monkeypatch.setattr(invitations, "INVITATIONS_PER_SHOP_PER_DAY", 3)
    for n in range(3):
        assert (
            invite(owner, shop, f"a{n}@example.vn", django_capture_on_commit_callbacks).status_code
            == 202
        )
    refused = invite(owner, shop, "a9@example.vn", django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_invitations"
    assert ShopInvitation.objects.count() == 3
    assert len(mail.outbox) == 3


def test_delivery_happens_once_and_not_after_a_revocation(shop, producer):
    from shops.services import invitations

    invitation = invitations.shop_invitation_create(shop=shop, actor=producer, email="x@example.vn")
    token = "the-token-the-outbox-carries"
    ShopInvitation.objects.filter(pk=invitation.pk).update(
        token_hash=invitations.invitation_token_hash(token)
    )
    assert invitations.shop_invitation_deliver(invitation_id=invitation.pk, token="forged") is False
    assert invitations.shop_invitation_deliver(invitation_id=invitation.pk, token=token) is True
    assert invitations.shop_invitation_deliver(invitation_id=invitation.pk, token=token) is False
    assert len(mail.outbox) == 1

    revoked = invitations.shop_invitation_create(shop=shop, actor=producer, email="y@example.vn")
    ShopInvitation.objects.filter(pk=revoked.pk).update(
        token_hash=invitations.invitation_token_hash("t2")
    )
    invitations.shop_invitation_revoke(shop=shop, actor=producer, invitation_id=revoked.pk)
    assert invitations.shop_invitation_deliver(invitation_id=revoked.pk, token="t2") is False
    assert len(mail.outbox) == 1


def test_operators_see_invitations_in_the_back_office_without_tokens(
    client, operator, shop, producer
):
    from marketplace.accounts.services import operator_grant
    from shops.services.invitations import shop_invitation_create

    invitation = shop_invitation_create(shop=shop, actor=producer, email="moi@example.vn")
    operator_grant(user=operator)
    client.force_login(operator)
    listed = client.get("/admin/shops/shopinvitation/")
    assert listed.status_code == 200
    assert b"moi@example.vn" in listed.content
    detail = client.get(f"/admin/shops/shopinvitation/{invitation.pk}/change/")
    assert detail.status_code == 200
    assert invitation.token_hash.encode() not in detail.content
    assert client.post(f"/admin/shops/shopinvitation/{invitation.pk}/delete/").status_code == 403
