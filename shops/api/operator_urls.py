from django.urls import path

from shops.api import views

app_name = "operator"

urlpatterns = [
    path("shops/", views.OperatorShopListView.as_view(), name="shops"),
    path("shops/<slug:slug>/review/", views.OperatorShopReviewView.as_view(), name="shop-review"),
    path(
        "shops/<slug:slug>/suspend/", views.OperatorShopSuspendView.as_view(), name="shop-suspend"
    ),
    path(
        "shops/<slug:slug>/reinstate/",
        views.OperatorShopReinstateView.as_view(),
        name="shop-reinstate",
    ),
    path(
        "shops/<slug:slug>/commission/",
        views.OperatorShopCommissionView.as_view(),
        name="shop-commission",
    ),
    path("certificates/", views.OperatorCertificateListView.as_view(), name="certificates"),
    path(
        "certificates/<int:certificate_id>/review/",
        views.OperatorCertificateReviewView.as_view(),
        name="certificate-review",
    ),
    path(
        "products/<int:product_id>/delist/",
        views.OperatorProductDelistView.as_view(),
        name="product-delist",
    ),
    path(
        "products/<int:product_id>/relist/",
        views.OperatorProductRelistView.as_view(),
        name="product-relist",
    ),
]
