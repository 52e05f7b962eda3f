from django.urls import path

from marketplace.regions.api import views

urlpatterns = [
    path("provinces/", views.ProvinceListView.as_view(), name="province-list"),
    path("provinces/<str:code>/wards/", views.WardListView.as_view(), name="ward-list"),
]
