"""Products, variants, images and the product status machine."""

from __future__ import annotations

import datetime
import io

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image

from marketplace.accounts.models import User
from marketplace.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from marketplace.ocop.reference import ProductGroup
from marketplace.regions.models import Province
from shops.models import (
    CertificateStatus,
    DelistReason,
    OcopCertificate,
    Product,
    ProductImage,
    ProductStatus,
    ProductVariant,
    Shop,
    ShopEventKind,
    StockReason,
)
from shops.services.common import event_record, local_today
from shops.services.effects import task_enqueue
from shops.services.shops import _require_reason
from shops.services.stock import MAX_STOCK, stock_adjust, stock_set
from shops.services.uploads import image_check

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
MAX_IMAGES = 10
MAX_PRICE = 10**12  # a trillion đồng: beyond any listing, within the 64-bit column
THUMBNAIL_SIZE = (400, 400)


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


def _variant_fields(*, data: dict, is_service: bool) -> dict:
    sku = str(data.get("sku") or "").strip()
    name = str(data.get("name") or "").strip()
    problems: dict[str, list[str]] = {}
    if not sku:
        problems["sku"] = ["Required."]
    if not name:
        problems["name"] = ["Required."]
    price = data.get("price")
    if not isinstance(price, int) or isinstance(price, bool) or not 0 < price <= MAX_PRICE:
        problems["price"] = ["A whole number of đồng above zero."]
    stock = data.get("stock", 0)
    if not isinstance(stock, int) or isinstance(stock, bool) or not 0 <= stock <= MAX_STOCK:
        problems["stock"] = [f"A whole number from 0 to {MAX_STOCK}."]
    weight = data.get("weight_grams")
    if is_service:
        if stock:
            problems["stock"] = ["A tourism service sells dated seats, not stock."]
        weight = None
    elif not isinstance(weight, int) or isinstance(weight, bool) or not 0 < weight <= MAX_STOCK:
        problems["weight_grams"] = ["The shipping weight in grams is required."]
    threshold = data.get("low_stock_threshold", 5)
    if (
        not isinstance(threshold, int)
        or isinstance(threshold, bool)
        or not (0 <= threshold <= MAX_STOCK)
    ):
        problems["low_stock_threshold"] = ["A whole number ≥ 0."]
    if problems:
        raise InvalidInput(
            next(iter(problems.values()))[0], code="invalid_variant", fields=problems
        )
    return {
        "sku": sku,
        "name": name,
        "price": price,
        "stock": stock,
        "weight_grams": weight,
        "low_stock_threshold": threshold,
    }


def _create_variant(*, product: Product, fields: dict, actor, reason: str) -> ProductVariant:
    stock = fields.pop("stock")
    try:
        with transaction.atomic():
            variant = ProductVariant.objects.create(
                product=product, shop_id=product.shop_id, stock=0, **fields
            )
    except IntegrityError as exc:
        raise Conflict(
            f"SKU {fields['sku']} is already used in this shop.",
            code="duplicate_sku",
            fields={"sku": ["Already used in this shop."]},
        ) from exc
    if stock:
        stock_adjust(variant=variant, delta=stock, reason=reason, actor=actor)
    return variant


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
    cleaned = [_variant_fields(data=v, is_service=is_service) for v in variants]
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
            _create_variant(product=product, fields=fields, actor=actor, reason=stock_reason)
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
        note=_require_reason(reason),
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


def variant_add(
    *, product: Product, actor: User, stock_reason: str = StockReason.INITIAL, **data
) -> ProductVariant:
    """Add a SKU to a product. Raises InvalidInput `invalid_variant`, Conflict `duplicate_sku`."""
    fields = _variant_fields(data=data, is_service=product.is_service)
    with transaction.atomic():
        return _create_variant(product=product, fields=fields, actor=actor, reason=stock_reason)


