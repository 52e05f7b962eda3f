"""Mass assignment: no client sets status, money, ratings, ledger amounts, ownership or
another user's ids through any write.

Every write route of the URLconf (every method but GET of the access matrix's routes)
is sent twice from the role allowed to call it, each time in a savepoint rolled back
after: once with a plain valid body, once with the same body plus hostile fields
(HOSTILE: a status, prices and totals, a commission, ratings, someone else's shop, user
and buyer ids, staff flags). The hostile request must either be refused (400, the
database as before) or answer as the plain one did with the database left exactly as
the plain one left it: the extra fields changed nothing. A new write route without a
body here fails the coverage test.

Not reached here (the plain body is refused too, so both answers and states are merely
equal): a review (it needs a cash-on-delivery payment the carrier confirmed), a ticket
use, a tourism session, an invitation's acceptance and the signed webhook.
"""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.db import models, transaction
from django.urls import reverse

from orders.services import fulfilment
from shops.models import Product, Shop
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.security.routes import client_for
from tests.security.test_access_matrix import API_ROUTES, SAMPLE_PARAMS
from tests.shops.factories import png_bytes, upload

# --- what the database holds that a client must not set --------------------------------
APPS = ("accounts", "shops", "orders", "payments")
ALSO = ("worker.Notification", "worker.NotificationPreference")
# Written with the time or a random name on each run: not comparable between two runs.
UNCOMPARABLE = (models.DateTimeField, models.FileField)
# Salted, or naming the new rows' ids in text: what differs between two identical runs.
RUN_SPECIFIC = {"password", "reference", "dedupe_key", "link", "target_id", "context"}


def _models() -> list[type[models.Model]]:
    found = [m for label in APPS for m in apps.get_app_config(label).get_models()]
    return found + [apps.get_model(label) for label in ALSO]


def _fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and not isinstance(f, UNCOMPARABLE)
        and f.name not in RUN_SPECIFIC
        and not any(word in f.name for word in ("hash", "token", "secret"))
    ]


def _high_water() -> dict:
    return {m: (m.objects.aggregate(top=models.Max("pk"))["top"] or 0) for m in _models()}


def fingerprint(high_water: dict) -> dict:
    """Every comparable column of every row, rows created since `high_water` by what
    they hold rather than their ids (so two runs creating the same rows compare equal)."""
    state = {}
    for model in _models():
        fields = _fields(model)
        rows = []
        for row in model.objects.values_list("pk", *[f.attname for f in fields]):
            pk, values = row[0], list(row[1:])
            for i, field in enumerate(fields):
                target = field.related_model
                if target in high_water and values[i] is not None:
                    values[i] = "new" if values[i] > high_water[target] else values[i]
            rows.append(("new" if pk > high_water[model] else str(pk), *map(repr, values)))
        state[model._meta.label] = sorted(rows)
    return state


def _diff(a: dict, b: dict) -> dict:
    return {k: (set(a[k]) ^ set(b[k])) for k in a if a[k] != b[k]}


# --- the hostile fields ---------------------------------------------------------------
def hostile(world) -> dict:
    other, users = world["other"], world["users"]
    other_shop = Shop.objects.get(slug=other["slug"])
    return {
        "id": 10**9,
        "status": "active",
        "shop": other_shop.pk,
        "shop_id": other_shop.pk,
        "shop_slug": other["slug"],
        "slug": "chiem-quyen",
        "owner": users["other_producer"].pk,
        "owner_id": users["other_producer"].pk,
        "user": users["other_producer"].pk,
        "user_id": users["other_producer"].pk,
        "buyer": users["other_producer"].pk,
        "buyer_id": users["other_producer"].pk,
        "recipient": users["other_producer"].pk,
        "actor": users["operator"].pk,
        "created_by": users["other_producer"].pk,
        "product": other["product_id"],
        "product_id": other["product_id"],
        "order": other["order_id"],
        "order_id": other["order_id"],
        "price": 1,
        "unit_price": 1,
        "total": 1,
        "subtotal": 1,
        "line_total": 1,
        "shipping_fee": 0,
        "amount": 1,
        "commission_bp": 0,
        "commission": 0,
        "balance": 10**9,
        "rating": 5,
        "rating_avg": 5,
        "rating_count": 1000,
        "stars": 5,
        "is_staff": True,
        "is_superuser": True,
        "is_active": True,
        "is_operator": True,
        "email_verified": True,
        "role": "owner",
        "stock_reserved": 0,
        "reserved": 0,
        "paid_at": "2026-01-01T00:00:00Z",
    }


