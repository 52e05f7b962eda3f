"""What a cart accepts, decided once for both ways a line is added: the reference path
(`orders.services.cart`, and DRF's input serializers) and the fast one
(`orders.services.cart_fast`, and the answers before DRF in `orders.api.direct`). The
cap on a line's quantity, the items and their refusals."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings

from marketplace.core.errors import DomainError, InvalidInput, NotFound
from marketplace.core.numbers import is_whole_number


def cart_quantity_maximum() -> int:
    """THE cap on one line's quantity (CART_MAX_QUANTITY): the input serializers, the
    answers before DRF, the statements that add to a line and the checks below all
    read it here."""
    return settings.CART_MAX_QUANTITY


def cart_quantity_valid(quantity: object) -> bool:
    """Whether `quantity` is a line's quantity: a whole number from 1 to the cap."""
    return is_whole_number(quantity) and 1 <= quantity <= cart_quantity_maximum()


def cart_quantity_check(quantity: int) -> None:
    """Raises InvalidInput `invalid_quantity` or `quantity_too_large` unless
    `cart_quantity_valid(quantity)`."""
    if not is_whole_number(quantity) or quantity < 1:
        raise InvalidInput(
            "Quantity is a whole number of at least 1.",
            code="invalid_quantity",
            fields={"quantity": ["A whole number of at least 1."]},
        )
    if quantity > cart_quantity_maximum():
        raise quantity_too_large()


def quantity_too_large() -> InvalidInput:
    maximum = cart_quantity_maximum()
    return InvalidInput(
        f"At most {maximum} of one item per order.",
        code="quantity_too_large",
        fields={"quantity": [f"At most {maximum}."]},
    )


@dataclass(frozen=True)
class CartItemToAdd:
    variant_id: int
    quantity: int
    service_date: datetime.date | None = None


def cart_lines_per_add_maximum() -> int:
    """THE cap on the items of one cart add (CART_MAX_LINES_PER_ADD), read here by the
    check below and by the answer before DRF."""
    return settings.CART_MAX_LINES_PER_ADD


def cart_add_size_check(*, items: object) -> None:
    """A cart add's `items` are counted before any of them is judged: validating a list
    of a million items one by one is a denial of service, not an input error. Raises
    InvalidInput `too_many_items` past CART_MAX_LINES_PER_ADD (anything not a list is
    the serializer's to refuse)."""
    if isinstance(items, list) and len(items) > cart_lines_per_add_maximum():
        raise too_many_items()


class BuyerInactive(DomainError):
    """The buyer's account was closed or deactivated (after its request was let in)."""

    status_code = 401
    code = "user_inactive"
    message = "User is inactive"


def at_position(error: DomainError, position: int) -> DomainError:
    return type(error)(
        error.message,
        code=error.code,
        fields={"items": {str(position): error.fields}} if error.fields else None,
        extra={**error.extra, "item": position},
    )


def too_many_items() -> InvalidInput:
    return InvalidInput(
        f"At most {cart_lines_per_add_maximum()} items in one request.",
        code="too_many_items",
        fields={"items": [f"At most {cart_lines_per_add_maximum()}."]},
    )


def not_on_sale() -> NotFound:
    return NotFound("No such product on sale.", code="variant_not_found")


def date_required() -> InvalidInput:
    return InvalidInput(
        "Pick the date of the visit.",
        code="service_date_required",
        fields={"service_date": ["Required for tourism services."]},
    )


def date_not_allowed() -> InvalidInput:
    return InvalidInput(
        "Only tourism services are booked for a date.",
        code="service_date_not_allowed",
        fields={"service_date": ["Not for goods."]},
    )
