"""The operators' back office. Actions call the same services as the API, so the rules
(transitions, reasons, notifications) hold whichever way an operator works. The change
forms write rows directly (statuses are read-only there): their save and delete paths
call the visibility refresh and tell the catalogue, as the services do."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from marketplace.core.admin import ReadOnlyAdmin
from marketplace.core.catalogue_version import catalogue_changed
from shops import selectors, services
from shops.admin_base import CatalogueRowAdmin, action_apply, action_with_reason
from shops.models import (
    ImportJob,
    OcopCertificate,
    Product,
    ProductImage,
    ProductVariant,
    ServiceSession,
    Shop,
    ShopEvent,
    ShopInvitation,
    ShopMember,
    StockMovement,
)


class ShopMemberInline(admin.TabularInline):
    model = ShopMember
    extra = 0
    autocomplete_fields = ["user"]


class ShopEventInline(admin.TabularInline):
    model = ShopEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "from_status", "to_status", "reason", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Shop)
class ShopAdmin(CatalogueRowAdmin):
    list_display = [
        "name",
        "legal_type",
        "tax_code",
        "province",
        "status",
        "commission_bp",
        "created_at",
    ]
    list_filter = ["status", "legal_type", "province"]
    search_fields = ["name", "legal_name", "tax_code", "slug", "certificates__number"]
    list_select_related = ["province"]
    readonly_fields = ["status", "status_reason", "slug", "created_at", "updated_at"]
    autocomplete_fields = ["province", "ward"]
    inlines = [ShopMemberInline, ShopEventInline]
    actions = ["approve", "reject", "suspend", "reinstate"]

    def get_queryset(self, request):
        # Searching by certificate number joins certificates: one row per shop still.
        return super().get_queryset(request).distinct()

    def visibility_scope(self, obj) -> dict:
        return {"shop_id": obj.pk}

    @admin.action(description=_("Duyệt gian hàng đã chọn"))
    def approve(self, request, queryset):
        action_apply(
            self,
            request,
            queryset,
            lambda shop: services.shop_review(shop=shop, operator=request.user, decision="approve"),
            success=_("Đã duyệt {count} gian hàng."),
        )

    @admin.action(description=_("Từ chối gian hàng đã chọn"))
    def reject(self, request, queryset):
        return action_with_reason(
            self,
            request,
            queryset,
            title=_("Từ chối gian hàng"),
            action=lambda shop, reason: services.shop_review(
                shop=shop, operator=request.user, decision="reject", reason=reason
            ),
            success=_("Đã từ chối {count} gian hàng."),
        )

    @admin.action(description=_("Tạm ngừng gian hàng đã chọn"))
    def suspend(self, request, queryset):
        return action_with_reason(
            self,
            request,
            queryset,
            title=_("Tạm ngừng gian hàng"),
            action=lambda shop, reason: services.shop_suspend(
                shop=shop, operator=request.user, reason=reason
            ),
            success=_("Đã tạm ngừng {count} gian hàng."),
        )

    @admin.action(description=_("Mở lại gian hàng đã chọn"))
    def reinstate(self, request, queryset):
        action_apply(
            self,
            request,
            queryset,
            lambda shop: services.shop_reinstate(shop=shop, operator=request.user),
            success=_("Đã mở lại {count} gian hàng."),
        )


@admin.register(OcopCertificate)
class OcopCertificateAdmin(CatalogueRowAdmin):
    list_display = [
        "number",
        "product_name",
        "shop",
        "stars",
        "product_group",
        "issued_by_level",
        "issued_on",
        "expires_on",
        "status",
    ]
    list_filter = ["status", "stars", "product_group", "issued_by_level", "issuing_province"]
    search_fields = ["number", "product_name", "issuer_name", "shop__name", "shop__tax_code"]
    list_select_related = ["shop"]
    readonly_fields = [
        "status",
        "review_reason",
        "reviewed_by",
        "reviewed_at",
        "expiry_warned_on",
        "created_at",
    ]
    autocomplete_fields = ["shop", "issuing_province", "renews"]
    actions = ["approve", "reject"]

    def visibility_scope(self, obj) -> dict:
        # Its expiry date is its products' last public day.
        return {"certificate_id": obj.pk}

    @admin.action(description=_("Duyệt chứng nhận đã chọn"))
    def approve(self, request, queryset):
        action_apply(
            self,
            request,
            queryset,
            lambda c: services.certificate_review(
                certificate=c, operator=request.user, decision="approve"
            ),
            success=_("Đã duyệt {count} chứng nhận."),
        )

    @admin.action(description=_("Từ chối chứng nhận đã chọn"))
    def reject(self, request, queryset):
        return action_with_reason(
            self,
            request,
            queryset,
            title=_("Từ chối chứng nhận"),
            action=lambda c, reason: services.certificate_review(
                certificate=c, operator=request.user, decision="reject", reason=reason
            ),
            success=_("Đã từ chối {count} chứng nhận."),
        )


class VariantInline(admin.TabularInline):
    model = ProductVariant
    extra = 0
    fields = ["sku", "name", "price", "stock", "weight_grams", "low_stock_threshold"]
    # Stock only moves through the ledger (StockMovement); never typed in here.
    readonly_fields = ["stock"]


class ImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ["image", "thumbnail", "position"]
    readonly_fields = ["thumbnail"]


class VisibilityFilter(admin.SimpleListFilter):
    title = _("hiển thị công khai")
    parameter_name = "public"

    def lookups(self, request, model_admin):
        return [("yes", _("Có")), ("no", _("Không"))]

    def queryset(self, request, queryset):
        public = selectors.public_products().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=public)
        if self.value() == "no":
            return queryset.exclude(pk__in=public)
        return queryset


@admin.register(Product)
class ProductAdmin(CatalogueRowAdmin):
    list_display = [
        "name",
        "shop",
        "stars",
        "status",
        "is_public",
        "delisted_reason",
        "origin_province",
    ]
    list_filter = [
        VisibilityFilter,
        "status",
        "certificate__stars",
        "certificate__product_group",
        "shop__province",
    ]
    search_fields = ["name", "shop__name", "certificate__number", "variants__sku"]
    list_select_related = ["shop", "certificate", "origin_province"]
    readonly_fields = ["status", "delisted_reason", "delisted_note", "created_at", "updated_at"]
    autocomplete_fields = ["shop", "certificate", "origin_province"]
    inlines = [VariantInline, ImageInline]
    actions = ["delist", "relist"]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def visibility_scope(self, obj) -> dict:
        return {"product_ids": [obj.pk]}

    def save_related(self, request, form, formsets, change):
        # The variant inline adds, reprices and deletes variants: the listing columns
        # follow in the same (admin view) transaction, then visibility (its shop or
        # certificate may have changed) and the catalogue.
        super().save_related(request, form, formsets, change)
        services.product_refresh_listing(product_ids=[form.instance.pk])

    @admin.display(description=_("số sao"), ordering="certificate__stars")
    def stars(self, product) -> int:
        return product.certificate.stars

    @admin.display(description=_("công khai"), boolean=True)
    def is_public(self, product) -> bool:
        return selectors.product_is_public(product_id=product.pk)

    @admin.action(description=_("Gỡ sản phẩm đã chọn"))
    def delist(self, request, queryset):
        return action_with_reason(
            self,
            request,
            queryset,
            title=_("Gỡ sản phẩm"),
            action=lambda p, reason: services.product_operator_delist(
                product=p, operator=request.user, reason=reason
            ),
            success=_("Đã gỡ {count} sản phẩm."),
        )

    @admin.action(description=_("Đăng lại sản phẩm đã chọn"))
    def relist(self, request, queryset):
        action_apply(
            self,
            request,
            queryset,
            lambda p: services.product_relist(product=p, operator=request.user),
            success=_("Đã đăng lại {count} sản phẩm."),
        )


@admin.register(ProductVariant)
class ProductVariantAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "product", "shop", "price", "stock", "low_stock_threshold"]
    search_fields = ["sku", "name", "product__name"]
    list_select_related = ["product", "shop"]
    readonly_fields = ["stock", "is_low_stock", "shop", "product"]

    # Repricing or deleting a variant here changes its product's listing columns.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.product_refresh_listing(product_ids=[obj.product_id])
        catalogue_changed(shop_id=obj.shop_id, product_ids=[obj.product_id])

    def delete_model(self, request, obj):
        product_id = obj.product_id
        super().delete_model(request, obj)
        services.product_refresh_listing(product_ids=[product_id])
        catalogue_changed(shop_id=obj.shop_id, product_ids=[product_id])

    def delete_queryset(self, request, queryset):
        product_ids = set(queryset.values_list("product_id", flat=True))
        super().delete_queryset(request, queryset)
        services.product_refresh_listing(product_ids=product_ids)
        catalogue_changed(product_ids=product_ids)


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "variant", "delta", "stock_after", "reason", "reference", "actor"]
    list_filter = ["reason"]
    search_fields = ["variant__sku", "reference"]
    list_select_related = ["variant", "actor"]


@admin.register(ShopInvitation)
class ShopInvitationAdmin(ReadOnlyAdmin):
    """Who was invited to which team, and what became of it (the token is never shown:
    only its hash is stored)."""

    list_display = ["email", "shop", "role", "invited_by", "created_at", "expires_at"]
    list_filter = ["role"]
    search_fields = ["email", "shop__name", "shop__slug"]
    list_select_related = ["shop", "invited_by"]
    fields = [
        "shop",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "sent_at",
        "accepted_at",
        "revoked_at",
    ]


@admin.register(ServiceSession)
class ServiceSessionAdmin(admin.ModelAdmin):
    list_display = ["variant", "date", "capacity", "reserved"]
    list_filter = ["date"]
    readonly_fields = ["reserved"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "shop",
        "status",
        "total_rows",
        "rows_done",
        "rows_applied",
        "rows_failed",
        "created_at",
    ]
    list_filter = ["status"]
    readonly_fields = [
        "status",
        "total_rows",
        "rows_done",
        "rows_applied",
        "rows_failed",
        "errors",
        "finished_at",
    ]
