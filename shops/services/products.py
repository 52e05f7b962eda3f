"""Products and the product status machine."""

from __future__ import annotations

import datetime

from django.db import transaction

from marketplace.accounts.models import User
from marketplace.core.catalogue_version import catalogue_changed
from marketplace.core.clock import local_today
from marketplace.core.errors import Conflict, InvalidInput, InvalidTransition
from marketplace.ocop.reference import ProductGroup
from marketplace.regions.models import Province
from shops.models import (
    CertificateStatus,
    DelistReason,
    OcopCertificate,
    Product,
    ProductStatus,
    Shop,
    ShopEventKind,
    StockReason,
)
from shops.services.common import event_record
from shops.services.shops import reason_required
from shops.services.variants import variant_create_checked, variant_fields_clean
from shops.services.visibility import products_visibility_refresh

# What the shop's own people may do; delisting and relisting belong to the system and
# operators.
OWNER_TRANSITIONS: dict[str, set[str]] = {
    ProductStatus.DRAFT: {ProductStatus.ACTIVE, ProductStatus.HIDDEN},
    ProductStatus.ACTIVE: {ProductStatus.HIDDEN},
    ProductStatus.HIDDEN: {ProductStatus.ACTIVE},
    ProductStatus.DELISTED: set(),
}
DELISTABLE = {ProductStatus.DRAFT, ProductStatus.ACTIVE, ProductStatus.HIDDEN}
# Foods, drinks and herbs must state their shelf life (Consumer Protection Law 19/2023).
SHELF_LIFE_GROUPS = {ProductGroup.FOOD, ProductGroup.BEVERAGE, ProductGroup.HERBAL}


def _valid_certificate(
    *, shop: Shop, certificate_id, today: datetime.date, field: str = "certificate_id"
) -> OcopCertificate:
    certificate = OcopCertificate.objects.filter(pk=certificate_id, shop=shop).first()
    if certificate is None:
        raise InvalidInput(
            "Not a certificate of this shop.",
            code="certificate_not_found",
            fields={field: ["Not a certificate of this shop."]},
        )
    if certificate.status != CertificateStatus.APPROVED or certificate.expires_on <= today:
        raise InvalidInput(
            "A product needs an approved, unexpired OCOP certificate.",
            code="certificate_not_approved",
            fields={field: ["The certificate is not approved or has expired."]},
        )
    return certificate


def _shelf_life_problem(*, group: str, shelf_life_days) -> str | None:
    if shelf_life_days is not None and (
        not isinstance(shelf_life_days, int) or not 0 < shelf_life_days <= 36500
    ):
        return "A whole number of days above zero."
    if group in SHELF_LIFE_GROUPS and shelf_life_days is None:
        return "Foods, drinks and herbal products must state their shelf life."
    return None


def product_create(
    *,
    shop: Shop,
    actor: User,
    name: str,
    certificate_id: int,
    variants: list[dict],
    description: str = "",
    origin_province_code: str | None = None,
    shelf_life_days: int | None = None,
    today: datetime.date | None = None,
    stock_reason: str = StockReason.INITIAL,
) -> Product:
    """List a product under one of the shop's approved certificates; it starts `draft`.

    Raises InvalidInput (`certificate_not_found`, `certificate_not_approved`,
    `invalid_variant`, `invalid_shelf_life`, `invalid_province`, `variants_required`),
    Conflict `duplicate_sku`."""
    today = today or local_today()
    certificate = _valid_certificate(shop=shop, certificate_id=certificate_id, today=today)
    province = Province.objects.filter(code=origin_province_code or shop.province_id).first()
    if province is None:
        raise InvalidInput(
            code="invalid_province", fields={"origin_province_code": ["Unknown province."]}
        )
    problem = _shelf_life_problem(group=certificate.product_group, shelf_life_days=shelf_life_days)
    if problem:
        raise InvalidInput(
            problem, code="invalid_shelf_life", fields={"shelf_life_days": [problem]}
        )
    if not variants:
        raise InvalidInput(
            "A product has at least one variant.",
            code="variants_required",
            fields={"variants": ["At least one."]},
        )
    is_service = certificate.product_group == ProductGroup.TOURISM
    cleaned = [variant_fields_clean(data=v, is_service=is_service) for v in variants]
    skus = [v["sku"] for v in cleaned]
    if len(set(skus)) != len(skus):
        raise Conflict("Two variants share a SKU.", code="duplicate_sku")
    with transaction.atomic():
        product = Product.objects.create(
            shop=shop,
            certificate=certificate,
            name=name.strip(),
            description=description,
            origin_province=province,
            shelf_life_days=shelf_life_days,
        )
        for fields in cleaned:
            variant_create_checked(product=product, fields=fields, actor=actor, reason=stock_reason)
        event_record(
            shop=shop,
            kind=ShopEventKind.PRODUCT,
            product=product,
            to_status=product.status,
            actor=actor,
        )
        return product


