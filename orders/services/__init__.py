"""Every write in the orders app, by subdomain. Other apps import from here:

from orders.services import order_payment_succeed, checkout_place
"""

from orders.services.cart import (
    cart_for,
    cart_item_add,
    cart_item_remove,
    cart_item_update,
    cart_items_add,
)
from orders.services.cart_fast import cart_goods_add
from orders.services.cart_rules import (
    BuyerInactive,
    CartItemToAdd,
    cart_add_size_check,
    cart_lines_per_add_maximum,
    cart_quantity_maximum,
    cart_quantity_valid,
)
from orders.services.checkins import ticket_use
from orders.services.checkout import CheckoutResult, ShippingAddress, checkout_place
from orders.services.checkout_notify import order_placed_notify
from orders.services.expiry import order_expire, orders_expire_due
from orders.services.fulfilment import (
    order_cancel,
    order_cancel_unpaid,
    shop_order_accept,
    shop_order_confirm_receipt,
    shop_order_deliver,
    shop_order_reject,
    shop_order_ship,
    shop_order_transition,
    shop_orders_auto_complete,
)
from orders.services.payment import (
    order_paid_after_expiry,
    order_payment_cancelled,
    order_payment_failed,
    order_payment_succeed,
    payment_intent_cancel_send,
    payment_intent_ensure,
)
from orders.services.refunds import (
    payment_refunded_outside,
    shop_order_refund_confirm,
    shop_order_refund_request,
    shop_order_refund_send,
)
from orders.services.reviews import ReviewNotAllowed, review_create
from orders.services.shipping import Rate, fee_for_weight, shipping_fee

__all__ = [
    "BuyerInactive",
    "CartItemToAdd",
    "CheckoutResult",
    "Rate",
    "ReviewNotAllowed",
    "ShippingAddress",
    "cart_add_size_check",
    "cart_for",
    "cart_goods_add",
    "cart_item_add",
    "cart_item_remove",
    "cart_item_update",
    "cart_items_add",
    "cart_lines_per_add_maximum",
    "cart_quantity_maximum",
    "cart_quantity_valid",
    "checkout_place",
    "fee_for_weight",
    "order_cancel",
    "order_cancel_unpaid",
    "order_expire",
    "order_paid_after_expiry",
    "order_payment_cancelled",
    "order_payment_failed",
    "order_payment_succeed",
    "order_placed_notify",
    "orders_expire_due",
    "payment_intent_cancel_send",
    "payment_intent_ensure",
    "payment_refunded_outside",
    "review_create",
    "shipping_fee",
    "shop_order_accept",
    "shop_order_confirm_receipt",
    "shop_order_deliver",
    "shop_order_refund_confirm",
    "shop_order_refund_request",
    "shop_order_refund_send",
    "shop_order_reject",
    "shop_order_ship",
    "shop_order_transition",
    "shop_orders_auto_complete",
    "ticket_use",
]
