"""Shop orders brought to a chosen state through the real services."""

from __future__ import annotations

from orders import services
from orders.models import Order, ShopOrder
from payments.services import cod
from tests.orders.factories import cart_add, checkout, shop_in, shop_owner, stocked_variant


def paid(order: Order) -> Order:
    services.payment_intent_ensure(order=order)
    order.refresh_from_db()
    return services.order_payment_succeed(
        order_id=order.pk, intent_id=order.payment.intent_id, amount=order.total
    )


def cash_remitted(shop_order: ShopOrder, *, amount: int | None = None) -> None:
    """A delivered cash-on-delivery shop order's cash collected by the carrier and handed
    over (all of it, or `amount`), as an operator records it in the back office."""
    cod.cod_collected(shop_order_id=shop_order.pk)
    cod.cod_remittance_record(
        shop_order_id=shop_order.pk,
        amount=shop_order.total if amount is None else amount,
        reference="GHN-DS-0001",
        actor=None,
    )


def shop_order_in(status: str, *, buyer, shop=None, quantity=2, method=None) -> ShopOrder:
    """One shop order of `quantity` jars from a fresh variant (stock 10) in `status`.
    `pending_payment` uses a card order (needs the fake_port fixture); the rest COD
    unless `method` says otherwise."""
    shop = shop or shop_in()
    variant = stocked_variant(shop=shop, stock=10)
    cart_add(buyer, variant, quantity)
    method = method or ("stripe" if status == "pending_payment" else "cod")
    order = checkout(buyer, method=method)
    if method == "stripe" and status != "pending_payment":
        paid(order)
    shop_order = ShopOrder.objects.get(order=order)
    producer = shop_owner(shop)
    steps = {
        "accepted": ["accept"],
        "shipped": ["accept", "ship"],
        "delivered": ["accept", "ship", "deliver"],
        "completed": ["accept", "ship", "deliver", "confirm"],
        "cancelled": ["reject"],
    }.get(status, [])
    for step in steps:
        if step == "accept":
            services.shop_order_accept(shop=shop, shop_order_id=shop_order.pk, actor=producer)
        elif step == "ship":
            services.shop_order_ship(
                shop=shop,
                shop_order_id=shop_order.pk,
                actor=producer,
                carrier="GHN",
                tracking_number="GHN123456",
            )
        elif step == "deliver":
            services.shop_order_deliver(shop=shop, shop_order_id=shop_order.pk, actor=producer)
        elif step == "confirm":
            services.shop_order_confirm_receipt(
                buyer=buyer, order_id=order.pk, shop_order_id=shop_order.pk
            )
        elif step == "reject":
            services.shop_order_reject(
                shop=shop, shop_order_id=shop_order.pk, actor=producer, reason="Hết hàng"
            )
    shop_order.refresh_from_db()
    assert shop_order.status == status
    return shop_order
