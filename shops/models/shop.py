"""The shop, its OCOP certificates and its products: the three rows whose states decide
whether a product is public (`shops.services.visibility`), kept in one module."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.search import normalise_search_text
from marketplace.ocop.reference import IssuingLevel, ProductGroup, StarRating

DEFAULT_COMMISSION_BP = 500  # 5 %, in basis points; operators set it per shop.


def _save_fields(update_fields, sources: set[str], derived: tuple[str, ...]):
    """`update_fields` for a save that recomputed `derived` from `sources`."""
    if update_fields is None or not sources & set(update_fields):
        return update_fields
    return {*update_fields, *derived}


def product_search_columns(*, name: str, description: str) -> tuple[str, str]:
    """(search_name, search_text) of a product: its name, and its name and description,
    normalised."""
    search_name = normalise_search_text(name)
    return search_name, f"{search_name} {normalise_search_text(description)}".strip()


class LegalType(models.TextChoices):
    COMPANY = "company", _("Doanh nghiệp")
    COOPERATIVE = "cooperative", _("Hợp tác xã")
    HOUSEHOLD = "household", _("Hộ kinh doanh")
    INDIVIDUAL = "individual", _("Cá nhân")


class ShopStatus(models.TextChoices):
    PENDING = "pending", _("Chờ duyệt")
    ACTIVE = "active", _("Đang hoạt động")
    REJECTED = "rejected", _("Bị từ chối")
    SUSPENDED = "suspended", _("Tạm ngừng")


class Shop(models.Model):
    """A producer's storefront: the legal seller a buyer sees on every product."""

    name = models.CharField(_("tên gian hàng"), max_length=200)
    legal_name = models.CharField(_("tên pháp lý"), max_length=255)
    legal_type = models.CharField(_("loại hình"), max_length=16, choices=LegalType.choices)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, db_index=True)
    province = models.ForeignKey(
        "regions.Province", on_delete=models.PROTECT, related_name="shops", verbose_name=_("tỉnh")
    )
    ward = models.ForeignKey(
        "regions.Ward", on_delete=models.PROTECT, related_name="shops", verbose_name=_("xã/phường")
    )
    address = models.CharField(_("địa chỉ"), max_length=255)
    phone = models.CharField(_("điện thoại"), max_length=16)
    description = models.TextField(_("giới thiệu"), blank=True)
    return_policy = models.TextField(
        _("chính sách đổi trả"),
        blank=True,
        help_text=_("Shown with every product (Consumer Protection Law 19/2023, art. 37)."),
    )
    commission_bp = models.PositiveIntegerField(
        _("phí hoa hồng (phần vạn)"),
        default=DEFAULT_COMMISSION_BP,
        help_text=_("Basis points: 500 = 5 %. Copied onto each shop order when placed."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ShopStatus.choices, default=ShopStatus.PENDING
    )
    status_reason = models.TextField(_("lý do"), blank=True)
    # The name as buyers type it (`normalise_search_text`), for the catalogue's search:
    # recomputed by every save, so the shop services (create, rename) keep it exact.
    search_name = models.TextField(editable=False, default="")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ShopMember", related_name="shops"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("gian hàng")
        verbose_name_plural = _("gian hàng")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_bp__lte=10000), name="shops_shop_commission_le_100pct"
            ),
        ]
        indexes = [models.Index(fields=["status", "province"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        # A stored derived value of this row alone, not a rule: no other row is touched.
        self.search_name = normalise_search_text(self.name)
        update_fields = _save_fields(update_fields, {"name"}, ("search_name",))
        super().save(*args, update_fields=update_fields, **kwargs)


class CertificateStatus(models.TextChoices):
    PENDING = "pending", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REJECTED = "rejected", _("Bị từ chối")
    EXPIRED = "expired", _("Hết hiệu lực")


class OcopCertificate(models.Model):
    """An OCOP rating decision (e.g. "4894/QĐ-UBND, 12/11/2024, UBND tỉnh Nghệ An")."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="certificates")
    number = models.CharField(_("số quyết định"), max_length=64)
    issuer_name = models.CharField(_("cơ quan cấp"), max_length=200)
    # None for the national council; numbers are unique per issuing province.
    issuing_province = models.ForeignKey(
        "regions.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tỉnh cấp"),
    )
    product_name = models.CharField(_("tên sản phẩm"), max_length=200)
    stars = models.PositiveSmallIntegerField(_("số sao"), choices=StarRating.choices)
    score = models.PositiveSmallIntegerField(_("điểm"), null=True, blank=True)
    product_group = models.CharField(
        _("nhóm sản phẩm"), max_length=16, choices=ProductGroup.choices
    )
    issued_by_level = models.CharField(
        _("cấp công nhận"), max_length=16, choices=IssuingLevel.choices
    )
    issued_on = models.DateField(_("ngày quyết định"))
    expires_on = models.DateField(_("ngày hết hạn"))
    scan = models.FileField(_("bản scan"), upload_to="certificates/%Y/%m/", blank=True)
    renews = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("gia hạn cho"),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=CertificateStatus.choices,
        default=CertificateStatus.PENDING,
    )
    review_reason = models.TextField(_("lý do"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    expiry_warned_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(_("ngày gửi"), auto_now_add=True)

    class Meta:
        verbose_name = _("chứng nhận OCOP")
        verbose_name_plural = _("chứng nhận OCOP")
        ordering = ["-issued_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=3, stars__lte=5), name="shops_certificate_stars_3_to_5"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=F("issued_on")),
                name="shops_certificate_expires_after_issue",
            ),
            # A decision number is public (printed on the product): unique among the
            # approved certificates only, so that a pending copy submitted by someone
            # else never blocks its real holder; an operator approves one of them.
            models.UniqueConstraint(
                fields=["issuing_province", "number"],
                condition=Q(status="approved"),
                name="shops_certificate_number_unique_per_province",
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(issuing_province__isnull=True) & Q(status="approved"),
                name="shops_certificate_number_unique_national",
            ),
            # One shop does not submit the same decision twice while it is pending or
            # approved; a rejected one (say, a typo) does not block the corrected one.
            models.UniqueConstraint(
                fields=["shop", "issuing_province", "number"],
                condition=Q(status__in=["pending", "approved"]),
                name="shops_certificate_number_once_per_shop",
            ),
            models.UniqueConstraint(
                fields=["shop", "number"],
                condition=Q(issuing_province__isnull=True) & Q(status__in=["pending", "approved"]),
                name="shops_certificate_number_once_per_shop_national",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.number} — {self.product_name} ({self.stars}★)"


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    ACTIVE = "active", _("Đang bán")
    HIDDEN = "hidden", _("Đã ẩn")
    DELISTED = "delisted", _("Bị gỡ")


class DelistReason(models.TextChoices):
    CERTIFICATE_EXPIRED = "certificate_expired", _("Chứng nhận OCOP hết hạn")
    OPERATOR = "operator", _("Quản trị viên gỡ")


class Product(models.Model):
    """A listing. Its stars and group are its certificate's, never typed in twice."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="products")
    certificate = models.ForeignKey(
        OcopCertificate,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("chứng nhận OCOP"),
    )
    name = models.CharField(_("tên sản phẩm"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    origin_province = models.ForeignKey(
        "regions.Province",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("xuất xứ"),
    )
    shelf_life_days = models.PositiveIntegerField(_("hạn sử dụng (ngày)"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    delisted_reason = models.CharField(
        _("lý do gỡ"), max_length=32, choices=DelistReason.choices, blank=True
    )
    delisted_note = models.TextField(_("ghi chú gỡ"), blank=True)
    # What a listing shows and filters on, kept equal to the aggregates over the
    # variants by `services.product_refresh_listing()` in the transaction of every write
    # that creates a variant or moves its price or stock: the catalogue reads columns,
    # not one subquery per row. Null prices: no variant yet.
    price_min = models.PositiveBigIntegerField(_("giá thấp nhất (đồng)"), null=True, editable=False)
    price_max = models.PositiveBigIntegerField(_("giá cao nhất (đồng)"), null=True, editable=False)
    in_stock = models.BooleanField(_("còn hàng"), default=False, editable=False)
    # Name, and name plus description, as buyers type them (`normalise_search_text`):
    # the catalogue's search reads these instead of normalising every row per query.
    # Recomputed by every save, so the product services keep them exact.
    search_name = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    # THE visibility rule, stored: the product is public while today (in Vietnam) is
    # before this date, which is its certificate's expiry when the product is active,
    # its shop active and its certificate approved, and null otherwise. Kept exact by
    # `shops.services.products_visibility_refresh()`, which every service changing the
    # product's, its shop's or its certificate's state calls, so that the catalogue
    # reads one table (`shops.selectors`), and the calendar alone retires a product on
    # its certificate's expiry date.
    public_until = models.DateField(_("công khai đến"), null=True, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sản phẩm")
        verbose_name_plural = _("sản phẩm")
        ordering = ["-created_at", "-pk"]
        # The catalogue's own indexes over these columns: catalogue/migrations.
        indexes = [models.Index(fields=["status", "shop"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        # Stored derived values of this row alone, not a rule: no other row is touched.
        self.search_name, self.search_text = product_search_columns(
            name=self.name, description=self.description
        )
        update_fields = _save_fields(
            update_fields, {"name", "description"}, ("search_name", "search_text")
        )
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def stars(self) -> int:
        return self.certificate.stars

    @property
    def product_group(self) -> str:
        return self.certificate.product_group

    @property
    def is_service(self) -> bool:
        return self.certificate.product_group == ProductGroup.TOURISM
