"""Builds the demo data through the same services as the API: accounts, shops verified
by the operator, certificates submitted and approved, products listed with variants,
stock and a picture, then put on sale. Everything is looked up before it is made
(shops by slug, certificates by number, products by name), so running it again
changes nothing."""

from __future__ import annotations

import datetime
import functools
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from marketplace.accounts.models import User
from marketplace.core import clock
from marketplace.demo import accounts, catalogue, catalogue_an_giang, catalogue_nghe_an
from marketplace.demo.records import DemoCertificate, DemoProduct, DemoShop
from shops import services
from shops.models import OcopCertificate, Product, Shop, ShopStatus
from worker.models import NotificationKind

# The generated catalogue's producers read these in the app: without this, `make run`
# would print some three hundred approval e-mails.
IN_APP_ONLY = (NotificationKind.SHOP_APPROVED, NotificationKind.CERTIFICATE_APPROVED)


@functools.cache
def demo_catalogue() -> catalogue.Catalogue:
    return catalogue.build([catalogue_nghe_an.PLAN, catalogue_an_giang.PLAN])


def seed() -> list[Shop]:
    """Every demo account, shop, certificate and product, in one transaction."""
    built = demo_catalogue()
    with transaction.atomic():
        users = {account.email: accounts.ensure_account(account) for account in accounts.ALL}
        operator = users[accounts.OPERATOR.email]
        shops = []
        for demo in built.shops:
            if demo.producer_key in accounts.PRODUCERS:
                owner = users[accounts.PRODUCERS[demo.producer_key].email]
            else:
                owner = accounts.ensure_account(
                    built.owners[demo.producer_key], email_off=IN_APP_ONLY
                )
            shops.append(ensure_shop(demo, owner=owner, operator=operator))
        return shops


def _picture(colour: tuple[int, int, int], label: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (800, 600), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((250, 150, 550, 450), outline=(255, 255, 255), width=12)
    draw.text((40, 540), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("demo.png", buffer.getvalue(), content_type="image/png")


@functools.cache
def _small_png(colour: tuple[int, int, int]) -> bytes:
    """One 120x90 picture per colour, drawn once per process."""
    image = Image.new("RGB", (120, 90), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((38, 23, 82, 67), outline=(255, 255, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _product_picture(demo: DemoProduct) -> SimpleUploadedFile:
    if demo.labelled_picture:
        return _picture(demo.colour, demo.name)
    return SimpleUploadedFile("demo.png", _small_png(demo.colour), content_type="image/png")


def ensure_shop(demo: DemoShop, *, owner: User, operator: User) -> Shop:
    slug = services.vi_slugify(demo.name)
    shop = Shop.objects.filter(slug=slug).first()
    if shop is None:
        shop = services.shop_create(
            owner=owner,
            name=demo.name,
            legal_name=demo.legal_name,
            legal_type=demo.legal_type,
            tax_code=demo.tax_code,
            province_code=demo.province_code,
            ward_code=demo.ward_code,
            address=demo.address,
            phone=demo.phone,
            description=demo.description,
            return_policy=demo.return_policy,
        )
    if shop.status == ShopStatus.PENDING:
        shop = services.shop_review(shop=shop, operator=operator, decision="approve")
    existing = set(Product.objects.filter(shop=shop).values_list("name", flat=True))
    certificates = {c.number: c for c in OcopCertificate.objects.filter(shop=shop)}
    for demo_certificate in demo.certificates:
        if all(p.name in existing for p in demo_certificate.products):
            continue
        _ensure_certificate(
            shop,
            demo_certificate,
            certificates.get(demo_certificate.number),
            owner=owner,
            operator=operator,
        )
    return shop


def _ensure_certificate(
    shop: Shop,
    demo: DemoCertificate,
    certificate: OcopCertificate | None,
    *,
    owner: User,
    operator: User,
):
    if certificate is None:
        certificate = services.certificate_submit(
            shop=shop,
            actor=owner,
            number=demo.number,
            issuer_name=demo.issuer_name,
            product_name=demo.product_name,
            stars=demo.stars,
            score=demo.score,
            product_group=demo.product_group,
            issued_by_level=demo.issued_by_level,
            issued_on=demo.issued_on,
        )
    if certificate.status == "pending":
        certificate = services.certificate_review(
            certificate=certificate, operator=operator, decision="approve"
        )
    for demo_product in demo.products:
        if Product.objects.filter(shop=shop, name=demo_product.name).exists():
            continue
        product = services.product_create(
            shop=shop,
            actor=owner,
            name=demo_product.name,
            description=demo_product.description,
            certificate_id=certificate.pk,
            shelf_life_days=demo_product.shelf_life_days,
            variants=[dict(v) for v in demo_product.variants],
        )
        services.product_image_add(
            product=product, actor=owner, image=_product_picture(demo_product)
        )
        if demo_product.sessions:
            today = clock.local_today()
            for variant in product.variants.all():
                for offset in range(1, demo_product.sessions + 1):
                    services.session_capacity_set(
                        variant=variant,
                        date=today + datetime.timedelta(days=offset),
                        capacity=20,
                    )
        services.product_update(product=product, actor=owner, status="active")
