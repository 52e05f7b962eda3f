"""Buyer endpoints (cart, checkout, orders) and product reviews, under /api/v1/."""

from django.urls import path

from orders.api import views

app_name = "orders"

urlpatterns = [
    path("cart/", views.CartView.as_view(), name="cart"),
    path("cart/items/", views.CartItemsView.as_view(), name="cart-items"),
    path("cart/items/<int:item_id>/", views.CartItemDetailView.as_view(), name="cart-item"),
    path("checkout/", views.CheckoutView.as_view(), name="checkout"),
    path("orders/", views.OrderListView.as_view(), name="order-list"),
    path("orders/<int:order_id>/", views.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<int:order_id>/cancel/", views.OrderCancelView.as_view(), name="order-cancel"),
    path("orders/<int:order_id>/pay/", views.OrderPayView.as_view(), name="order-pay"),
    path(
        "orders/<int:order_id>/shop-orders/<int:shop_order_id>/confirm-receipt/",
        views.ConfirmReceiptView.as_view(),
        name="confirm-receipt",
    ),
    path(
        "products/<int:product_id>/reviews/",
        views.ProductReviewsView.as_view(),
        name="product-reviews",
    ),
]
