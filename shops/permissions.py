"""Who may see and manage a shop. Every view resolves a shop through these helpers, so
the rules live in one place (and a permission-matrix test pins them down).

- members (owner, staff) manage the shop's products, stock, certificates and imports;
- operators read everything and act through the operator endpoints and the admin;
- anyone else gets 404 for what is not public, so ids and slugs do not leak.
"""

from __future__ import annotations

from marketplace.core.errors import NotFound
from shops.models import Shop, ShopMember, ShopMemberRole
from shops.selectors import shops_visible_to
from shops.services.common import NotAllowed


def shop_role(*, shop: Shop, user) -> str | None:
    """ "owner", "staff" or None."""
    if user is None or not user.is_authenticated:
        return None
    return ShopMember.objects.filter(shop=shop, user=user).values_list("role", flat=True).first()


def shop_for_viewer(*, slug: str, user) -> Shop:
    """The shop as far as this user may see it. Raises NotFound `shop_not_found`."""
    shop = shops_visible_to(user).select_related("province", "ward").filter(slug=slug).first()
    if shop is None:
        raise NotFound("No such shop.", code="shop_not_found")
    return shop


def shop_for_reader(*, slug: str, user) -> Shop:
    """A shop's private data (certificates, all products, imports): members and
    operators. Raises NotFound `shop_not_found` for anyone else."""
    shop = Shop.objects.select_related("province", "ward").filter(slug=slug).first()
    if shop is None or not (user.is_operator or shop_role(shop=shop, user=user)):
        raise NotFound("No such shop.", code="shop_not_found")
    return shop


def shop_for_member(*, slug: str, user, owner_only: bool = False) -> Shop:
    """A shop the user manages. Operators see it but act through their own endpoints
    (403); anyone else gets 404. Raises NotFound `shop_not_found`, NotAllowed."""
    shop = Shop.objects.select_related("province", "ward").filter(slug=slug).first()
    role = shop_role(shop=shop, user=user) if shop else None
    if shop is None or role is None:
        if shop is not None and user.is_operator:
            raise NotAllowed(
                "Operators act through the operator endpoints.", code="operator_read_only"
            )
        raise NotFound("No such shop.", code="shop_not_found")
    if owner_only and role != ShopMemberRole.OWNER:
        raise NotAllowed("Only the shop's owner can do this.", code="owner_only")
    return shop
