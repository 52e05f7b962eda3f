"""Opening a shop, keeping its details, its members, and the operator's verdicts."""

from __future__ import annotations

import re
import unicodedata

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from marketplace.accounts.models import User
from marketplace.core.catalogue_version import catalogue_changed
from marketplace.core.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotFound,
)
from marketplace.regions.models import Province
from marketplace.regions.selectors import ward_in_province
from shops.models import (
    LegalType,
    Shop,
    ShopEventKind,
    ShopMember,
    ShopMemberRole,
    ShopStatus,
)
from shops.services.common import NotAllowed, event_record
from shops.services.effects import shop_notify
from shops.services.visibility import products_visibility_refresh

SHOP_TRANSITIONS: dict[str, set[str]] = {
    ShopStatus.PENDING: {ShopStatus.ACTIVE, ShopStatus.REJECTED},
    ShopStatus.ACTIVE: {ShopStatus.SUSPENDED},
    ShopStatus.SUSPENDED: {ShopStatus.ACTIVE},
    ShopStatus.REJECTED: set(),
}
# Changing who the seller legally is must go back through verification.
LEGAL_FIELDS = ("legal_name", "legal_type", "tax_code")
EDITABLE_FIELDS = ("name", "address", "phone", "description", "return_policy", *LEGAL_FIELDS)

_TAX_CODE = re.compile(r"^(\d{10})(?:-?(\d{3}))?$")
_PHONE = re.compile(r"^0(?:[35789]\d{8}|2\d{9})$")


