"""The orders API's fast path (orders.api.fast): the cart add and the cash-on-delivery
checkout answer their plain case before DRF's request handling (marketplace.core.direct).
Whatever the input, a buyer must not be able to tell: each scenario is played twice, by
two buyers in the same situation, once as a plain JSON request and once with an `Accept`
the direct path leaves to DRF, and the answers (status, error, body, headers) must be
the same."""

import pytest
from rest_framework.views import APIView

from marketplace.accounts.models import User
from shops.models import ProductStatus, ProductVariant
from tests.accounts.factories import UserFactory
from tests.conftest import bearer_client
from tests.orders.factories import address, cart_add, checkout, service_variant, stocked_variant
from tests.shops.factories import product_status_set

pytestmark = pytest.mark.django_db

THROUGH_DRF = {"HTTP_ACCEPT": "application/*"}  # acceptable, but not the plain case


def _without_ids(value):
    """An answer with what differs between two buyers' rows (ids, times, keys) blanked."""
    if isinstance(value, dict):
        return {
            key: None
            if key in {"id", "order_id", "shop_order_id", "actor", "created_at", "updated_at"}
            else _without_ids(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def _played_twice(scenario, monkeypatch):
    """Run `scenario(client, buyer, extra_headers)` for a buyer on the direct path and
    another through DRF; answers their two responses. The direct one must not have
    entered DRF's request handling when it was the plain case."""
    answers = []
    for headers in ({}, THROUGH_DRF):
        buyer = UserFactory(role="buyer")
        entered = []
        original = APIView.initial

        def initial(view, request, *args, _entered=entered, _original=original, **kwargs):
            _entered.append(type(view).__name__)
            return _original(view, request, *args, **kwargs)

        monkeypatch.setattr(APIView, "initial", initial)
        response = scenario(bearer_client(buyer), buyer, headers)
        monkeypatch.setattr(APIView, "initial", original)
        answers.append((response, entered))
    return answers


def _same(direct, through_drf) -> None:
    assert direct.status_code == through_drf.status_code, (direct.content, through_drf.content)
    assert _without_ids(direct.json()) == _without_ids(through_drf.json())
    for header in ("Content-Type", "Allow"):
        assert direct.headers.get(header) == through_drf.headers.get(header), header


def _add(body):
    def scenario(client, buyer, headers):
        return client.post("/api/v1/cart/items/", body(), format="json", **headers)

    return scenario


@pytest.fixture
def jars():
    return [stocked_variant(price=95_000 + 10_000 * n) for n in range(3)]


@pytest.mark.parametrize(
    "case",
    ["one", "items", "unknown", "past_bigint", "items_second_unknown", "not_public", "service"],
)
def test_a_cart_add_answers_the_same_on_both_paths(case, jars, monkeypatch):
    hidden = stocked_variant()
    product_status_set(hidden.product, ProductStatus.HIDDEN)
    visit, _ = service_variant()
    bodies = {
        "one": lambda: {"variant_id": jars[0].pk, "quantity": 2},
        "items": lambda: {"items": [{"variant_id": v.pk, "quantity": 1} for v in jars]},
        "unknown": lambda: {"variant_id": 987_654_321, "quantity": 1},
        "past_bigint": lambda: {"variant_id": 2**63, "quantity": 1},
        "items_second_unknown": lambda: {
            "items": [{"variant_id": jars[0].pk, "quantity": 1}, {"variant_id": 0, "quantity": 1}]
        },
        "not_public": lambda: {"variant_id": hidden.pk, "quantity": 1},
        "service": lambda: {"variant_id": visit.pk, "quantity": 1},
    }
    (direct, entered), (through_drf, drf_entered) = _played_twice(_add(bodies[case]), monkeypatch)
    _same(direct, through_drf)
    assert drf_entered == ["CartItemsView"]
    if case == "items_second_unknown":
        # Refused by the serializer (variant_id 0): DRF's to judge, on both paths.
        assert entered == ["CartItemsView"]
        assert list(direct.json()["error"]["fields"]) == ["items.1.variant_id"]
    else:
        # The cart add's one statement answers it.
        assert entered == []


def test_an_add_answers_the_cart_as_it_reads_afterwards(buyer, jars):
    """The add answers with the cart its own statement wrote (the lines it did not touch
    as they were, the ones it wrote as written): the same as reading the cart after."""
    client = bearer_client(buyer)
    for variant in jars:
        client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 1}, format="json")
    hidden = jars[0].product
    product_status_set(hidden, ProductStatus.HIDDEN)
    answer = client.post(
        "/api/v1/cart/items/",
        {
            "items": [
                {"variant_id": jars[2].pk, "quantity": 2},
                {"variant_id": jars[1].pk, "quantity": 1},
            ]
        },
        format="json",
    )
    assert answer.status_code == 201
    assert answer.json() == client.get("/api/v1/cart/").json()
    lines = {line["variant_id"]: line for line in answer.json()["items"]}
    assert [line["variant_id"] for line in answer.json()["items"]] == [v.pk for v in jars]
    assert (lines[jars[0].pk]["on_sale"], lines[jars[0].pk]["quantity"]) == (False, 1)
    assert (lines[jars[1].pk]["quantity"], lines[jars[2].pk]["quantity"]) == (2, 3)
    assert answer.json()["total"] == 2 * jars[1].price + 3 * jars[2].price


