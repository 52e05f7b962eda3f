"""Who may call what: owner, staff, another producer, a buyer, anonymous, an operator,
against every shops endpoint. Private data of someone else's shop answers 404."""

import pytest
from rest_framework.test import APIClient

from shops.models import ShopMember
from tests.accounts.factories import UserFactory
from tests.conftest import bearer_client
from tests.shops.factories import (
    CertificateFactory,
    ProductFactory,
    ShopFactory,
    VariantFactory,
    png_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

ROLES = ["owner", "staff", "other_producer", "buyer", "anonymous", "operator"]

CSV = (
    "product_name,certificate_number,sku,variant_name,price,stock,weight_grams,shelf_life_days\n"
    "Trà xạ đen,{number},NEW-1,Gói 50 g,90000,5,60,365\n"
)


@pytest.fixture
def world():
    owner = UserFactory(role="producer")
    shop = ShopFactory(owner=owner)
    staff = UserFactory(role="producer")
    ShopMember.objects.create(shop=shop, user=staff, role="staff")
    certificate = CertificateFactory(shop=shop)
    product = ProductFactory(shop=shop, certificate=certificate)
    variant = VariantFactory(product=product, initial_stock=20)
    draft = ProductFactory(shop=shop, certificate=certificate, status="draft", name="Nháp")
    pending_shop = ShopFactory(owner=owner, status="pending")
    pending_certificate = CertificateFactory(shop=shop, status="pending")
    clients = {
        "owner": bearer_client(owner),
        "staff": bearer_client(staff),
        "other_producer": bearer_client(UserFactory(role="producer")),
        "buyer": bearer_client(UserFactory(role="buyer")),
        "anonymous": APIClient(),
        "operator": bearer_client(UserFactory(role="buyer", is_staff=True)),
    }
    return {
        "shop": shop,
        "certificate": certificate,
        "product": product,
        "variant": variant,
        "draft": draft,
        "pending_shop": pending_shop,
        "pending_certificate": pending_certificate,
        "clients": clients,
    }


def _new_shop_body(w):
    return {
        "name": "Hợp tác xã Mới",
        "legal_type": "cooperative",
        "tax_code": "2909876543",
        "province_code": "40",
        "ward_code": "17254",
        "address": "Con Cuông",
        "phone": "0987654321",
    }


def _certificate_body(w):
    return {
        "number": "777/QĐ-UBND",
        "issuer_name": "UBND tỉnh Nghệ An",
        "product_name": "Mật ong Pù Mát",
        "stars": 3,
        "product_group": "food",
        "issued_by_level": "province",
        "issued_on": "2025-09-01",
    }


def _product_body(w):
    return {
        "name": "Trà xạ đen",
        "certificate_id": w["certificate"].pk,
        "shelf_life_days": 365,
        "variants": [
            {"sku": "TXD-1", "name": "Gói 50 g", "price": 90000, "stock": 5, "weight_grams": 60}
        ],
    }


S = "/api/v1/shops/{slug}"
R, M, OP = "reader", "member", "operator"
# (method, path, body, format, expected status per role)
READER = {
    "owner": 200,
    "staff": 200,
    "other_producer": 404,
    "buyer": 404,
    "anonymous": 401,
    "operator": 200,
}


def member(ok):
    return {
        "owner": ok,
        "staff": ok,
        "other_producer": 404,
        "buyer": 404,
        "anonymous": 401,
        "operator": 403,
    }


OPERATOR_ONLY = {
    "owner": 403,
    "staff": 403,
    "other_producer": 403,
    "buyer": 403,
    "anonymous": 401,
    "operator": 200,
}
EVERYONE = dict.fromkeys(ROLES, 200)

ENDPOINTS = {
    "list shops": ("get", lambda w: "/api/v1/shops/", None, EVERYONE),
    "open shop": (
        "post",
        lambda w: "/api/v1/shops/",
        _new_shop_body,
        {
            "owner": 201,
            "staff": 201,
            "other_producer": 201,
            "buyer": 403,
            "anonymous": 401,
            "operator": 403,
        },
    ),
    "active shop detail": ("get", lambda w: S.format(slug=w["shop"].slug) + "/", None, EVERYONE),
    "pending shop detail": (
        "get",
        lambda w: S.format(slug=w["pending_shop"].slug) + "/",
        None,
        {
            "owner": 200,
            "staff": 404,
            "other_producer": 404,
            "buyer": 404,
            "anonymous": 404,
            "operator": 200,
        },
    ),
    "edit shop": (
        "patch",
        lambda w: S.format(slug=w["shop"].slug) + "/",
        lambda w: {"description": "Mới"},
        member(200),
    ),
    "list members": ("get", lambda w: S.format(slug=w["shop"].slug) + "/members/", None, READER),
    "add member": (
        "post",
        lambda w: S.format(slug=w["shop"].slug) + "/members/",
        lambda w: {"email": UserFactory().email},
        {
            "owner": 202,
            "staff": 403,
            "other_producer": 404,
            "buyer": 404,
            "anonymous": 401,
            "operator": 403,
        },
    ),
    "list invitations": (
        "get",
        lambda w: S.format(slug=w["shop"].slug) + "/invitations/",
        None,
        {
            "owner": 200,
            "staff": 403,
            "other_producer": 404,
            "buyer": 404,
            "anonymous": 401,
            "operator": 403,
        },
    ),
    "list certificates": (
        "get",
        lambda w: S.format(slug=w["shop"].slug) + "/certificates/",
        None,
        READER,
    ),
    "submit certificate": (
        "post",
        lambda w: S.format(slug=w["shop"].slug) + "/certificates/",
        _certificate_body,
        member(201),
    ),
    "list products": ("get", lambda w: S.format(slug=w["shop"].slug) + "/products/", None, READER),
    "create product": (
        "post",
        lambda w: S.format(slug=w["shop"].slug) + "/products/",
        _product_body,
        member(201),
    ),
    "product detail": (
        "get",
        lambda w: S.format(slug=w["shop"].slug) + f"/products/{w['product'].pk}/",
        None,
        READER,
    ),
    "edit product": (
        "patch",
        lambda w: S.format(slug=w["shop"].slug) + f"/products/{w['product'].pk}/",
        lambda w: {"name": "Cao xạ đen loại 1"},
        member(200),
    ),
    "delete draft": (
        "delete",
        lambda w: S.format(slug=w["shop"].slug) + f"/products/{w['draft'].pk}/",
        None,
        member(204),
    ),
    "add variant": (
        "post",
        lambda w: S.format(slug=w["shop"].slug) + f"/products/{w['product'].pk}/variants/",
        lambda w: {
            "sku": "PM-NEW",
            "name": "Hộp 500 g",
            "price": 1200000,
            "stock": 2,
            "weight_grams": 700,
        },
        member(201),
    ),
    "variant detail": (
        "get",
        lambda w: S.format(slug=w["shop"].slug) + f"/variants/{w['variant'].pk}/",
        None,
        READER,
    ),
    "edit variant": (
        "patch",
        lambda w: S.format(slug=w["shop"].slug) + f"/variants/{w['variant'].pk}/",
        lambda w: {"price": 160000, "stock": 25},
        member(200),
    ),
    "stock ledger": (
        "get",
        lambda w: S.format(slug=w["shop"].slug) + f"/variants/{w['variant'].pk}/movements/",
        None,
        READER,
    ),
    "upload image": (
        "post",
        lambda w: S.format(slug=w["shop"].slug) + f"/products/{w['product'].pk}/images/",
        lambda w: {"image": upload("anh.png", png_bytes())},
        member(201),
    ),
    "list imports": ("get", lambda w: S.format(slug=w["shop"].slug) + "/imports/", None, READER),
    "upload import": (
        "post",
        lambda w: S.format(slug=w["shop"].slug) + "/imports/",
        lambda w: {"file": upload("sp.csv", CSV.format(number=w["certificate"].number).encode())},
        member(202),
    ),
    "operator shop list": ("get", lambda w: "/api/v1/operator/shops/", None, OPERATOR_ONLY),
    "operator review shop": (
        "post",
        lambda w: f"/api/v1/operator/shops/{w['pending_shop'].slug}/review/",
        lambda w: {"decision": "approve"},
        OPERATOR_ONLY,
    ),
    "operator suspend shop": (
        "post",
        lambda w: f"/api/v1/operator/shops/{w['shop'].slug}/suspend/",
        lambda w: {"reason": "Khiếu nại của khách"},
        OPERATOR_ONLY,
    ),
    "operator review certificate": (
        "post",
        lambda w: f"/api/v1/operator/certificates/{w['pending_certificate'].pk}/review/",
        lambda w: {"decision": "approve"},
        OPERATOR_ONLY,
    ),
    "operator delist product": (
        "post",
        lambda w: f"/api/v1/operator/products/{w['product'].pk}/delist/",
        lambda w: {"reason": "Vi phạm nhãn hiệu"},
        OPERATOR_ONLY,
    ),
}

MULTIPART = {"upload image", "upload import"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_permission_matrix(world, endpoint, role):
    method, path, body, expected = ENDPOINTS[endpoint]
    client = world["clients"][role]
    kwargs = {}
    if body is not None:
        kwargs = {"data": body(world), "format": "multipart" if endpoint in MULTIPART else "json"}
    response = getattr(client, method)(path(world), **kwargs)
    assert response.status_code == expected[role], (endpoint, role, response.content[:300])
    if response.status_code >= 400:
        assert "code" in response.json()["error"]


def test_list_shows_active_shops_and_a_members_own(world):
    owner_view = world["clients"]["owner"].get("/api/v1/shops/").json()
    public_view = world["clients"]["anonymous"].get("/api/v1/shops/").json()
    assert {s["slug"] for s in owner_view["results"]} == {
        world["shop"].slug,
        world["pending_shop"].slug,
    }
    assert {s["slug"] for s in public_view["results"]} == {world["shop"].slug}
    assert (
        "commission_bp"
        not in world["clients"]["buyer"].get(f"/api/v1/shops/{world['shop'].slug}/").json()
    )


def test_ids_of_another_shop_answer_404_even_to_a_member(world):
    other = ShopFactory()
    foreign = VariantFactory(product=ProductFactory(shop=other))
    client = world["clients"]["owner"]
    slug = world["shop"].slug
    assert client.get(f"/api/v1/shops/{slug}/products/{foreign.product_id}/").status_code == 404
    assert (
        client.patch(
            f"/api/v1/shops/{slug}/variants/{foreign.pk}/", {"price": 1}, format="json"
        ).status_code
        == 404
    )
