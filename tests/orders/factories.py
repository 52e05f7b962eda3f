"""Helpers for order tests: stocked variants in shops of chosen provinces, carts,
addresses, and orders placed through the real checkout service."""

from __future__ import annotations

import datetime
import itertools

from marketplace.regions.models import Province, Ward
from orders import services
from orders.models import Order, ShopShippingPolicy
from orders.payment_port import IntentCreated, PaymentProviderError, RefundCreated
from shops.services import session_capacity_set
from tests.shops.factories import (
    CON_CUONG,
    NGHE_AN,
    CertificateFactory,
    ProductFactory,
    ShopFactory,
    VariantFactory,
    ledger_sum,
    shop_owner,
)

# Where buyers live, by distance from a shop in Nghệ An (central).
SAME_PROVINCE = (NGHE_AN, CON_CUONG)  # Nghệ An
SAME_REGION = ("38", "14758")  # Thanh Hóa, also central
OTHER_REGION = ("79", "25747")  # Hồ Chí Minh, south

_keys = itertools.count(1)

__all__ = [
    "OTHER_REGION",
    "SAME_PROVINCE",
    "SAME_REGION",
    "FakePaymentPort",
    "ShopFactory",
    "address",
    "cart_add",
    "checkout",
    "ledger_sum",
    "service_variant",
    "shop_in",
    "shop_owner",
    "stocked_variant",
]


def address(where=SAME_REGION, **overrides) -> dict:
    province_code, ward_code = where
    return {
        "full_name": "Nguyễn Thị Lan",
        "phone": "0987654321",
        "province_code": province_code,
        "ward_code": ward_code,
        "line1": "Số 12, đường Lê Lợi",
        **overrides,
    }


def shop_in(province_code: str = NGHE_AN, *, free_shipping_threshold=None, **kwargs):
    province = Province.objects.get(code=province_code)
    ward = Ward.objects.filter(province=province).order_by("code").first()
    shop = ShopFactory(province=province, ward=ward, **kwargs)
    if free_shipping_threshold is not None:
        ShopShippingPolicy.objects.create(
            shop=shop, free_shipping_threshold=free_shipping_threshold
        )
    return shop


def stocked_variant(*, shop=None, stock=20, price=150_000, weight_grams=500, **kwargs):
    shop = shop or shop_in()
    product = ProductFactory(shop=shop, certificate=CertificateFactory(shop=shop))
    return VariantFactory(
        product=product, price=price, weight_grams=weight_grams, initial_stock=stock, **kwargs
    )


def service_variant(*, shop=None, price=250_000, capacity=10, date=None):
    """A community-tourism (group 6) visit with `capacity` seats on `date`."""
    shop = shop or shop_in()
    certificate = CertificateFactory(shop=shop, product_group="tourism", product_name="Homestay")
    product = ProductFactory(shop=shop, certificate=certificate, name="Trải nghiệm bản Xiềng")
    variant = VariantFactory(product=product, price=price, weight_grams=None, name="Vé người lớn")
    date = date or (datetime.date.today() + datetime.timedelta(days=10))
    session_capacity_set(variant=variant, date=date, capacity=capacity)
    return variant, date


def cart_add(buyer, variant, quantity=1, service_date=None):
    return services.cart_item_add(
        buyer=buyer, variant_id=variant.pk, quantity=quantity, service_date=service_date
    )


def checkout(buyer, *, method="cod", where=SAME_REGION, key=None) -> Order:
    result = services.checkout_place(
        buyer=buyer,
        idempotency_key=key or f"key-{next(_keys)}",
        shipping_address=services.ShippingAddress(**address(where)),
        payment_method=method,
    )
    return result.order


class FakePaymentPort:
    """A stand-in for the payments app, for orders' unit tests only: records what orders
    asked for. The real Stripe path is covered in test_stripe.py against local Stripe."""

    def __init__(self) -> None:
        self.created: list[dict] = []
        self.cancelled: list[str] = []
        self.refunds: list[dict] = []
        self.reconciled: list[int] = []
        # What the provider says of an intent when expiry asks.
        self.intent_status = "requires_payment_method"
        self.fail_create = False
        # Cash-on-delivery shop orders whose cash the carrier remitted.
        self.cash_remitted: set[int] = set()

    def intent_create(self, *, amount, idempotency_key, metadata):
        if self.fail_create:
            raise PaymentProviderError("stripe unreachable", retryable=True)
        self.created.append(
            {"amount": amount, "idempotency_key": idempotency_key, "metadata": metadata}
        )
        n = len(self.created)
        return IntentCreated(
            intent_id=f"pi_fake_{n}",
            client_secret=f"pi_fake_{n}_secret",
            status="requires_payment_method",
        )

    def intent_cancel(self, *, intent_id):
        self.cancelled.append(intent_id)

    def refund_create(self, *, intent_id, amount, idempotency_key, shop_order_id):
        self.refunds.append(
            {"intent_id": intent_id, "amount": amount, "idempotency_key": idempotency_key}
        )
        return RefundCreated(refund_id=f"re_fake_{len(self.refunds)}", status="succeeded")

    def payment_reconcile(self, *, order_id):
        self.reconciled.append(order_id)
        return self.intent_status

    def cash_collected(self, *, shop_order_id):
        return shop_order_id in self.cash_remitted
