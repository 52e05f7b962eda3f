"""Producer endpoints for a shop's orders, under /api/v1/shops/<slug>/."""

from django.urls import path

from orders.api import views

app_name = "shop-orders"

urlpatterns = [
    path("orders/", views.ShopOrderListView.as_view(), name="list"),
    path("orders/<int:shop_order_id>/", views.ShopOrderDetailView.as_view(), name="detail"),
    path("orders/<int:shop_order_id>/accept/", views.ShopOrderAcceptView.as_view(), name="accept"),
    path("orders/<int:shop_order_id>/ship/", views.ShopOrderShipView.as_view(), name="ship"),
    path(
        "orders/<int:shop_order_id>/deliver/",
        views.ShopOrderDeliverView.as_view(),
        name="deliver",
    ),
    path("orders/<int:shop_order_id>/reject/", views.ShopOrderRejectView.as_view(), name="reject"),
    path("tickets/use/", views.TicketUseView.as_view(), name="ticket-use"),
    path("sales/", views.ShopSalesView.as_view(), name="sales"),
]
