"""Buyers' reviews of what they bought, and each product's rating kept beside them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.models.orders import ShopOrder


class Review(models.Model):
    product = models.ForeignKey("shops.Product", on_delete=models.CASCADE, related_name="reviews")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    shop_order = models.ForeignKey(ShopOrder, on_delete=models.PROTECT, related_name="reviews")
    rating = models.PositiveSmallIntegerField(_("điểm"))
    comment = models.TextField(_("nhận xét"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "product"], name="orders_review_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="orders_review_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.product_id}"


class ProductRating(models.Model):
    """A product's rating and review count, kept in the review's transaction. Here and
    not on shops.Product because reviews are an orders concern and shops sits below."""

    product = models.OneToOneField(
        "shops.Product", on_delete=models.CASCADE, primary_key=True, related_name="rating_summary"
    )
    review_count = models.PositiveIntegerField(default=0)
    rating_total = models.PositiveIntegerField(default=0)
    # rating_total / review_count rounded to two places, stored so lists can sort by it.
    rating = models.DecimalField(max_digits=3, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("điểm đánh giá sản phẩm")
        verbose_name_plural = _("điểm đánh giá sản phẩm")

    def __str__(self) -> str:
        return f"{self.rating} ({self.review_count})"