# --- a plain valid body for every write, from a role allowed to send it ------------------
def _address() -> dict:
    return {
        "full_name": "Nguyễn Thị Lan",
        "phone": "0987654321",
        "province_code": "38",
        "ward_code": "14758",
        "line1": "Số 12, đường Lê Lợi",
    }


def _certificate_id(world) -> int:
    return Product.objects.get(pk=world["own"]["product_id"]).certificate_id


def _certificate(world) -> dict:
    return {
        "number": "9/QĐ-UBND",
        "issuer_name": "UBND tỉnh Nghệ An",
        "product_name": "Mật ong Pù Mát",
        "stars": 3,
        "product_group": "food",
        "issued_by_level": "province",
        "issued_on": "2025-06-01",
    }


def _variant() -> dict:
    return {"sku": "MOI-1", "name": "Hũ 200 g", "price": 120_000, "stock": 3, "weight_grams": 300}


def _product(world) -> dict:
    return {
        "name": "Cao xạ đen mới",
        "certificate_id": _certificate_id(world),
        "shelf_life_days": 365,
        "variants": [_variant()],
    }


def _shop() -> dict:
    return {
        "name": "Hợp tác xã Mới",
        "legal_type": "cooperative",
        "tax_code": "2909876543",
        "province_code": "40",
        "ward_code": "17254",
        "address": "Con Cuông",
        "phone": "0987654321",
    }


def _in_ten_days() -> str:
    return (datetime.date.today() + datetime.timedelta(days=10)).isoformat()


def _image(world) -> dict:
    return {"image": upload("anh.png", png_bytes(), "image/png")}


def _sheet(world) -> dict:
    return {"file": upload("hang.csv", b"product_name,sku\n", "text/csv")}


