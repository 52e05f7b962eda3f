"""Reviews: a buyer who received a product (shop order completed) rates it once."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from rest_framework import status as http

from marketplace.core.catalogue_version import bump_catalogue_version
from marketplace.core.errors import Conflict, DomainError, InvalidInput, NotFound
from marketplace.core.numbers import is_whole_number
from orders.models import ProductRating, Review, ShopOrder, ShopOrderStatus
from shops.models import Product


class ReviewNotAllowed(DomainError):
    status_code = http.HTTP_403_FORBIDDEN
    code = "review_not_allowed"
    message = "Only a buyer who received this product can review it."


def review_eligible_shop_order(*, buyer, product_id: int) -> ShopOrder | None:
    """The buyer's completed shop order containing the product, if any."""
    return (
        ShopOrder.objects.filter(
            order__buyer=buyer, status=ShopOrderStatus.COMPLETED, lines__product_id=product_id
        )
        .order_by("completed_at", "pk")
        .first()
    )


def review_create(*, buyer, product_id: int, rating: int, comment: str = "") -> Review:
    """Rate a product 1 to 5 with a comment, once; the product's rating and review count
    change in the same transaction.

    Raises NotFound `product_not_found`, InvalidInput `invalid_rating`,
    ReviewNotAllowed (403: no completed purchase), Conflict `already_reviewed`."""
    if not Product.objects.filter(pk=product_id).exists():
        raise NotFound("No such product.", code="product_not_found")
    if not is_whole_number(rating) or not 1 <= rating <= 5:
        raise InvalidInput(
            "Rate from 1 to 5.", code="invalid_rating", fields={"rating": ["1 to 5."]}
        )
    shop_order = review_eligible_shop_order(buyer=buyer, product_id=product_id)
    if shop_order is None:
        raise ReviewNotAllowed()
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
        # Listings show and sort by the rating: cached catalogue answers go stale.
        bump_catalogue_version()
    return review