def vi_slugify(text: str) -> str:
    """ASCII slug of a Vietnamese name: "Đặc sản Nghệ An" → "dac-san-nghe-an".

    `slugify` drops đ/Đ (a letter of its own, not d with a mark), so fold it first."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return slugify(text)


def tax_code_normalise(raw: str) -> str:
    """10 digits (an enterprise), or 10-3 (a branch); 13 bare digits become 10-3.

    Raises InvalidInput `invalid_tax_code`."""
    value = re.sub(r"\s+", "", raw or "")
    match = _TAX_CODE.match(value)
    if not match:
        raise InvalidInput(
            "A tax code has 10 digits, or 13 written as 10-3 (e.g. 2901234567-001).",
            code="invalid_tax_code",
            fields={"tax_code": ["Must be 10 digits or 10-3 digits."]},
        )
    return match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")


def phone_normalise(raw: str) -> str:
    """A Vietnamese mobile (0[35789]x, 10 digits) or landline (02x, 11 digits); +84 → 0.

    Raises InvalidInput `invalid_phone`."""
    value = re.sub(r"[\s.\-()]", "", raw or "")
    if value.startswith("+84"):
        value = "0" + value[3:]
    elif value.startswith("84") and len(value) in (11, 12):
        value = "0" + value[2:]
    if not _PHONE.match(value):
        raise InvalidInput(
            "Not a Vietnamese phone number (e.g. 0912 345 678 or 0238 3123 456).",
            code="invalid_phone",
            fields={"phone": ["Not a Vietnamese phone number."]},
        )
    return value


def _place(province_code: str, ward_code: str):
    province = Province.objects.filter(code=province_code).first()
    if province is None:
        raise InvalidInput(
            "Unknown province.",
            code="invalid_province",
            fields={"province_code": ["Unknown province code."]},
        )
    ward = ward_in_province(province_code=province_code, ward_code=ward_code)
    if ward is None:
        raise InvalidInput(
            "The ward does not lie in that province.",
            code="ward_not_in_province",
            fields={"ward_code": ["Not a ward of this province."]},
        )
    return province, ward


def _unique_slug(name: str) -> str:
    base = vi_slugify(name)[:200] or "gian-hang"
    slug, n = base, 2
    while Shop.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def shop_create(
    *,
    owner: User,
    name: str,
    legal_type: str,
    tax_code: str,
    province_code: str,
    ward_code: str,
    address: str,
    phone: str,
    description: str = "",
    legal_name: str = "",
    return_policy: str = "",
) -> Shop:
    """A producer opens a shop; it waits as `pending` until an operator verifies it.

    Raises NotAllowed (not a producer), InvalidInput (`invalid_tax_code`,
    `invalid_phone`, `invalid_province`, `ward_not_in_province`, `invalid_legal_type`)."""
    if not owner.is_producer:
        raise NotAllowed("Only producer accounts can open a shop.", code="not_a_producer")
    if legal_type not in LegalType.values:
        raise InvalidInput(code="invalid_legal_type", fields={"legal_type": ["Unknown type."]})
    province, ward = _place(province_code, ward_code)
    fields = {
        "name": name.strip(),
        "legal_name": (legal_name or name).strip(),
        "legal_type": legal_type,
        "tax_code": tax_code_normalise(tax_code),
        "province": province,
        "ward": ward,
        "address": address.strip(),
        "phone": phone_normalise(phone),
        "description": description,
        "return_policy": return_policy,
    }
    # Two shops of the same name racing for a slug: the loser retries with the next one.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                shop = Shop.objects.create(slug=_unique_slug(name), **fields)
                ShopMember.objects.create(shop=shop, user=owner, role=ShopMemberRole.OWNER)
                event_record(shop=shop, kind=ShopEventKind.SHOP, to_status=shop.status, actor=owner)
                return shop
        except IntegrityError:
            continue
    raise DomainError("Could not give the shop a unique address; try again.", code="slug_taken")


def shop_update(*, shop: Shop, actor: User, **changes) -> Shop:
    """Owner or staff edit the shop's details. Legal identity (name, type, tax code) is
    editable only until the shop is verified.

    Raises InvalidInput (bad phone, tax code, place) and Conflict `legal_identity_locked`."""
    with transaction.atomic():
        shop = Shop.objects.select_for_update().get(pk=shop.pk)
        changed: list[str] = []
        if "province_code" in changes or "ward_code" in changes:
            province, ward = _place(
                changes.pop("province_code", shop.province_id),
                changes.pop("ward_code", shop.ward_id),
            )
            shop.province, shop.ward = province, ward
            changed += ["province", "ward"]
        for field, value in changes.items():
            if field not in EDITABLE_FIELDS:
                raise InvalidInput(f"{field} cannot be changed here.", code="field_not_editable")
            if field in LEGAL_FIELDS and shop.status not in (ShopStatus.PENDING,):
                if getattr(shop, field) == value:
                    continue
                raise InvalidTransition(
                    "The legal identity of a verified shop can only change through an operator.",
                    code="legal_identity_locked",
                    fields={field: ["Locked after verification."]},
                )
            if field == "tax_code":
                value = tax_code_normalise(value)
            elif field == "phone":
                value = phone_normalise(value)
            elif field == "legal_type" and value not in LegalType.values:
                raise InvalidInput(code="invalid_legal_type", fields={field: ["Unknown type."]})
            setattr(shop, field, value)
            changed.append(field)
        if changed:
            shop.save(update_fields=[*changed, "updated_at"])
            # Its name, place and policies show on every one of its products.
            catalogue_changed(shop_id=shop.pk)
        return shop


def _shop_transition(
    *, shop: Shop, to: str, actor: User | None, reason: str = "", notify_kind: str | None = None
) -> Shop:
    with transaction.atomic():
        shop = Shop.objects.select_for_update().get(pk=shop.pk)
        if to not in SHOP_TRANSITIONS[shop.status]:
            raise InvalidTransition(
                f"A {shop.status} shop cannot become {to}.",
                extra={"status": shop.status},
            )
        from_status = shop.status
        shop.status = to
        shop.status_reason = reason
        shop.save(update_fields=["status", "status_reason", "updated_at"])
        products_visibility_refresh(shop_id=shop.pk)
        event = event_record(
            shop=shop,
            kind=ShopEventKind.SHOP,
            from_status=from_status,
            to_status=to,
            reason=reason,
            actor=actor,
        )
        if notify_kind:
            shop_notify(
                shop=shop,
                kind=notify_kind,
                context={"reason": reason},
                target=shop,
                dedupe_key=f"{notify_kind}:shop{shop.pk}:e{event.pk}",
            )
        return shop


def reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "Say why, so the producer can act on it.",
            code="reason_required",
            fields={"reason": ["A reason is required."]},
        )
    return reason


def shop_review(*, shop: Shop, operator: User, decision: str, reason: str = "") -> Shop:
    """An operator verifies a pending shop: approve → active, reject (with a reason).

    Raises InvalidInput (`invalid_decision`, `reason_required`), InvalidTransition (409)."""
    if decision == "approve":
        return _shop_transition(
            shop=shop,
            to=ShopStatus.ACTIVE,
            actor=operator,
            reason=reason,
            notify_kind="shop_approved",
        )
    if decision == "reject":
        return _shop_transition(
            shop=shop,
            to=ShopStatus.REJECTED,
            actor=operator,
            reason=reason_required(reason),
            notify_kind="shop_rejected",
        )
    raise InvalidInput(
        "decision is approve or reject.",
        code="invalid_decision",
        fields={"decision": ["Must be approve or reject."]},
    )


def shop_suspend(*, shop: Shop, operator: User, reason: str) -> Shop:
    """Active → suspended: its products leave the catalogue at once.

    Raises InvalidInput `reason_required`, InvalidTransition (409)."""
    return _shop_transition(
        shop=shop, to=ShopStatus.SUSPENDED, actor=operator, reason=reason_required(reason)
    )


def shop_reinstate(*, shop: Shop, operator: User, reason: str = "") -> Shop:
    """Suspended → active. Raises InvalidTransition (409)."""
    with transaction.atomic():
        current = Shop.objects.select_for_update().get(pk=shop.pk)
        if current.status != ShopStatus.SUSPENDED:
            raise InvalidTransition(
                f"A {current.status} shop cannot be reinstated.", extra={"status": current.status}
            )
        return _shop_transition(shop=current, to=ShopStatus.ACTIVE, actor=operator, reason=reason)


def shop_set_commission(*, shop: Shop, operator: User, commission_bp: int) -> Shop:
    """The operator sets the shop's commission (basis points, 0 to 10000).

    Raises InvalidInput `invalid_commission`."""
    if not isinstance(commission_bp, int) or not 0 <= commission_bp <= 10000:
        raise InvalidInput(
            code="invalid_commission",
            fields={"commission_bp": ["Basis points from 0 to 10000."]},
        )
    with transaction.atomic():
        shop = Shop.objects.select_for_update().get(pk=shop.pk)
        shop.commission_bp = commission_bp
        shop.save(update_fields=["commission_bp", "updated_at"])
        return shop


def shop_member_remove(*, shop: Shop, actor: User, member_id: int) -> None:
    """The owner removes a staff member (the owner cannot be removed).

    Raises NotAllowed `owner_only`, NotFound, Conflict `cannot_remove_owner`."""
    if not ShopMember.objects.filter(shop=shop, user=actor, role=ShopMemberRole.OWNER).exists():
        raise NotAllowed("Only the shop's owner removes members.", code="owner_only")
    member = ShopMember.objects.filter(shop=shop, pk=member_id).first()
    if member is None:
        raise NotFound(code="member_not_found")
    if member.role == ShopMemberRole.OWNER:
        raise Conflict("The owner cannot be removed.", code="cannot_remove_owner")
    member.delete()