def _set_status(
    *, product: Product, to: str, actor, reason: str = "", note: str = "", delisted_reason=""
) -> Product:
    from_status = product.status
    product.status = to
    product.delisted_reason = delisted_reason
    product.delisted_note = note
    product.save(update_fields=["status", "delisted_reason", "delisted_note", "updated_at"])
    products_visibility_refresh(product_ids=[product.pk])
    event_record(
        shop=product.shop,
        kind=ShopEventKind.PRODUCT,
        product=product,
        from_status=from_status,
        to_status=to,
        reason=reason or delisted_reason,
        actor=actor,
    )
    return product


def _ready_for_sale(product: Product, today: datetime.date) -> None:
    certificate = product.certificate
    if certificate.status != CertificateStatus.APPROVED or certificate.expires_on <= today:
        raise Conflict(
            "The product's OCOP certificate is not approved or has expired; link a valid one.",
            code="certificate_not_valid",
        )
    if not product.variants.exists():
        raise Conflict("Add a variant before selling.", code="product_has_no_variants")


def product_update(
    *,
    product: Product,
    actor: User,
    today: datetime.date | None = None,
    **changes,
) -> Product:
    """Owner or staff edit a product: text, origin, shelf life, certificate, status
    (draft → active/hidden, active ⇄ hidden). Linking an approved certificate to a
    product delisted for an expired one puts it back on sale.

    Raises InvalidInput (certificate and field problems), InvalidTransition (409),
    Conflict `certificate_not_valid`, `product_has_no_variants`."""
    today = today or local_today()
    with transaction.atomic():
        product = (
            Product.objects.select_for_update(of=("self",))
            .select_related("certificate", "shop")
            .get(pk=product.pk)
        )
        changed: list[str] = []
        if "certificate_id" in changes:
            certificate = _valid_certificate(
                shop=product.shop, certificate_id=changes.pop("certificate_id"), today=today
            )
            if certificate.product_group != product.certificate.product_group and (
                ProductGroup.TOURISM
                in (certificate.product_group, product.certificate.product_group)
            ):
                raise InvalidInput(
                    "A tourism service and a shipped product cannot swap certificates.",
                    code="certificate_group_mismatch",
                )
            if certificate.pk != product.certificate_id:
                product_relink(product=product, certificate=certificate, actor=actor, today=today)
                product.refresh_from_db()
        if "origin_province_code" in changes:
            province = Province.objects.filter(code=changes.pop("origin_province_code")).first()
            if province is None:
                raise InvalidInput(
                    code="invalid_province",
                    fields={"origin_province_code": ["Unknown province."]},
                )
            product.origin_province = province
            changed.append("origin_province")
        if "shelf_life_days" in changes:
            value = changes.pop("shelf_life_days")
            problem = _shelf_life_problem(
                group=product.certificate.product_group, shelf_life_days=value
            )
            if problem:
                raise InvalidInput(
                    problem, code="invalid_shelf_life", fields={"shelf_life_days": [problem]}
                )
            product.shelf_life_days = value
            changed.append("shelf_life_days")
        for field in ("name", "description"):
            if field in changes:
                setattr(product, field, changes.pop(field))
                changed.append(field)
        new_status = changes.pop("status", None)
        if changes:
            raise InvalidInput(
                f"Cannot change {', '.join(changes)} here.", code="field_not_editable"
            )
        if changed:
            product.save(update_fields=[*changed, "updated_at"])
            # A name, description or shelf life: never whether the product is public.
            catalogue_changed(shop_id=product.shop_id, product_ids=[product.pk], content_only=True)
        if new_status is not None and new_status != product.status:
            if new_status not in OWNER_TRANSITIONS.get(product.status, set()):
                raise InvalidTransition(
                    f"A {product.status} product cannot be made {new_status} by the shop.",
                    extra={"status": product.status},
                )
            if new_status == ProductStatus.ACTIVE:
                _ready_for_sale(product, today)
            _set_status(product=product, to=new_status, actor=actor)
        return product


