"""The producer's path from sign-up to a public product, entirely through the API."""

import pytest

from shops.models import Shop, ShopEvent, StockMovement
from shops.selectors import public_products
from tests.conftest import bearer_client
from tests.shops.factories import CON_CUONG, NGHE_AN, PDF_BYTES, ShopFactory, upload
from worker.models import Notification

pytestmark = pytest.mark.django_db

SHOP_BODY = {
    "name": "Công ty Cổ phần Dược liệu Pù Mát",
    "legal_type": "company",
    "tax_code": "2901234567",
    "province_code": NGHE_AN,
    "ward_code": CON_CUONG,
    "address": "Bản Xiềng, xã Con Cuông",
    "phone": "0912 345 678",
    "description": "Dược liệu sạch vùng Vườn quốc gia Pù Mát.",
    "return_policy": "Đổi trả trong 7 ngày nếu sản phẩm lỗi do nhà sản xuất.",
}


def certificate_body(**overrides):
    body = {
        "number": "4894/QĐ-UBND",
        "issuer_name": "UBND tỉnh Nghệ An",
        "product_name": "Cao xạ đen Pù Mát",
        "stars": 4,
        "score": 78,
        "product_group": "herbal",
        "issued_by_level": "province",
        "issued_on": "2025-11-12",
    }
    body.update(overrides)
    return body


def product_body(certificate_id, **overrides):
    body = {
        "name": "Cao xạ đen Pù Mát",
        "description": "Cao xạ đen nguyên chất, hộp 100 g.",
        "certificate_id": certificate_id,
        "shelf_life_days": 730,
        "variants": [
            {
                "sku": "PM-XD-100",
                "name": "Hộp 100 g",
                "price": 350000,
                "stock": 40,
                "weight_grams": 180,
            },
            {
                "sku": "PM-XD-250",
                "name": "Hộp 250 g",
                "price": 780000,
                "stock": 10,
                "weight_grams": 400,
            },
        ],
    }
    body.update(overrides)
    return body


def test_producer_opens_shop_gets_verified_and_sells(
    producer, producer_client, operator_client, api_client
):
    response = producer_client.post("/api/v1/shops/", SHOP_BODY, format="json")
    assert response.status_code == 201, response.content
    shop = response.json()
    assert shop["status"] == "pending"
    assert shop["slug"] == "cong-ty-co-phan-duoc-lieu-pu-mat"
    assert shop["phone"] == "0912345678"
    assert shop["commission_bp"] == 500
    slug = shop["slug"]

    # Pending shops are invisible to the public.
    assert api_client.get(f"/api/v1/shops/{slug}/").status_code == 404
    assert api_client.get("/api/v1/shops/").json()["count"] == 0
    assert producer_client.get(f"/api/v1/shops/{slug}/").status_code == 200

    cert = producer_client.post(
        f"/api/v1/shops/{slug}/certificates/",
        {**certificate_body(), "scan": upload("qd-4894.pdf", PDF_BYTES)},
        format="multipart",
    )
    assert cert.status_code == 201, cert.content
    assert cert.json()["status"] == "pending"
    assert cert.json()["expires_on"] == "2028-11-12"
    assert cert.json()["has_scan"] is True
    cert_id = cert.json()["id"]

    # A product needs an approved certificate.
    early = producer_client.post(
        f"/api/v1/shops/{slug}/products/", product_body(cert_id), format="json"
    )
    assert early.status_code == 400
    assert early.json()["error"]["code"] == "certificate_not_approved"

    review = operator_client.post(
        f"/api/v1/operator/shops/{slug}/review/", {"decision": "approve"}, format="json"
    )
    assert review.status_code == 200
    assert review.json()["status"] == "active"
    approve = operator_client.post(
        f"/api/v1/operator/certificates/{cert_id}/review/",
        {"decision": "approve", "reason": ""},
        format="json",
    )
    assert approve.status_code == 200
    assert approve.json()["status"] == "approved"

    created = producer_client.post(
        f"/api/v1/shops/{slug}/products/", product_body(cert_id), format="json"
    )
    assert created.status_code == 201, created.content
    product = created.json()
    assert product["status"] == "draft"
    assert product["stars"] == 4
    assert product["product_group"] == "herbal"
    assert product["is_public"] is False
    assert product["origin_province"] == {"code": NGHE_AN, "name": "Nghệ An"}
    assert [v["sku"] for v in product["variants"]] == ["PM-XD-100", "PM-XD-250"]
    assert product["variants"][0]["currency"] == "VND"
    # The law's block: who sells, and on what return terms, with every product.
    seller = product["seller"]
    assert seller["legal_name"] == SHOP_BODY["name"]
    assert seller["tax_code"] == "2901234567"
    assert seller["return_policy"].startswith("Đổi trả trong 7 ngày")
    assert seller["ward"]["code"] == CON_CUONG

    activated = producer_client.patch(
        f"/api/v1/shops/{slug}/products/{product['id']}/", {"status": "active"}, format="json"
    )
    assert activated.status_code == 200
    assert activated.json()["is_public"] is True
    assert list(public_products().values_list("pk", flat=True)) == [product["id"]]
    assert api_client.get(f"/api/v1/shops/{slug}/").status_code == 200

    # Every step left its trail, and stock came in through the ledger.
    shop_obj = Shop.objects.get(slug=slug)
    kinds = list(ShopEvent.objects.filter(shop=shop_obj).values_list("kind", "to_status"))
    assert ("shop", "active") in kinds
    assert ("certificate", "approved") in kinds
    assert ("product", "active") in kinds
    assert StockMovement.objects.filter(variant__product_id=product["id"]).count() == 2
    assert set(Notification.objects.filter(recipient=producer).values_list("kind", flat=True)) == {
        "shop_approved",
        "certificate_approved",
    }