# (route, method) → (role, body(world)); "multipart" bodies go as forms.
JSON, FORM = "json", "multipart"
BODIES = {
    ("auth-register", "post"): (
        "anonymous",
        lambda w: {
            "email": "moi@example.vn",
            "password": DEFAULT_PASSWORD,
            "full_name": "Lan",
            "role": "buyer",
        },
    ),
    ("auth-token", "post"): (
        "anonymous",
        lambda w: {"email": w["users"]["buyer"].email, "password": DEFAULT_PASSWORD},
    ),
    ("auth-token-refresh", "post"): ("anonymous", lambda w: {"refresh": "hong"}),
    ("auth-me", "patch"): ("buyer", lambda w: {"full_name": "Lan Mới"}),
    ("auth-verify-email", "post"): ("buyer", lambda w: {}),
    ("auth-verify-email-confirm", "post"): ("anonymous", lambda w: {"token": "hong"}),
    ("notification-read-all", "post"): ("buyer", lambda w: {}),
    ("notification-preference", "patch"): ("buyer", lambda w: {"email_enabled": False}),
    ("notification-read", "post"): ("buyer", lambda w: {}),
    ("orders:cart-items", "post"): (
        "buyer",
        lambda w: {"variant_id": w["own"]["variant_id"], "quantity": 1},
    ),
    ("orders:cart-item", "patch"): ("buyer", lambda w: {"quantity": 2}),
    ("orders:cart-item", "delete"): ("buyer", lambda w: {}),
    ("orders:checkout", "post"): (
        "buyer",
        lambda w: {"shipping_address": _address(), "payment_method": "cod"},
    ),
    ("orders:order-cancel", "post"): ("buyer", lambda w: {"reason": "Đổi ý"}),
    ("orders:order-pay", "post"): ("buyer", lambda w: {}),
    ("orders:confirm-receipt", "post"): ("buyer", lambda w: {}),
    ("orders:product-reviews", "post"): ("buyer", lambda w: {"rating": 4, "comment": "Ngon"}),
    ("shop-orders:accept", "post"): ("owner", lambda w: {}),
    ("shop-orders:ship", "post"): ("owner", lambda w: {"carrier": "GHN", "tracking_number": "1"}),
    ("shop-orders:deliver", "post"): ("owner", lambda w: {}),
    ("shop-orders:reject", "post"): ("owner", lambda w: {"reason": "Hết hàng"}),
    ("shop-orders:ticket-use", "post"): ("owner", lambda w: {"code": "ABCD1234"}),
    ("shop-money:payout-account", "put"): (
        "owner",
        lambda w: {
            "bank_name": "Vietcombank",
            "account_number": "0123456789",
            "account_holder": "HTX Dược liệu",
        },
    ),
    ("shops:shop-list", "post"): ("owner", lambda w: _shop()),
    ("shops:shop-invitation-accept", "post"): ("buyer", lambda w: {"token": "hong"}),
    ("shops:shop-detail", "patch"): ("owner", lambda w: {"description": "Dược liệu mới."}),
    ("shops:shop-members", "post"): ("owner", lambda w: {"email": "nv@example.vn"}),
    ("shops:shop-member-detail", "delete"): ("owner", lambda w: {}),
    ("shops:shop-invitations", "post"): ("owner", lambda w: {"email": "nv2@example.vn"}),
    ("shops:shop-invitation-detail", "delete"): ("owner", lambda w: {}),
    ("shops:shop-certificates", "post"): ("owner", _certificate),
    ("shops:shop-products", "post"): ("owner", _product),
    ("shops:shop-product-detail", "patch"): ("owner", lambda w: {"name": "Tên mới"}),
    ("shops:shop-product-detail", "delete"): ("owner", lambda w: {}),
    ("shops:shop-product-variants", "post"): ("owner", lambda w: _variant()),
    ("shops:shop-product-images", "post"): ("owner", _image),
    ("shops:shop-product-image-detail", "delete"): ("owner", lambda w: {}),
    ("shops:shop-variant-detail", "patch"): ("owner", lambda w: {"price": 160_000}),
    ("shops:shop-variant-sessions", "post"): (
        "owner",
        lambda w: {"date": _in_ten_days(), "capacity": 5},
    ),
    ("shops:shop-imports", "post"): ("owner", _sheet),
    ("operator:shop-review", "post"): ("operator", lambda w: {"decision": "approve"}),
    ("operator:shop-suspend", "post"): ("operator", lambda w: {"reason": "Kiểm tra"}),
    ("operator:shop-reinstate", "post"): ("operator", lambda w: {}),
    ("operator:shop-commission", "post"): ("operator", lambda w: {"commission_bp": 800}),
    ("operator:certificate-review", "post"): ("operator", lambda w: {"decision": "approve"}),
    ("operator:product-delist", "post"): ("operator", lambda w: {"reason": "Kiểm tra"}),
    ("operator:product-relist", "post"): ("operator", lambda w: {}),
    ("payments:stripe-webhook", "post"): ("anonymous", lambda w: {"type": "charge.refunded"}),
}
FORM_BODIES = {("shops:shop-product-images", "post"), ("shops:shop-imports", "post")}
# Fields a route takes on purpose, left out of its hostile set (sent, they would be an
# ordinary request): a product's owner publishes and hides it; invitations name a role.
OWN_FIELDS = {
    ("shops:shop-product-detail", "patch"): {"status"},
    ("shops:shop-members", "post"): {"role"},
    ("shops:shop-invitations", "post"): {"role"},
    ("operator:shop-commission", "post"): {"commission_bp"},
}


def _accepted(world) -> None:
    shop = Shop.objects.get(slug=world["own"]["slug"])
    fulfilment.shop_order_accept(
        shop=shop, shop_order_id=world["own"]["shop_order_id"], actor=world["users"]["owner"]
    )


def _shipped(world) -> None:
    _accepted(world)
    fulfilment.shop_order_ship(
        shop=Shop.objects.get(slug=world["own"]["slug"]),
        shop_order_id=world["own"]["shop_order_id"],
        actor=world["users"]["owner"],
        carrier="GHN",
        tracking_number="GHN1",
    )


