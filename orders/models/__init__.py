"""Carts, orders and what follows them: shop orders, snapshot lines, the event trail,
the payment row, shipping fees, tickets for group-6 services and reviews, one module per
concern; every name is exported here, so `from orders.models import Order` holds.

Models hold data and constraints; every write goes through `orders.services`.
Money is integer đồng everywhere.
"""

from orders.models.carts import Cart, CartItem
from orders.models.orders import (
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    RefundStatus,
    ShopOrder,
    ShopOrderStatus,
)
from orders.models.payment import Payment, PaymentStatus
from orders.models.reviews import ProductRating, Review
from orders.models.shipping import ShippingRate, ShopShippingPolicy
from orders.models.tickets import Ticket, TicketStatus

__all__ = [
    "Cart",
    "CartItem",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderStatus",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "ProductRating",
    "RefundStatus",
    "Review",
    "ShippingRate",
    "ShopOrder",
    "ShopOrderStatus",
    "ShopShippingPolicy",
    "Ticket",
    "TicketStatus",
]