def variant_update(
    *,
    variant: ProductVariant,
    actor: User,
    price: int | None = None,
    stock: int | None = None,
    name: str | None = None,
    weight_grams: int | None = None,
    low_stock_threshold: int | None = None,
    reference: str = "",
) -> ProductVariant:
    """Owner or staff change a variant's price, counted stock (recorded as an
    `adjustment` movement of the difference), name, weight or threshold.

    Raises InvalidInput (`invalid_variant`, `invalid_stock`, `service_has_no_stock`)."""
    problems: dict[str, list[str]] = {}
    if price is not None and (
        not isinstance(price, int) or isinstance(price, bool) or not 0 < price <= MAX_PRICE
    ):
        problems["price"] = ["A whole number of đồng above zero."]
    if weight_grams is not None and (
        not isinstance(weight_grams, int) or not 0 < weight_grams <= MAX_STOCK
    ):
        problems["weight_grams"] = ["Grams above zero."]
    if low_stock_threshold is not None and (
        not isinstance(low_stock_threshold, int) or not 0 <= low_stock_threshold <= MAX_STOCK
    ):
        problems["low_stock_threshold"] = ["A whole number ≥ 0."]
    if problems:
        raise InvalidInput(
            next(iter(problems.values()))[0], code="invalid_variant", fields=problems
        )
    with transaction.atomic():
        variant = (
            ProductVariant.objects.select_for_update(of=("self",))
            .select_related("product__certificate")
            .get(pk=variant.pk)
        )
        changed = []
        for field, value in (
            ("price", price),
            ("name", name),
            ("weight_grams", weight_grams),
            ("low_stock_threshold", low_stock_threshold),
        ):
            if value is not None:
                setattr(variant, field, value)
                changed.append(field)
        if changed:
            variant.save(update_fields=[*changed, "updated_at"])
        if stock is not None:
            if variant.product.is_service and stock:
                raise InvalidInput(
                    "A tourism service sells dated seats; set capacity per date instead.",
                    code="service_has_no_stock",
                )
            stock_set(variant=variant, stock=stock, actor=actor, reference=reference)
        elif low_stock_threshold is not None:
            variant.refresh_from_db()
        variant.refresh_from_db()
        return variant


def product_image_add(*, product: Product, actor: User, image) -> ProductImage:
    """Attach a photo (JPEG/PNG checked by Pillow, ≤ 10 MB); the thumbnail is made by a
    task on the `stock` queue after commit.

    Raises FileTooLarge, InvalidFile, Conflict `too_many_images`."""
    checked = image_check(image)
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=product.pk).first()
        count = ProductImage.objects.filter(product=product).count()
        if count >= MAX_IMAGES:
            raise Conflict(f"At most {MAX_IMAGES} images per product.", code="too_many_images")
        photo = ProductImage.objects.create(
            product=product,
            image=checked.content,
            width=checked.width,
            height=checked.height,
            position=count,
        )
        task_enqueue(
            task="shops.tasks.make_thumbnails",
            kwargs={"image_id": photo.pk},
            dedupe_key=f"thumbnail:{photo.pk}",
        )
        return photo


def product_image_make_thumbnail(*, image_id: int) -> ProductImage | None:
    """Render the 400x400 JPEG thumbnail. Idempotent: a photo with one is left alone;
    a photo deleted meanwhile is skipped."""
    photo = ProductImage.objects.filter(pk=image_id).first()
    if photo is None or photo.thumbnail:
        return photo
    with photo.image.open("rb") as source, Image.open(source) as img:
        img = img.convert("RGB")
        img.thumbnail(THUMBNAIL_SIZE)
        buffer = io.BytesIO()
        img.save(buffer, format="JPEG", quality=85)
    with transaction.atomic():
        locked = ProductImage.objects.select_for_update().get(pk=image_id)
        if locked.thumbnail:
            return locked
        locked.thumbnail.save(f"thumb-{image_id}.jpg", ContentFile(buffer.getvalue()), save=True)
        return locked


def product_image_delete(*, product: Product, image_id: int) -> None:
    """Raises NotFound `image_not_found`."""
    deleted, _ = ProductImage.objects.filter(product=product, pk=image_id).delete()
    if not deleted:
        raise NotFound(code="image_not_found")
