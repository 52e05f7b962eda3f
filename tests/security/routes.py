"""The served routes, walked from the root URLconf, and a world of objects to fill
their path parameters with: one shop ("own") with a member of its staff, an order of a
buyer from it, and a second shop ("other") with the same kinds of objects, so a test can
point a URL at someone else's data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from orders.models import CartItem
from shops.models import ImportJob, ProductImage, ShopInvitation, ShopMember
from tests.accounts.factories import UserFactory
from tests.conftest import bearer_client
from tests.orders.factories import cart_add, checkout, stocked_variant
from tests.shops.factories import CertificateFactory, ShopFactory
from worker.models import Notification

ROLES = ("anonymous", "buyer", "owner", "staff", "other_producer", "operator")
# The HTTP methods a client can send that change or read something.
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name, as `reverse` takes it
    params: tuple[str, ...]
    callback: object
    namespace: str = ""
    route: str = ""  # the whole path, as the URLconf writes it

    def methods(self) -> tuple[str, ...]:
        """The methods its view answers (OPTIONS and HEAD aside)."""
        view = getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)
        if view is None:
            # A function view: Django's admin and health check answer GET (and POST).
            return ("get",)
        return tuple(m for m in METHODS if hasattr(view, m))


def _params_of(pattern) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters is not None and hasattr(pattern, "_route"):
        return list(converters)
    return list(pattern.regex.groupindex)


def walk(
    patterns=None, namespace: str = "", params: tuple[str, ...] = (), prefix: str = ""
) -> list[Route]:
    """Every named route of the URLconf, with the path parameters of its whole path."""
    routes: list[Route] = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        entry_params = params + tuple(_params_of(entry.pattern))
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            routes += walk(entry.url_patterns, inner.strip(":"), entry_params, route)
        elif isinstance(entry, URLPattern):
            # An unnamed route cannot be declared, so it fails the matrix on purpose.
            name = f"{namespace}:{entry.name or f'<unnamed {entry.pattern}>'}".strip(":")
            routes.append(Route(name, entry_params, entry.callback, namespace, route))
    return routes


def _shop_objects(shop, *, buyer, staff=None) -> dict:
    variant = stocked_variant(shop=shop)
    product = variant.product
    cart_add(buyer, variant, 1)
    order = checkout(buyer)
    shop_order = order.shop_orders.get()
    cart_add(buyer, variant, 1)  # a line left in the cart
    item = CartItem.objects.get(cart__buyer=buyer)
    member = ShopMember.objects.filter(shop=shop, role="staff").first()
    return {
        "slug": shop.slug,
        "product_id": product.pk,
        "variant_id": variant.pk,
        "certificate_id": CertificateFactory(shop=shop, status="pending").pk,
        "image_id": ProductImage.objects.create(product=product, image="products/a.jpg").pk,
        "job_id": ImportJob.objects.create(shop=shop, file="imports/a.csv", file_format="csv").pk,
        "invitation_id": ShopInvitation.objects.create(
            shop=shop,
            email=f"moi-{shop.pk}@example.vn",
            token_hash=f"{shop.pk:064d}",
            expires_at=timezone.now() + datetime.timedelta(days=7),
        ).pk,
        "member_id": member.pk if member else None,
        "order_id": order.pk,
        "shop_order_id": shop_order.pk,
        "item_id": item.pk,
        "notification_id": Notification.objects.create(
            recipient=buyer,
            kind="order_placed",
            language="vi",
            title="Đã đặt hàng",
            body="Đơn hàng đã đặt.",
            dedupe_key=f"probe-{order.pk}",
        ).pk,
    }


def build_world() -> dict:
    """Users of every role and the objects of two shops: "own" (where owner and staff
    work, bought from by buyer) and "other" (another producer's, bought from by another
    buyer)."""
    users = {
        "buyer": UserFactory(role="buyer"),
        "owner": UserFactory(role="producer"),
        "staff": UserFactory(role="producer"),
        "other_producer": UserFactory(role="producer"),
        "operator": UserFactory(role="buyer", is_staff=True),
    }
    own_shop = ShopFactory(owner=users["owner"])
    ShopMember.objects.create(shop=own_shop, user=users["staff"], role="staff")
    other_shop = ShopFactory(owner=users["other_producer"])
    ShopMember.objects.create(shop=other_shop, user=UserFactory(role="producer"), role="staff")
    other_buyer = UserFactory(role="buyer")
    own = _shop_objects(own_shop, buyer=users["buyer"])
    other = _shop_objects(other_shop, buyer=other_buyer)
    return {
        "users": users,
        "own": own,
        "other": other,
        "tokens": {role: bearer_client(user)._credentials for role, user in users.items()},
    }


def client_for(world: dict, role: str) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.credentials(**world["tokens"][role])
    return client
