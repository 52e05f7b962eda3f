from django.urls import path

from catalogue.api import views

app_name = "catalogue"

# Mounted at /api/v1/: products and stats are the catalogue's; /api/v1/shops/ belongs to
# the shops app, so the catalogue's shop pages live under /api/v1/catalogue/shops/.
urlpatterns = [
    path("products/", views.ProductListView.as_view(), name="product-list"),
    path("products/<int:product_id>/", views.ProductDetailView.as_view(), name="product-detail"),
    path("stats/ocop/", views.OcopStatsView.as_view(), name="ocop-stats"),
    path("catalogue/shops/", views.PublicShopListView.as_view(), name="shop-list"),
    path("catalogue/shops/<slug:slug>/", views.PublicShopDetailView.as_view(), name="shop-detail"),
]
