"""OCOP certificates: submission with every legal check, review, expiry and renewal."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.clock import local_today
from marketplace.core.errors import Conflict, InvalidInput, InvalidTransition
from marketplace.ocop.reference import (
    CERTIFICATE_VALIDITY_MONTHS,
    STAR_SCORE_RANGES,
    IssuingLevel,
    ProductGroup,
    issuing_level_problem,
)
from marketplace.regions.models import Province
from shops.models import (
    CertificateStatus,
    DelistReason,
    OcopCertificate,
    Product,
    ProductStatus,
    Shop,
    ShopEventKind,
)
from shops.services.common import event_record
from shops.services.effects import shop_notify
from shops.services.products import product_delist, product_relink
from shops.services.shops import reason_required
from shops.services.uploads import scan_check
from shops.services.visibility import products_visibility_refresh

logger = logging.getLogger(__name__)

CERTIFICATE_TRANSITIONS: dict[str, set[str]] = {
    CertificateStatus.PENDING: {CertificateStatus.APPROVED, CertificateStatus.REJECTED},
    CertificateStatus.APPROVED: {CertificateStatus.EXPIRED},
    CertificateStatus.REJECTED: set(),
    CertificateStatus.EXPIRED: set(),
}
EXPIRY_WARNING_DAYS = 30


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the 31st falls back to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


def _problems(
    *,
    stars: int,
    score: int | None,
    product_group: str,
    issued_by_level: str,
    issued_on: datetime.date,
    expires_on: datetime.date,
    today: datetime.date,
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if stars not in STAR_SCORE_RANGES:
        problems["stars"] = [
            "Only 3, 4 and 5-star products are OCOP-certified and sold here "
            "(1 and 2 stars are not certified; Decision 148/QĐ-TTg)."
        ]
    elif score is not None:
        low, high = STAR_SCORE_RANGES[stars]
        if not low <= score <= high:
            problems["score"] = [f"A {stars}-star product scores {low} to {high} out of 100."]
    if score is not None and not 0 <= score <= 100:
        problems["score"] = ["The score is out of 100."]
    if product_group not in ProductGroup.values:
        problems["product_group"] = ["Not one of the six OCOP product groups."]
    if issued_by_level not in IssuingLevel.values:
        problems["issued_by_level"] = ["district, province or national."]
    elif stars in STAR_SCORE_RANGES:
        problem = issuing_level_problem(stars=stars, level=issued_by_level, issued_on=issued_on)
        if problem:
            problems["issued_by_level"] = [problem]
    if issued_on > today:
        problems["issued_on"] = ["The decision date cannot be in the future."]
    if expires_on <= issued_on:
        problems["expires_on"] = ["The expiry must come after the decision date."]
    elif expires_on > add_months(issued_on, CERTIFICATE_VALIDITY_MONTHS):
        # Decision 148/QĐ-TTg: a rating is valid for 36 months. A later date typed in
        # would keep the products public long after the rating lapsed.
        problems["expires_on"] = [
            f"An OCOP rating is valid for at most {CERTIFICATE_VALIDITY_MONTHS} months "
            "after the decision date."
        ]
    return problems


def certificate_submit(
    *,
    shop: Shop,
    actor: User,
    number: str,
    issuer_name: str,
    product_name: str,
    stars: int,
    product_group: str,
    issued_by_level: str,
    issued_on: datetime.date,
    score: int | None = None,
    expires_on: datetime.date | None = None,
    issuing_province_code: str | None = None,
    scan=None,
    renews_id: int | None = None,
    today: datetime.date | None = None,
) -> OcopCertificate:
    """A shop submits an OCOP certificate for review; it starts `pending`.

    The expiry defaults to the decision date + 36 months, and cannot be later. The
    issuing province defaults to the shop's (None for the national council). A number
    is unique per province among approved certificates only (checked on approval), so a
    copy pending elsewhere never blocks its holder; one shop submits it once.
    Raises InvalidInput `invalid_certificate` (fields say why), FileTooLarge,
    InvalidFile, Conflict `duplicate_certificate` (this shop has it pending or approved)."""
    today = today or local_today()
    expires_on = expires_on or add_months(issued_on, CERTIFICATE_VALIDITY_MONTHS)
    problems = _problems(
        stars=stars,
        score=score,
        product_group=product_group,
        issued_by_level=issued_by_level,
        issued_on=issued_on,
        expires_on=expires_on,
        today=today,
    )
    number = (number or "").strip()
    if not number:
        problems["number"] = ["The decision number is required."]
    province = None
    if issued_by_level != IssuingLevel.NATIONAL:
        code = issuing_province_code or shop.province_id
        province = Province.objects.filter(code=code).first()
        if province is None:
            problems["issuing_province_code"] = ["Unknown province code."]
    renews = None
    if renews_id is not None:
        renews = OcopCertificate.objects.filter(pk=renews_id, shop=shop).first()
        if renews is None:
            problems["renews_id"] = ["Not a certificate of this shop."]
    if problems:
        first = next(iter(problems.values()))[0]
        raise InvalidInput(first, code="invalid_certificate", fields=problems)
    checked = scan_check(scan) if scan is not None else None

    try:
        with transaction.atomic():
            certificate = OcopCertificate.objects.create(
                shop=shop,
                number=number,
                issuer_name=issuer_name.strip(),
                issuing_province=province,
                product_name=product_name.strip(),
                stars=stars,
                score=score,
                product_group=product_group,
                issued_by_level=issued_by_level,
                issued_on=issued_on,
                expires_on=expires_on,
                renews=renews,
                scan=checked.content if checked else "",
            )
            event_record(
                shop=shop,
                kind=ShopEventKind.CERTIFICATE,
                certificate=certificate,
                to_status=certificate.status,
                actor=actor,
            )
            return certificate
    except IntegrityError as exc:
        raise Conflict(
            "This shop has already submitted a certificate with this number from this issuer.",
            code="duplicate_certificate",
            fields={"number": ["Already submitted for this issuing province."]},
        ) from exc


def _duplicate_approved() -> Conflict:
    return Conflict(
        "A certificate with this number from this issuer is already approved.",
        code="duplicate_certificate",
        fields={"number": ["Already approved for this issuing province."]},
    )


def _approved_twin_exists(certificate: OcopCertificate) -> bool:
    """Whether another certificate with the same number from the same issuer (province,
    or the national council) is approved."""
    return (
        OcopCertificate.objects.filter(
            number=certificate.number,
            issuing_province_id=certificate.issuing_province_id,
            status=CertificateStatus.APPROVED,
        )
        .exclude(pk=certificate.pk)
        .exists()
    )


def _certificate_transition(
    *, certificate: OcopCertificate, to: str, actor: User | None, reason: str = ""
) -> tuple[OcopCertificate, int]:
    certificate = OcopCertificate.objects.select_for_update().get(pk=certificate.pk)
    if to not in CERTIFICATE_TRANSITIONS[certificate.status]:
        raise InvalidTransition(
            f"A {certificate.status} certificate cannot become {to}.",
            extra={"status": certificate.status},
        )
    from_status = certificate.status
    certificate.status = to
    update = ["status"]
    if to in (CertificateStatus.APPROVED, CertificateStatus.REJECTED):
        certificate.review_reason = reason
        certificate.reviewed_by = actor
        certificate.reviewed_at = timezone.now()
        update += ["review_reason", "reviewed_by", "reviewed_at"]
    certificate.save(update_fields=update)
    products_visibility_refresh(certificate_id=certificate.pk)
    event = event_record(
        shop=certificate.shop,
        kind=ShopEventKind.CERTIFICATE,
        certificate=certificate,
        from_status=from_status,
        to_status=to,
        reason=reason,
        actor=actor,
    )
    return certificate, event.pk


def certificate_review(
    *,
    certificate: OcopCertificate,
    operator: User,
    decision: str,
    reason: str = "",
    today: datetime.date | None = None,
) -> OcopCertificate:
    """An operator approves or rejects (with a reason) a pending certificate.

    Approving a renewal relinks the products the old certificate's expiry delisted and
    puts them back on sale. Raises InvalidInput (`invalid_decision`, `reason_required`,
    `certificate_already_expired`), InvalidTransition (409), Conflict
    `duplicate_certificate` (the same number from the same issuer is already approved)."""
    today = today or local_today()
    if decision not in ("approve", "reject"):
        raise InvalidInput(
            "decision is approve or reject.",
            code="invalid_decision",
            fields={"decision": ["Must be approve or reject."]},
        )
    if decision == "reject":
        reason = reason_required(reason)
    with transaction.atomic():
        if decision == "approve":
            current = OcopCertificate.objects.select_for_update().get(pk=certificate.pk)
            if current.status == CertificateStatus.PENDING and current.expires_on <= today:
                raise InvalidInput(
                    "This certificate has already expired; it cannot be approved.",
                    code="certificate_already_expired",
                )
            if current.status == CertificateStatus.PENDING and _approved_twin_exists(current):
                raise _duplicate_approved()
        to = CertificateStatus.APPROVED if decision == "approve" else CertificateStatus.REJECTED
        try:
            certificate, event_id = _certificate_transition(
                certificate=certificate, to=to, actor=operator, reason=reason
            )
        except IntegrityError as exc:
            # A twin approved at the same moment: the database keeps approved ones unique.
            raise _duplicate_approved() from exc
        if to == CertificateStatus.APPROVED and certificate.renews_id:
            _relink_renewed(certificate=certificate, actor=operator)
        shop_notify(
            shop=certificate.shop,
            kind=f"certificate_{to}",
            context={
                "certificate_number": certificate.number,
                "product_name": certificate.product_name,
                "stars": certificate.stars,
                "reason": reason,
            },
            target=certificate,
            dedupe_key=f"certificate_{to}:c{certificate.pk}:e{event_id}",
        )
        return certificate


def _relink_renewed(*, certificate: OcopCertificate, actor: User | None) -> None:
    products = Product.objects.filter(certificate_id=certificate.renews_id).order_by("pk")
    for product in products:
        product_relink(product=product, certificate=certificate, actor=actor)


def certificate_expiry_run(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily sweep: warn shops 30 days ahead, and on the expiry date mark the
    certificate expired and delist its products (reason `certificate_expired`).

    Idempotent: a certificate is warned once and expired once. Returns counts."""
    today = today or local_today()
    warn_until = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    warned = expired = delisted = 0

    to_warn = OcopCertificate.objects.filter(
        status=CertificateStatus.APPROVED,
        expires_on__gt=today,
        expires_on__lte=warn_until,
        expiry_warned_on__isnull=True,
    )
    # Already renewed: nothing for the producer to do.
    to_warn = to_warn.exclude(renewals__status=CertificateStatus.APPROVED).values_list(
        "pk", flat=True
    )
    for pk in list(to_warn):
        with transaction.atomic():
            certificate = (
                OcopCertificate.objects.select_for_update().select_related("shop").get(pk=pk)
            )
            if certificate.expiry_warned_on is not None:
                continue
            certificate.expiry_warned_on = today
            certificate.save(update_fields=["expiry_warned_on"])
            shop_notify(
                shop=certificate.shop,
                kind="certificate_expiring",
                context={
                    "certificate_number": certificate.number,
                    "product_name": certificate.product_name,
                    "expires_on": certificate.expires_on.isoformat(),
                    "days_left": (certificate.expires_on - today).days,
                },
                target=certificate,
                dedupe_key=f"certificate_expiring:c{certificate.pk}",
            )
            warned += 1

    to_expire = OcopCertificate.objects.filter(
        status=CertificateStatus.APPROVED, expires_on__lte=today
    ).values_list("pk", flat=True)
    for pk in list(to_expire):
        with transaction.atomic():
            certificate = OcopCertificate.objects.select_for_update().get(pk=pk)
            if certificate.status != CertificateStatus.APPROVED:
                continue
            certificate, _event = _certificate_transition(
                certificate=certificate,
                to=CertificateStatus.EXPIRED,
                actor=None,
                reason="expired",
            )
            delisted += _delist_for_expiry(certificate=certificate)
            shop_notify(
                shop=certificate.shop,
                kind="certificate_expired",
                context={
                    "certificate_number": certificate.number,
                    "product_name": certificate.product_name,
                    "expires_on": certificate.expires_on.isoformat(),
                },
                target=certificate,
                dedupe_key=f"certificate_expired:c{certificate.pk}",
            )
            expired += 1
    logger.info(
        "certificate expiry run", extra={"warned": warned, "expired": expired, "delisted": delisted}
    )
    return {"warned": warned, "expired": expired, "delisted": delisted}


def _delist_for_expiry(*, certificate: OcopCertificate) -> int:
    products = Product.objects.filter(
        certificate=certificate, status=ProductStatus.ACTIVE
    ).order_by("pk")
    count = 0
    for product in products:
        product_delist(product=product, reason=DelistReason.CERTIFICATE_EXPIRED, actor=None)
        count += 1
    return count
