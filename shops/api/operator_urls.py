from django.urls import path

from shops.api import operator_views

app_name = "operator"

urlpatterns = [
    path("shops/", operator_views.OperatorShopListView.as_view(), name="shops"),
    path(
        "shops/<slug:slug>/review/",
        operator_views.OperatorShopReviewView.as_view(),
        name="shop-review",
    ),
    path(
        "shops/<slug:slug>/suspend/",
        operator_views.OperatorShopSuspendView.as_view(),
        name="shop-suspend",
    ),
    path(
        "shops/<slug:slug>/reinstate/",
        operator_views.OperatorShopReinstateView.as_view(),
        name="shop-reinstate",
    ),
    path(
        "shops/<slug:slug>/commission/",
        operator_views.OperatorShopCommissionView.as_view(),
        name="shop-commission",
    ),
    path(
        "certificates/", operator_views.OperatorCertificateListView.as_view(), name="certificates"
    ),
    path(
        "certificates/<int:certificate_id>/review/",
        operator_views.OperatorCertificateReviewView.as_view(),
        name="certificate-review",
    ),
    path(
        "products/<int:product_id>/delist/",
        operator_views.OperatorProductDelistView.as_view(),
        name="product-delist",
    ),
    path(
        "products/<int:product_id>/relist/",
        operator_views.OperatorProductRelistView.as_view(),
        name="product-relist",
    ),
]
