from django.urls import path

from marketplace.ocop.api import views

urlpatterns = [
    path("product-groups/", views.ProductGroupListView.as_view(), name="ocop-product-groups"),
    path("star-levels/", views.StarLevelListView.as_view(), name="ocop-star-levels"),
]