def _delivered(world) -> None:
    _shipped(world)
    fulfilment.shop_order_deliver(
        shop=Shop.objects.get(slug=world["own"]["slug"]),
        shop_order_id=world["own"]["shop_order_id"],
        actor=world["users"]["owner"],
    )


# Where the world's order must first move on for the write to be allowed, done in the
# same savepoint before each request.
SETUP = {
    ("shop-orders:ship", "post"): _accepted,
    ("shop-orders:deliver", "post"): _shipped,
    ("orders:confirm-receipt", "post"): _delivered,
}

WRITES = [(route, method) for route in API_ROUTES for method in route.methods() if method != "get"]


def test_every_write_route_is_sent_hostile_fields():
    assert {(r.name, m) for r, m in WRITES} == set(BODIES)


def _laced(body, extra: dict):
    """The body with the hostile fields it does not already have added to it and to
    every object nested in it (a shipping address, a product's variants)."""
    if isinstance(body, list):
        return [_laced(item, extra) for item in body]
    if not isinstance(body, dict):
        return body
    return {**extra, **{k: _laced(v, extra) for k, v in body.items()}}


def _send(world, route, method, body):
    role = BODIES[(route.name, method)][0]
    values = {**SAMPLE_PARAMS, **world["own"]}
    url = reverse(route.name, kwargs={p: values[p] for p in route.params})
    fmt = FORM if (route.name, method) in FORM_BODIES else JSON
    return getattr(client_for(world, role), method)(
        url,
        body,
        format=fmt,
        HTTP_IDEMPOTENCY_KEY="mass-assignment",
        HTTP_STRIPE_SIGNATURE="t=1,v1=00",
    )


def _run(world, route, method, body, high_water):
    with transaction.atomic():
        SETUP.get((route.name, method), lambda w: None)(world)
        response = _send(world, route, method, body)
        state = fingerprint(high_water)
        transaction.set_rollback(True)
    return response, state


@pytest.mark.django_db
@pytest.mark.parametrize("route, method", WRITES, ids=[f"{r.name}-{m}" for r, m in WRITES])
def test_hostile_fields_change_nothing(world, route, method):
    make_body = BODIES[(route.name, method)][1]
    high_water = _high_water()
    with transaction.atomic():
        SETUP.get((route.name, method), lambda w: None)(world)
        before = fingerprint(high_water)
        transaction.set_rollback(True)
    plain, plain_state = _run(world, route, method, make_body(world), high_water)
    assert plain.status_code < 500
    extra = {
        k: v
        for k, v in hostile(world).items()
        if k not in OWN_FIELDS.get((route.name, method), set())
    }
    body = make_body(world)
    if (route.name, method) in FORM_BODIES:
        extra = {k: str(v) for k, v in extra.items()}
    attacked, attacked_state = _run(world, route, method, _laced(body, extra), high_water)
    assert attacked.status_code < 500, attacked.content[:300]
    if attacked.status_code == 400 and plain.status_code != 400:
        assert attacked_state == before, _diff(attacked_state, before)
        return
    assert attacked.status_code == plain.status_code, (attacked.content[:300], plain.content[:300])
    assert attacked_state == plain_state, _diff(attacked_state, plain_state)


# --- someone else's objects named in a body ---------------------------------------------
def _other_certificate(world) -> int:
    return Product.objects.get(pk=world["other"]["product_id"]).certificate_id


FOREIGN_REFERENCES = [
    (
        "shops:shop-products",
        "post",
        lambda w: {**_product(w), "certificate_id": _other_certificate(w)},
    ),
    ("shops:shop-product-detail", "patch", lambda w: {"certificate_id": _other_certificate(w)}),
    (
        "shops:shop-certificates",
        "post",
        lambda w: {**_certificate(w), "renews_id": _other_certificate(w)},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, method, make_body",
    FOREIGN_REFERENCES,
    ids=[f"{n}-{m}" for n, m, _ in FOREIGN_REFERENCES],
)
def test_another_shops_certificate_cannot_be_named(world, name, method, make_body):
    route = next(r for r in API_ROUTES if r.name == name)
    high_water = _high_water()
    before = fingerprint(high_water)
    response, after = _run(world, route, method, make_body(world), high_water)
    assert response.status_code in (400, 404), response.content[:300]
    assert after == before, _diff(after, before)
