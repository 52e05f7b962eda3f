"""Who may call what, for every route of the root URLconf.

The routes are walked from the URLconf, not listed by hand: a route without a policy
in POLICIES (or a policy for a route that is gone) fails the build. Each (route, method,
role) is one case, sent with the path parameters of the "own" shop's objects (see
tests/security/routes.py) and an empty JSON body: a role the policy allows must get
past the gates (any answer but 401, 403, 404 or a 5xx: an empty body is a 400 at most),
a role it refuses must get the refusal the API documents, with a machine-readable
`error.code`. Someone else's private data answers 404, never 403 (API.md).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.security.routes import ROLES, client_for, walk

# --- policies -------------------------------------------------------------------------
OK = "ok"
ALLOWED_TO_ALL = dict.fromkeys(ROLES, OK)
# Anyone; writes take no account (register, log in, a refresh token, the e-mail link).
PUBLIC = ALLOWED_TO_ALL
# Any signed-in user, about themselves (their cart, notifications, profile, orders list).
AUTHENTICATED = {**ALLOWED_TO_ALL, "anonymous": 401}
# The buyer's own orders, cart lines, notifications: everybody else's answers 404.
BUYER_OWN = {**dict.fromkeys(ROLES, 404), "anonymous": 401, "buyer": OK}
# A shop's private data: its members and operators read it (shops.permissions).
SHOP_READER = {
    "anonymous": 401,
    "buyer": 404,
    "owner": OK,
    "staff": OK,
    "other_producer": 404,
    "operator": OK,
}
# Managing a shop: its members; operators act through their own endpoints (403).
SHOP_MEMBER = {**SHOP_READER, "operator": 403}
# Members, invitations and where the money goes: the owner alone.
SHOP_OWNER = {**SHOP_MEMBER, "staff": 403}
OPERATOR = {**dict.fromkeys(ROLES, 403), "anonymous": 401, "operator": OK}
# Stripe's events: no account, a signature (none here: 400 `invalid_signature`).
WEBHOOK_SIGNED = dict.fromkeys(ROLES, 400)

POLICIES: dict[str, dict[str, dict[str, object]]] = {
    "healthz": {"get": PUBLIC},
    "schema": {"get": PUBLIC},
    "docs": {"get": PUBLIC},
    # catalogue (public)
    "catalogue:product-list": {"get": PUBLIC},
    "catalogue:product-detail": {"get": PUBLIC},
    "catalogue:ocop-stats": {"get": PUBLIC},
    "catalogue:shop-list": {"get": PUBLIC},
    "catalogue:shop-detail": {"get": PUBLIC},
    "orders:product-reviews": {"get": PUBLIC, "post": AUTHENTICATED},
    # accounts
    "auth-register": {"post": PUBLIC},
    "auth-token": {"post": PUBLIC},
    "auth-token-refresh": {"post": PUBLIC},
    "auth-me": {"get": AUTHENTICATED, "patch": AUTHENTICATED},
    "auth-verify-email": {"post": AUTHENTICATED},
    "auth-verify-email-confirm": {"post": PUBLIC},
    # reference data
    "province-list": {"get": PUBLIC},
    "ward-list": {"get": PUBLIC},
    "ocop-product-groups": {"get": PUBLIC},
    "ocop-star-levels": {"get": PUBLIC},
    # notifications
    "notification-list": {"get": AUTHENTICATED},
    "notification-read-all": {"post": AUTHENTICATED},
    "notification-unread-count": {"get": AUTHENTICATED},
    "notification-preferences": {"get": AUTHENTICATED},
    "notification-preference": {"patch": AUTHENTICATED},
    "notification-read": {"post": BUYER_OWN},
    # cart, checkout, the buyer's orders
    "orders:cart": {"get": AUTHENTICATED},
    "orders:cart-items": {"post": AUTHENTICATED},
    "orders:cart-item": {"patch": BUYER_OWN, "delete": BUYER_OWN},
    "orders:checkout": {"post": AUTHENTICATED},
    "orders:order-list": {"get": AUTHENTICATED},
    "orders:order-detail": {"get": BUYER_OWN},
    "orders:order-cancel": {"post": BUYER_OWN},
    "orders:order-pay": {"post": BUYER_OWN},
    "orders:confirm-receipt": {"post": BUYER_OWN},
    # a shop's orders
    "shop-orders:list": {"get": SHOP_MEMBER},
    "shop-orders:detail": {"get": SHOP_MEMBER},
    "shop-orders:accept": {"post": SHOP_MEMBER},
    "shop-orders:ship": {"post": SHOP_MEMBER},
    "shop-orders:deliver": {"post": SHOP_MEMBER},
    "shop-orders:reject": {"post": SHOP_MEMBER},
    "shop-orders:ticket-use": {"post": SHOP_MEMBER},
    "shop-orders:sales": {"get": SHOP_MEMBER},
    # a shop's money
    "shop-money:balance": {"get": SHOP_READER},
    "shop-money:ledger": {"get": SHOP_READER},
    "shop-money:payouts": {"get": SHOP_READER},
    "shop-money:tax-withholding": {"get": SHOP_READER},
    "shop-money:payout-account": {"get": SHOP_READER, "put": SHOP_OWNER},
    # shops
    "shops:shop-list": {"get": PUBLIC, "post": AUTHENTICATED},
    "shops:shop-invitation-accept": {"post": AUTHENTICATED},
    "shops:shop-detail": {"get": PUBLIC, "patch": SHOP_MEMBER},
    "shops:shop-members": {"get": SHOP_READER, "post": SHOP_OWNER},
    "shops:shop-member-detail": {"delete": SHOP_OWNER},
    "shops:shop-invitations": {"get": SHOP_OWNER, "post": SHOP_OWNER},
    "shops:shop-invitation-detail": {"delete": SHOP_OWNER},
    "shops:shop-certificates": {"get": SHOP_READER, "post": SHOP_MEMBER},
    "shops:shop-products": {"get": SHOP_READER, "post": SHOP_MEMBER},
    "shops:shop-product-detail": {"get": SHOP_READER, "patch": SHOP_MEMBER, "delete": SHOP_MEMBER},
    "shops:shop-product-variants": {"post": SHOP_MEMBER},
    "shops:shop-product-images": {"post": SHOP_MEMBER},
    "shops:shop-product-image-detail": {"delete": SHOP_MEMBER},
    "shops:shop-variant-detail": {"get": SHOP_READER, "patch": SHOP_MEMBER},
    "shops:shop-variant-movements": {"get": SHOP_READER},
    "shops:shop-variant-sessions": {"get": SHOP_READER, "post": SHOP_MEMBER},
    "shops:shop-imports": {"get": SHOP_READER, "post": SHOP_MEMBER},
    "shops:shop-import-detail": {"get": SHOP_READER},
    # operators
    "operator:shops": {"get": OPERATOR},
    "operator:shop-review": {"post": OPERATOR},
    "operator:shop-suspend": {"post": OPERATOR},
    "operator:shop-reinstate": {"post": OPERATOR},
    "operator:shop-commission": {"post": OPERATOR},
    "operator:certificates": {"get": OPERATOR},
    "operator:certificate-review": {"post": OPERATOR},
    "operator:product-delist": {"post": OPERATOR},
    "operator:product-relist": {"post": OPERATOR},
    # payments
    "payments:stripe-webhook": {"post": WEBHOOK_SIGNED},
}

# The admin's routes are generated from its registered models; all of them are behind
# the staff login (AdminSite.admin_view), except the login and logout pages themselves.
ADMIN_NAMESPACE = "admin"
ADMIN_OPEN = {"admin:login", "admin:logout"}

# Path parameters that are not object ids.
SAMPLE_PARAMS = {
    "kind": "order_placed",
    "code": "40",
    "app_label": "shops",
    "object_id": "1",
    "content_type_id": "1",
    "url": "no-such-page/",
    "id": "1",
}
# A body the route's serializer accepts, where it judges the body before it looks the
# object up: a refused role must meet the gate, not the validation.
VALID_BODIES = {
    ("orders:cart-item", "patch"): {"quantity": 2},
    ("shop-orders:ship", "post"): {"carrier": "GHN", "tracking_number": "GHN123"},
    ("shop-orders:reject", "post"): {"reason": "Hết hàng"},
}

ROUTES = walk()
API_ROUTES = [r for r in ROUTES if r.namespace != ADMIN_NAMESPACE]
ADMIN_ROUTES = [r for r in ROUTES if r.namespace == ADMIN_NAMESPACE and r.name not in ADMIN_OPEN]
GATE_REFUSALS = {401, 403, 404}


def _url(route, world, side="own", **overrides) -> str:
    values = {**SAMPLE_PARAMS, **world[side], **overrides}
    if "<unnamed" in route.name:  # the admin's unnamed redirects and its catch-all
        return "/" + route.route.replace("<path:object_id>", "1").replace(
            "(?P<url>.*)", SAMPLE_PARAMS["url"]
        )
    return reverse(route.name, kwargs={p: values[p] for p in route.params})


def _send(world, role, method, route, url):
    body = VALID_BODIES.get((route.name, method), {})
    return getattr(client_for(world, role), method)(url, body, format="json")


def test_every_route_has_a_declared_policy_and_every_policy_a_route():
    walked = {r.name: set(r.methods()) for r in API_ROUTES}
    declared = {name: set(methods) for name, methods in POLICIES.items()}
    assert walked == declared


def test_the_admin_is_walked_too():
    assert len(ADMIN_ROUTES) > 20
    assert {"admin:index", "admin:shops_shop_changelist"} <= {r.name for r in ADMIN_ROUTES}


CASES = [
    pytest.param(route, method, role, id=f"{route.name}-{method}-{role}")
    for route in API_ROUTES
    for method in route.methods()
    for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize("route, method, role", CASES)
def test_access(world, route, method, role):
    expected = POLICIES.get(route.name, {}).get(method, {}).get(role)
    assert expected is not None, f"no policy declared for {route.name} {method}"
    response = _send(world, role, method, route, _url(route, world))
    status = response.status_code
    assert status < 500, response.content[:300]
    if expected == OK:
        assert status not in GATE_REFUSALS, (status, response.content[:300])
        return
    assert status == expected, (status, response.content[:300])
    code = response.json()["error"]["code"]
    if expected == 404:
        assert code.endswith("not_found"), code


# --- someone else's object under one's own path ----------------------------------------
# For every route with an object id in its path, the role the policy lets in asks for
# the other shop's (or the other buyer's) object in its place, one id at a time: 404.
OWNERS = [
    (SHOP_READER, "owner"),
    (SHOP_MEMBER, "owner"),
    (SHOP_OWNER, "owner"),
    (BUYER_OWN, "buyer"),
]


def _owning_role(policy) -> str | None:
    return next((role for p, role in OWNERS if p is policy), None)


FOREIGN_CASES = [
    pytest.param(route, method, param, id=f"{route.name}-{method}-{param}")
    for route in API_ROUTES
    for method in route.methods()
    if _owning_role(POLICIES[route.name][method])
    for param in route.params
    if param not in SAMPLE_PARAMS
]


@pytest.mark.django_db
@pytest.mark.parametrize("route, method, param", FOREIGN_CASES)
def test_someone_elses_object_answers_404(world, route, method, param):
    role = _owning_role(POLICIES[route.name][method])
    url = _url(route, world, **{param: world["other"][param]})
    response = _send(world, role, method, route, url)
    assert response.status_code == 404, (url, response.status_code, response.content[:300])
    assert response.json()["error"]["code"].endswith("not_found")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "buyer", "owner"])
@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda r: r.name)
def test_the_admin_sends_everyone_but_operators_to_its_login(world, route, role):
    response = client_for(world, role).get(_url(route, world))
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(reverse("admin:login"))