def test_a_buyer_deactivated_after_signing_in_adds_nothing(buyer, jars):
    from orders.models import Cart
    from orders.services import BuyerInactive, CartItemToAdd, cart_item_add, cart_items_add

    User.objects.filter(pk=buyer.pk).update(is_active=False)
    with pytest.raises(BuyerInactive):
        cart_item_add(buyer=buyer, variant_id=jars[0].pk, quantity=1)
    with pytest.raises(BuyerInactive):
        cart_items_add(buyer=buyer, items=[CartItemToAdd(variant_id=jars[0].pk, quantity=1)])
    assert not Cart.objects.filter(buyer=buyer).exists()


def test_a_refusal_on_the_direct_path_writes_nothing_and_names_the_item(buyer, jars):
    client = bearer_client(buyer)
    client.post("/api/v1/cart/items/", {"variant_id": jars[1].pk, "quantity": 98}, format="json")
    refused = client.post(
        "/api/v1/cart/items/",
        {
            "items": [
                {"variant_id": jars[0].pk, "quantity": 1},
                {"variant_id": jars[1].pk, "quantity": 2},
            ]
        },
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "quantity_too_large"
    assert refused.json()["error"]["item"] == 1
    lines = client.get("/api/v1/cart/").json()["items"]
    assert [(line["variant_id"], line["quantity"]) for line in lines] == [(jars[1].pk, 98)]


@pytest.mark.parametrize(
    "quantity",
    [0, 100, "2", True, 1.0, None],
    ids=["zero", "max+1", "text", "bool", "float", "null"],
)
def test_a_quantity_the_serializer_judges_answers_the_same_on_both_paths(
    quantity, jars, monkeypatch
):
    body = _add(lambda: {"variant_id": jars[0].pk, "quantity": quantity})
    (direct, entered), (through_drf, _) = _played_twice(body, monkeypatch)
    _same(direct, through_drf)
    assert entered == ["CartItemsView"]  # not the plain case: DRF judged it


def test_an_inactive_or_unknown_token_user_gets_the_same_401(jars):
    inactive = UserFactory(role="buyer")
    client = bearer_client(inactive)
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    body = {"variant_id": jars[0].pk, "quantity": 1}
    direct = client.post("/api/v1/cart/items/", body, format="json")
    through_drf = client.post("/api/v1/cart/items/", body, format="json", **THROUGH_DRF)
    assert direct.status_code == 401
    _same(direct, through_drf)
    assert direct.json()["error"]["code"] == "user_inactive"


def _checkout(key="k-1", method="cod", with_cart=True, **overrides):
    def scenario(client, buyer, headers):
        if with_cart:
            for n, variant in enumerate(scenario.jars):
                cart_add(buyer, variant, n + 1)
        body = {"shipping_address": address(**overrides), "payment_method": method}
        if key is not None:
            headers = {**headers, "HTTP_IDEMPOTENCY_KEY": key}
        first = client.post("/api/v1/checkout/", body, format="json", **headers)
        if scenario.replay:
            return client.post("/api/v1/checkout/", body, format="json", **headers)
        return first

    scenario.replay = False
    return scenario


@pytest.mark.parametrize(
    "case", ["placed", "replayed", "no_key", "empty_cart", "short_stock", "bad_phone", "bad_ward"]
)
def test_a_cod_checkout_answers_the_same_on_both_paths(case, jars, monkeypatch):
    scenario = {
        "placed": _checkout(),
        "replayed": _checkout(),
        "no_key": _checkout(key=None),
        "empty_cart": _checkout(with_cart=False),
        "short_stock": _checkout(),
        "bad_phone": _checkout(phone="not a phone"),
        "bad_ward": _checkout(ward_code="00001"),
    }[case]
    scenario.jars = jars
    scenario.replay = case == "replayed"
    if case == "short_stock":
        scenario.jars = [stocked_variant(stock=0)]
    (direct, entered), (through_drf, _) = _played_twice(scenario, monkeypatch)
    _same(direct, through_drf)
    expected = {
        "placed": 201,
        "replayed": 200,
        "no_key": 400,
        "empty_cart": 400,
        "short_stock": 409,
        "bad_phone": 400,
        "bad_ward": 400,
    }[case]
    assert direct.status_code == expected, direct.json()
    # A phone the serializer refuses is DRF's to word; the rest is the direct path's.
    assert entered == (["CheckoutView"] if case == "bad_phone" else [])


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize("path", ["/api/v1/cart/items/", "/api/v1/checkout/", "/api/v1/auth/me/"])
@pytest.mark.parametrize(
    "body",
    [
        DEEP,
        b'{"variant_id": 1, "quantity": NaN}',
        b'{"payment_method": "cod", "shipping_address": {"full_name": Infinity}}',
        '{"variant_id": 1, "quantity": 1}'.encode("utf-16"),
    ],
    ids=["nested-too-deep", "nan", "infinity", "utf-16"],
)
def test_a_body_json_parsers_refuse_is_a_400_on_both_paths(buyer, path, body):
    client = bearer_client(buyer)
    method = client.patch if path.endswith("me/") else client.post
    answers = [
        method(path, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k", **headers)
        for headers in ({}, THROUGH_DRF)
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["error"]["code"] == "parse_error"


def _guarded_checkout(case):
    """A checkout that one of the guards of issue 15 refuses (or, for
    `expected_total_matches`, lets through), set up the same for each buyer."""

    def scenario(client, buyer, headers):
        jar = scenario.jars[0]
        ProductVariant.objects.filter(pk=jar.pk).update(price=95_000)
        cart_add(buyer, jar, 2)
        body = {"shipping_address": address(), "payment_method": "cod"}
        if case == "too_many_open_orders":
            held = stocked_variant()
            cart_add(buyer, held, 1)
            checkout(buyer, key=f"held-{buyer.pk}")
            cart_add(buyer, jar, 2)
        if case in ("price_changed", "expected_total_matches"):
            body["expected_total"] = client.get("/api/v1/cart/").json()["total"]
        if case == "price_changed":
            ProductVariant.objects.filter(pk=jar.pk).update(price=99_000)
        return client.post(
            "/api/v1/checkout/", body, format="json", HTTP_IDEMPOTENCY_KEY="k", **headers
        )

    return scenario


@pytest.mark.parametrize(
    "case,status,code",
    [
        ("price_changed", 409, "price_changed"),
        ("expected_total_matches", 201, None),
        ("email_not_verified", 403, "email_not_verified"),
        ("too_many_open_orders", 409, "too_many_open_orders"),
    ],
)
def test_the_checkout_guards_answer_the_same_on_both_paths(
    case, status, code, jars, monkeypatch, settings
):
    settings.COD_REQUIRES_VERIFIED_EMAIL = case == "email_not_verified"
    settings.MAX_OPEN_ORDERS_PER_BUYER = 1
    scenario = _guarded_checkout(case)
    scenario.jars = jars
    (direct, entered), (through_drf, _) = _played_twice(scenario, monkeypatch)
    _same(direct, through_drf)
    assert direct.status_code == status, direct.json()
    if code:
        assert direct.json()["error"]["code"] == code
    assert "CheckoutView" not in entered  # answered on the direct path (GET /cart/ aside)


def test_a_throttled_checkout_answers_the_same_on_both_paths(jars, monkeypatch, settings):
    """Over its rate, an account's checkout is left by the direct path to DRF, whose
    throttle answers; the direct path counted the checkouts before it."""
    settings.CHECKOUT_THROTTLE_RATE = "1/hour"

    def scenario(client, buyer, headers):
        answers = []
        for key in ("first", "second"):
            cart_add(buyer, jars[0], 1)
            answers.append(
                client.post(
                    "/api/v1/checkout/",
                    {"shipping_address": address(), "payment_method": "cod"},
                    format="json",
                    HTTP_IDEMPOTENCY_KEY=key,
                    **headers,
                )
            )
        assert answers[0].status_code == 201
        return answers[1]

    (direct, entered), (through_drf, drf_entered) = _played_twice(scenario, monkeypatch)
    assert direct.status_code == through_drf.status_code == 429
    for answer in (direct, through_drf):
        assert answer.json()["error"]["code"] == "throttled"
        assert 3590 <= answer.json()["error"]["retry_after"] <= 3600
        assert answer.headers["Retry-After"]
    for header in ("Content-Type", "Allow"):
        assert direct.headers.get(header) == through_drf.headers.get(header), header
    # The first checkout on the direct path, the refused one through DRF.
    assert (entered, drf_entered) == (["CheckoutView"], ["CheckoutView"] * 2)


def test_too_many_items_answer_the_same_on_both_paths(jars, monkeypatch, settings):
    settings.CART_MAX_LINES_PER_ADD = 2
    body = _add(lambda: {"items": [{"variant_id": v.pk, "quantity": 1} for v in jars]})
    (direct, _), (through_drf, _) = _played_twice(body, monkeypatch)
    _same(direct, through_drf)
    assert direct.json()["error"]["code"] == "too_many_items"
