"""The orders API's fast path: the busiest writes (a cart add of goods, a cash-on-delivery
checkout) answered before DRF's request handling (`marketplace.core.direct`), and what
a checkout answers, shared by both paths. Each view in `orders.api.views` offers its
POST here first and answers through DRF whatever this module leaves (returns None for);
a buyer must not be able to tell which path answered (tests/orders/test_api_fast.py
plays every scenario on both and compares the answers)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from rest_framework import status

from marketplace.accounts.authentication import bearer_user, bearer_user_id
from marketplace.core import direct
from marketplace.core.errors import DomainError
from marketplace.core.idempotency import idempotency_key_from
from marketplace.core.numbers import is_whole_number
from orders import selectors, services
from orders.api import serializers as s
from orders.api.throttles import checkout_allowed
from orders.models import OrderStatus, PaymentMethod


def goods_items(data) -> tuple[list[services.CartItemToAdd], bool] | None:
    """The items of a cart add when it is the plain case, goods given as
    `{"variant_id": n, "quantity": n}` or `{"items": [those]}`, no other key, values the
    input serializers accept as they are; and whether they came as a list. None for
    anything else, which DRF's serializers then judge."""
    if not isinstance(data, dict):
        return None
    listed = data.keys() == {"items"}
    if listed:
        items = data["items"]
        most = services.cart_lines_per_add_maximum()
        if not isinstance(items, list) or not 0 < len(items) <= most:
            return None
    else:
        items = [data]
    plain = []
    for item in items:
        if not isinstance(item, dict) or item.keys() != {"variant_id", "quantity"}:
            return None
        variant_id, quantity = item["variant_id"], item["quantity"]
        # What CartItemAddInput accepts, and nothing it would word differently.
        valid_id = is_whole_number(variant_id) and variant_id >= 1
        if not (valid_id and services.cart_quantity_valid(quantity)):
            return None
        plain.append(services.CartItemToAdd(variant_id=variant_id, quantity=quantity))
    return plain, listed


def cart_add_answer_directly(request: HttpRequest) -> HttpResponse | None:
    """The busiest write of the marketplace, answered before DRF's request handling
    (see marketplace.core.direct): goods as JSON from a bearer token, where one
    statement checks the token's user, adds and reads the cart back. None for anything
    else (an inactive user included), which DRF then answers."""
    data = direct.json_body(request)
    goods = None if data is direct.NOT_PLAIN else goods_items(data)
    buyer_id = None if goods is None else bearer_user_id(request)
    if buyer_id is None:
        return None
    items, listed = goods
    try:
        cart = services.cart_goods_add(buyer_id=buyer_id, items=items, listed=listed)
    except DomainError as exc:
        return direct.domain_error_response(exc)
    return None if cart is None else direct.json_response(cart, status.HTTP_201_CREATED)


def awaits_card_payment(order) -> bool:
    return (
        order.payment_method == PaymentMethod.STRIPE and order.status == OrderStatus.PENDING_PAYMENT
    )


def checkout_answer(buyer, result: services.CheckoutResult) -> tuple[dict, int]:
    """What a checkout answers once placed (or replayed) and, for a card order, its
    intent asked for."""
    order = result.order
    if result.created and not awaits_card_payment(order):
        # The order as the checkout wrote it, with everything the answer shows attached:
        # no read-back of what this request has just written.
        return s.OrderSerializer(order).data, status.HTTP_201_CREATED
    code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
    order = selectors.order_for_buyer(buyer=buyer, order_id=order.pk)
    return s.OrderSerializer(order).data, code


def checkout_answer_directly(request: HttpRequest) -> HttpResponse | None:
    """A cash-on-delivery checkout (most of them) answered before DRF's request
    handling (see marketplace.core.direct). The input goes through the same serializer;
    None for anything else, card payments included, which DRF then answers."""
    data = direct.json_body(request)
    if not isinstance(data, dict) or data.get("payment_method") != PaymentMethod.COD:
        return None
    serializer = s.CheckoutInput(data=data)
    buyer = bearer_user(request) if serializer.is_valid() else None
    # Over its rate, the account's checkout goes to DRF, whose throttle words the 429.
    if buyer is None or not checkout_allowed(buyer):
        return None
    try:
        result = services.checkout_place(
            buyer=buyer,
            idempotency_key=idempotency_key_from(request.headers),
            shipping_address=services.ShippingAddress(
                **serializer.validated_data["shipping_address"]
            ),
            payment_method=PaymentMethod.COD,
            expected_total=serializer.validated_data.get("expected_total"),
        )
    except DomainError as exc:
        return direct.domain_error_response(exc)
    return direct.json_response(*checkout_answer(buyer, result))
