"""What a placed order tells people: the buyer at once, and each shop when it has
something to fulfil (at checkout for cash on delivery, once paid for a card)."""

from __future__ import annotations

from orders.models import Order, PaymentMethod, ShopOrder
from orders.services.common import buyer_notify, shop_members_notify


def order_placed_notify(*, order_id: int) -> None:
    """Tell the buyer the order is placed and, for cash on delivery, each shop that it
    has an order to fulfil (card orders tell shops once paid). Idempotent: every
    notification carries a dedupe key."""
    order = Order.objects.select_related("buyer").get(pk=order_id)
    shop_orders = list(ShopOrder.objects.filter(order=order).select_related("shop").order_by("pk"))
    buyer_notify(
        order=order,
        kind="order_placed",
        context={"total": order.total, "shop_count": len(shop_orders)},
        dedupe_key=f"order-placed:{order.pk}",
    )
    if order.payment_method == PaymentMethod.COD:
        for shop_order in shop_orders:
            shop_order_new_notify(shop_order=shop_order, buyer=order.buyer)


def shop_order_new_notify(*, shop_order: ShopOrder, buyer) -> None:
    """Tell the shop it has an order to fulfil (at checkout for COD, at payment for card)."""
    shop_members_notify(
        shop_order=shop_order,
        kind="shop_order_new",
        context={
            "buyer_name": buyer.full_name or buyer.email,
            "item_count": shop_order.lines.count(),
            "total": shop_order.total,
        },
        dedupe_key=f"shop-order-new:{shop_order.pk}",
    )