def test_slug_folds_vietnamese_letters_and_stays_unique(producer_client):
    body = {**SHOP_BODY, "name": "Đặc sản Đồng Tháp"}
    first = producer_client.post("/api/v1/shops/", body, format="json")
    second = producer_client.post(
        "/api/v1/shops/", {**body, "tax_code": "2901234568"}, format="json"
    )
    assert first.json()["slug"] == "dac-san-dong-thap"
    assert second.json()["slug"] == "dac-san-dong-thap-2"


@pytest.mark.parametrize(
    ("override", "code", "field"),
    [
        ({"tax_code": "12345"}, "invalid_tax_code", "tax_code"),
        ({"tax_code": "29012345671"}, "invalid_tax_code", "tax_code"),
        ({"phone": "12345"}, "invalid_phone", "phone"),
        ({"phone": "0112345678"}, "invalid_phone", "phone"),
        ({"ward_code": "30307"}, "ward_not_in_province", "ward_code"),
        ({"province_code": "99"}, "invalid_province", "province_code"),
        ({"legal_type": "corporation"}, "invalid_legal_type", "legal_type"),
        ({"name": ""}, "validation_error", "name"),
    ],
)
def test_bad_shop_input_is_400_with_a_code(producer_client, override, code, field):
    response = producer_client.post("/api/v1/shops/", {**SHOP_BODY, **override}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert field in response.json()["error"]["fields"]
    assert not Shop.objects.exists()


def test_tax_code_branch_forms_are_accepted(producer_client):
    response = producer_client.post(
        "/api/v1/shops/", {**SHOP_BODY, "tax_code": "2901234567001"}, format="json"
    )
    assert response.json()["tax_code"] == "2901234567-001"
    other = producer_client.post(
        "/api/v1/shops/",
        {
            **SHOP_BODY,
            "name": "Chi nhánh",
            "tax_code": "2901234567-002",
            "phone": "+84 238 3123 456",
        },
        format="json",
    )
    assert other.status_code == 201
    assert other.json()["phone"] == "02383123456"


def test_buyers_cannot_open_shops(buyer_client):
    response = buyer_client.post("/api/v1/shops/", SHOP_BODY, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_a_producer"


def test_shop_review_rules(operator_client, producer):
    shop = ShopFactory(status="pending", owner=producer)
    url = f"/api/v1/operator/shops/{shop.slug}/review/"
    no_reason = operator_client.post(url, {"decision": "reject"}, format="json")
    assert no_reason.status_code == 400
    assert no_reason.json()["error"]["code"] == "reason_required"
    bad = operator_client.post(url, {"decision": "maybe"}, format="json")
    assert bad.json()["error"]["code"] == "invalid_decision"
    rejected = operator_client.post(
        url, {"decision": "reject", "reason": "Sai mã số thuế"}, format="json"
    )
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["status_reason"] == "Sai mã số thuế"
    again = operator_client.post(url, {"decision": "approve"}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"
    assert Notification.objects.get(recipient=producer).kind == "shop_rejected"


def test_suspend_and_reinstate(operator_client):
    shop = ShopFactory()
    base = f"/api/v1/operator/shops/{shop.slug}"
    assert operator_client.post(f"{base}/reinstate/", {}, format="json").status_code == 409
    assert operator_client.post(f"{base}/suspend/", {}, format="json").status_code == 400
    suspended = operator_client.post(f"{base}/suspend/", {"reason": "Khiếu nại"}, format="json")
    assert suspended.json()["status"] == "suspended"
    assert (
        operator_client.post(f"{base}/suspend/", {"reason": "x"}, format="json").status_code == 409
    )
    assert (
        operator_client.post(f"{base}/reinstate/", {}, format="json").json()["status"] == "active"
    )
    pending = ShopFactory(status="pending")
    response = operator_client.post(
        f"/api/v1/operator/shops/{pending.slug}/reinstate/", {}, format="json"
    )
    assert response.status_code == 409


def test_commission_is_operator_set(operator_client):
    shop = ShopFactory()
    url = f"/api/v1/operator/shops/{shop.slug}/commission/"
    assert (
        operator_client.post(url, {"commission_bp": 800}, format="json").json()["commission_bp"]
        == 800
    )
    assert operator_client.post(url, {"commission_bp": 20000}, format="json").status_code == 400


def test_owner_edits_shop_but_legal_identity_is_locked_after_verification(producer):
    shop = ShopFactory(owner=producer)
    client = bearer_client(producer)
    url = f"/api/v1/shops/{shop.slug}/"
    ok = client.patch(
        url, {"return_policy": "Đổi trong 3 ngày.", "ward_code": MON_SON_CODE}, format="json"
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["return_policy"] == "Đổi trong 3 ngày."
    locked = client.patch(url, {"tax_code": "2909999999"}, format="json")
    assert locked.status_code == 409
    assert locked.json()["error"]["code"] == "legal_identity_locked"
    wrong_ward = client.patch(url, {"ward_code": "30307"}, format="json")
    assert wrong_ward.status_code == 400


MON_SON_CODE = "17263"


def test_owner_invites_staff_who_accept_and_removes_them(
    producer, django_capture_on_commit_callbacks
):
    from tests.accounts.factories import UserFactory

    shop = ShopFactory(owner=producer)
    staff = UserFactory(role="producer", email="nhanvien@example.vn")
    client = bearer_client(producer)
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(
            f"/api/v1/shops/{shop.slug}/members/", {"email": "NhanVien@example.vn"}, format="json"
        )
    assert invited.status_code == 202
    assert invited.json()["role"] == "staff"
    unknown = client.post(
        f"/api/v1/shops/{shop.slug}/members/", {"email": "ai@example.vn"}, format="json"
    )
    assert unknown.status_code == 202
    assert unknown.json().keys() == invited.json().keys()
    staff_client = bearer_client(staff)
    assert staff_client.get(f"/api/v1/shops/{shop.slug}/products/").status_code == 404
    token = Notification.objects.get(recipient=staff, kind="shop_invitation").context["token"]
    added = staff_client.post("/api/v1/shops/invitations/accept/", {"token": token}, format="json")
    assert added.status_code == 201
    dup = client.post(
        f"/api/v1/shops/{shop.slug}/members/", {"email": "nhanvien@example.vn"}, format="json"
    )
    assert dup.status_code == 409
    # Staff manage products but not the team.
    assert (
        staff_client.post(
            f"/api/v1/shops/{shop.slug}/members/", {"email": producer.email}, format="json"
        ).status_code
        == 403
    )
    members = client.get(f"/api/v1/shops/{shop.slug}/members/").json()
    owner_id = next(m["id"] for m in members if m["role"] == "owner")
    assert client.delete(f"/api/v1/shops/{shop.slug}/members/{owner_id}/").status_code == 409
    removed = client.delete(f"/api/v1/shops/{shop.slug}/members/{added.json()['id']}/")
    assert removed.status_code == 204
    assert staff_client.get(f"/api/v1/shops/{shop.slug}/products/").status_code == 404
