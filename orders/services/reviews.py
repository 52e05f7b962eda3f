"""Reviews: a buyer who bought and received a product rates it once.

Bought means money changed hands where neither the buyer nor the shop can fake it: a
card payment Stripe confirmed, or cash the carrier collected and handed over to the
platform (payments records the remittance; orders asks through the payment port). A
cash-on-delivery order the shop marked delivered and the buyer confirmed proves nothing
alone: a producer's sock puppet does both in a minute. And nobody reviews the products
of a shop they are a member of."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from rest_framework import status as http

from marketplace.core.catalogue_version import catalogue_changed
from marketplace.core.errors import Conflict, DomainError, InvalidInput, NotFound
from marketplace.core.numbers import is_whole_number
from orders.models import PaymentMethod, ProductRating, Review, ShopOrder, ShopOrderStatus
from orders.payment_port import payment_port
from shops.models import Product, ShopMember


class ReviewNotAllowed(DomainError):
    status_code = http.HTTP_403_FORBIDDEN
    code = "review_not_allowed"
    message = "Only a buyer who bought and received this product can review it."


def _payment_proven(shop_order: ShopOrder) -> bool:
    order = shop_order.order
    if order.payment_method == PaymentMethod.STRIPE:
        return order.paid_at is not None
    return payment_port().cash_collected(shop_order_id=shop_order.pk)


def review_eligible_shop_order(*, buyer, product_id: int) -> ShopOrder:
    """The buyer's first completed shop order containing the product whose payment is
    proven (see the module's docstring).

    Raises ReviewNotAllowed: `review_not_allowed` (no completed purchase of it),
    `payment_not_confirmed` (completed, but the carrier has not yet remitted the cash)."""
    completed = list(
        ShopOrder.objects.filter(
            order__buyer=buyer, status=ShopOrderStatus.COMPLETED, lines__product_id=product_id
        )
        .select_related("order")
        .order_by("completed_at", "pk")
        .distinct()
    )
    for shop_order in completed:
        if _payment_proven(shop_order):
            return shop_order
    if completed:
        raise ReviewNotAllowed(
            "You can review this product once the carrier has confirmed your "
            "cash-on-delivery payment.",
            code="payment_not_confirmed",
        )
    raise ReviewNotAllowed()


def review_create(*, buyer, product_id: int, rating: int, comment: str = "") -> Review:
    """Rate a product 1 to 5 with a comment, once; the product's rating and review count
    change in the same transaction.

    Raises NotFound `product_not_found`, InvalidInput `invalid_rating`, ReviewNotAllowed
    (403: `own_shop_review` from a member of the product's shop, `review_not_allowed`
    without a completed purchase, `payment_not_confirmed` while a cash-on-delivery one
    awaits the carrier's remittance), Conflict `already_reviewed`."""
    shop_id = Product.objects.filter(pk=product_id).values_list("shop_id", flat=True).first()
    if shop_id is None:
        raise NotFound("No such product.", code="product_not_found")
    if not is_whole_number(rating) or not 1 <= rating <= 5:
        raise InvalidInput(
            "Rate from 1 to 5.", code="invalid_rating", fields={"rating": ["1 to 5."]}
        )
    if ShopMember.objects.filter(shop_id=shop_id, user=buyer).exists():
        raise ReviewNotAllowed(
            "Members of a shop cannot review its products.", code="own_shop_review"
        )
    shop_order = review_eligible_shop_order(buyer=buyer, product_id=product_id)
    with transaction.atomic():
        ProductRating.objects.get_or_create(product_id=product_id)
        summary = ProductRating.objects.select_for_update().get(product_id=product_id)
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    product_id=product_id,
                    buyer=buyer,
                    shop_order=shop_order,
                    rating=rating,
                    comment=(comment or "").strip(),
                )
        except IntegrityError:
            raise Conflict(
                "You have already reviewed this product.", code="already_reviewed"
            ) from None
        summary.review_count += 1
        summary.rating_total += rating
        summary.rating = (Decimal(summary.rating_total) / summary.review_count).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        summary.save(update_fields=["review_count", "rating_total", "rating"])
        # Listings show and sort by the rating: its page at once, listings within the grace.
        catalogue_changed(shop_id=shop_order.shop_id, product_ids=[product_id], content_only=True)
    return review
