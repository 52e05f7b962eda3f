from django.urls import path

from shops.api import invitations, views

app_name = "shops"

urlpatterns = [
    path("", views.ShopListCreateView.as_view(), name="shop-list"),
    path(
        "invitations/accept/",
        invitations.InvitationAcceptView.as_view(),
        name="shop-invitation-accept",
    ),
    path("<slug:slug>/", views.ShopDetailView.as_view(), name="shop-detail"),
    path("<slug:slug>/members/", views.ShopMembersView.as_view(), name="shop-members"),
    path(
        "<slug:slug>/members/<int:member_id>/",
        views.ShopMemberDetailView.as_view(),
        name="shop-member-detail",
    ),
    path(
        "<slug:slug>/invitations/",
        invitations.ShopInvitationsView.as_view(),
        name="shop-invitations",
    ),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/",
        invitations.ShopInvitationDetailView.as_view(),
        name="shop-invitation-detail",
    ),
    path(
        "<slug:slug>/certificates/",
        views.CertificateListCreateView.as_view(),
        name="shop-certificates",
    ),
    path("<slug:slug>/products/", views.ProductListCreateView.as_view(), name="shop-products"),
    path(
        "<slug:slug>/products/<int:product_id>/",
        views.ProductDetailView.as_view(),
        name="shop-product-detail",
    ),
    path(
        "<slug:slug>/products/<int:product_id>/variants/",
        views.ProductVariantCreateView.as_view(),
        name="shop-product-variants",
    ),
    path(
        "<slug:slug>/products/<int:product_id>/images/",
        views.ProductImagesView.as_view(),
        name="shop-product-images",
    ),
    path(
        "<slug:slug>/products/<int:product_id>/images/<int:image_id>/",
        views.ProductImageDetailView.as_view(),
        name="shop-product-image-detail",
    ),
    path(
        "<slug:slug>/variants/<int:variant_id>/",
        views.VariantDetailView.as_view(),
        name="shop-variant-detail",
    ),
    path(
        "<slug:slug>/variants/<int:variant_id>/movements/",
        views.VariantMovementsView.as_view(),
        name="shop-variant-movements",
    ),
    path(
        "<slug:slug>/variants/<int:variant_id>/sessions/",
        views.VariantSessionsView.as_view(),
        name="shop-variant-sessions",
    ),
    path("<slug:slug>/imports/", views.ImportListCreateView.as_view(), name="shop-imports"),
    path(
        "<slug:slug>/imports/<int:job_id>/",
        views.ImportDetailView.as_view(),
        name="shop-import-detail",
    ),
]