def product_delete(*, product: Product, actor: User) -> None:
    """Only a draft, never sold, can be deleted; anything else is hidden instead.

    Raises Conflict `product_not_draft`."""
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        if product.status != ProductStatus.DRAFT:
            raise Conflict(
                "Only a draft can be deleted; hide the product instead.",
                code="product_not_draft",
            )
        product.delete()


def product_delist(*, product: Product, reason: str, actor: User | None, note: str = "") -> Product:
    """The system (expiry) or an operator takes a product down, with a reason.

    Raises InvalidTransition (409) when it is already delisted."""
    with transaction.atomic():
        product = Product.objects.select_for_update().select_related("shop").get(pk=product.pk)
        if product.status not in DELISTABLE:
            raise InvalidTransition(
                f"A {product.status} product cannot be delisted.",
                extra={"status": product.status},
            )
        return _set_status(
            product=product,
            to=ProductStatus.DELISTED,
            actor=actor,
            note=note,
            delisted_reason=reason,
        )


def product_operator_delist(*, product: Product, operator: User, reason: str) -> Product:
    """An operator removes a listing (e.g. an infringement notice, Decree 85/2021).

    Raises InvalidInput `reason_required`, InvalidTransition (409)."""
    return product_delist(
        product=product,
        reason=DelistReason.OPERATOR,
        actor=operator,
        note=reason_required(reason),
    )


def product_relist(
    *, product: Product, operator: User, today: datetime.date | None = None
) -> Product:
    """An operator puts a product they delisted back on sale.

    Raises InvalidTransition (409; also for one delisted by certificate expiry, which
    comes back by linking a renewed certificate), Conflict `certificate_not_valid`."""
    today = today or local_today()
    with transaction.atomic():
        product = (
            Product.objects.select_for_update(of=("self",))
            .select_related("certificate", "shop")
            .get(pk=product.pk)
        )
        if (
            product.status != ProductStatus.DELISTED
            or product.delisted_reason != DelistReason.OPERATOR
        ):
            raise InvalidTransition(
                "Only a product an operator delisted can be relisted here.",
                extra={"status": product.status},
            )
        _ready_for_sale(product, today)
        return _set_status(product=product, to=ProductStatus.ACTIVE, actor=operator)


def product_relink(
    *,
    product: Product,
    certificate: OcopCertificate,
    actor: User | None,
    today: datetime.date | None = None,
) -> Product:
    """Move a product onto a (renewed) approved certificate of its shop; a product
    delisted because its certificate expired goes back on sale.

    Raises Conflict `certificate_not_valid`."""
    today = today or local_today()
    with transaction.atomic():
        product = Product.objects.select_for_update().select_related("shop").get(pk=product.pk)
        if (
            certificate.shop_id != product.shop_id
            or certificate.status != CertificateStatus.APPROVED
            or certificate.expires_on <= today
        ):
            raise Conflict(
                "The certificate is not valid for this product.", code="certificate_not_valid"
            )
        product.certificate = certificate
        product.save(update_fields=["certificate", "updated_at"])
        products_visibility_refresh(product_ids=[product.pk])
        if (
            product.status == ProductStatus.DELISTED
            and product.delisted_reason == DelistReason.CERTIFICATE_EXPIRED
        ):
            _set_status(
                product=product,
                to=ProductStatus.ACTIVE,
                actor=actor,
                reason="certificate_renewed",
            )
        return product
