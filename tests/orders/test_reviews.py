from decimal import Decimal

import pytest

from orders.models import ProductRating
from shops.models import ShopMember
from tests.accounts.factories import UserFactory
from tests.conftest import bearer_client
from tests.orders.flows import cash_remitted, shop_order_in

pytestmark = pytest.mark.django_db


def review(client, product_id, rating=5, comment="Nước mắm thơm, đậm đà."):
    return client.post(
        f"/api/v1/products/{product_id}/reviews/", {"rating": rating, "comment": comment}
    )


@pytest.mark.parametrize(
    "state", ["awaiting_fulfilment", "accepted", "shipped", "delivered", "cancelled"]
)
def test_only_a_completed_purchase_may_be_reviewed(buyer, buyer_client, state):
    product_id = shop_order_in(state, buyer=buyer).lines.get().product_id
    response = review(buyer_client, product_id)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "review_not_allowed"
    assert not ProductRating.objects.filter(product_id=product_id).exists()


def reviewable(buyer):
    """A completed cash-on-delivery purchase whose cash the carrier remitted."""
    shop_order = shop_order_in("completed", buyer=buyer)
    cash_remitted(shop_order)
    return shop_order


def test_a_completed_purchase_is_reviewed_once_and_the_rating_kept(buyer, buyer_client):
    product_id = reviewable(buyer).lines.get().product_id
    created = review(buyer_client, product_id, rating=4)
    assert created.status_code == 201
    assert created.json()["rating"] == 4
    again = review(buyer_client, product_id, rating=1)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_reviewed"

    other = UserFactory(role="buyer")
    from orders.models import ShopOrder
    from tests.orders.factories import cart_add, checkout

    variant = ShopOrder.objects.get(order__buyer=buyer).lines.get().variant
    cart_add(other, variant, 1)
    order = checkout(other)
    other_so = order.shop_orders.get()
    from orders import services

    producer = variant.shop.memberships.get().user
    services.shop_order_accept(shop=variant.shop, shop_order_id=other_so.pk, actor=producer)
    services.shop_order_ship(
        shop=variant.shop,
        shop_order_id=other_so.pk,
        actor=producer,
        carrier="GHN",
        tracking_number="1",
    )
    services.shop_order_deliver(shop=variant.shop, shop_order_id=other_so.pk, actor=producer)
    services.shop_order_confirm_receipt(buyer=other, order_id=order.pk, shop_order_id=other_so.pk)
    cash_remitted(other_so)
    assert review(bearer_client(other), product_id, rating=5).status_code == 201

    summary = ProductRating.objects.get(product_id=product_id)
    assert (summary.review_count, summary.rating) == (2, Decimal("4.50"))
    listed = bearer_client(other).get(f"/api/v1/products/{product_id}/reviews/").json()
    assert listed["count"] == 2
    assert {r["rating"] for r in listed["results"]} == {4, 5}


def test_someone_who_never_bought_it_cannot_review(buyer, buyer_client):
    product_id = shop_order_in("completed", buyer=buyer).lines.get().product_id
    stranger = bearer_client(UserFactory(role="buyer"))
    assert review(stranger, product_id).status_code == 403


@pytest.mark.parametrize("rating", [0, 6, "five", None])
def test_rating_is_1_to_5(buyer, buyer_client, rating):
    product_id = shop_order_in("completed", buyer=buyer).lines.get().product_id
    response = buyer_client.post(
        f"/api/v1/products/{product_id}/reviews/", {"rating": rating}, format="json"
    )
    assert response.status_code == 400


def test_reviews_of_an_unknown_product_are_404(buyer_client, api_client):
    assert review(buyer_client, 987654).status_code == 404
    assert api_client.get("/api/v1/products/987654/reviews/").status_code == 404


def test_a_new_review_shows_at_once_in_cached_catalogue_answers(
    buyer, buyer_client, api_client, settings, django_capture_on_commit_callbacks
):
    settings.CATALOGUE_CACHE_SECONDS = 60
    product_id = reviewable(buyer).lines.get().product_id
    before = api_client.get(f"/api/v1/products/{product_id}/").json()
    assert before["rating"] is None and before["review_count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert review(buyer_client, product_id, rating=4).status_code == 201
    after = api_client.get(f"/api/v1/products/{product_id}/").json()
    assert after["rating"] == 4.0 and after["review_count"] == 1


# --- who may review: proven payment, not the shop's own people (issue 15, item 8) -----


def test_a_sock_puppets_cash_on_delivery_order_is_no_ground_for_a_review(producer_client):
    """The attack as a producer plays it through the API: a throwaway buyer orders by
    cash on delivery, the shop accepts, ships and marks it delivered, the buyer
    confirms receipt and rates 5 stars. Nothing outside their hands says money changed
    hands, so the review is refused and the product's rating untouched."""
    puppet = UserFactory(role="buyer")
    shop_order = shop_order_in("delivered", buyer=puppet)
    puppet_client = bearer_client(puppet)
    confirmed = puppet_client.post(
        f"/api/v1/orders/{shop_order.order_id}/shop-orders/{shop_order.pk}/confirm-receipt/"
    )
    assert confirmed.status_code == 200
    product_id = shop_order.lines.get().product_id

    response = review(puppet_client, product_id)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "payment_not_confirmed"
    assert not ProductRating.objects.filter(product_id=product_id).exists()


def test_cash_on_delivery_counts_once_the_carrier_remitted_all_of_it(buyer, buyer_client):
    shop_order = shop_order_in("completed", buyer=buyer)
    product_id = shop_order.lines.get().product_id
    cash_remitted(shop_order, amount=shop_order.total - 1)  # the carrier came up short

    short = review(buyer_client, product_id)
    assert short.status_code == 403
    assert short.json()["error"]["code"] == "payment_not_confirmed"

    cash_remitted(shop_order)  # the rest arrives: remitted in full
    assert review(buyer_client, product_id).status_code == 201


def test_a_completed_card_purchase_may_be_reviewed(buyer, buyer_client, fake_port):
    product_id = shop_order_in("completed", buyer=buyer, method="stripe").lines.get().product_id
    created = review(buyer_client, product_id, rating=5)
    assert created.status_code == 201, created.json()


def test_the_port_is_asked_about_cash_on_delivery_only(buyer, buyer_client, fake_port):
    shop_order = shop_order_in("completed", buyer=buyer)
    product_id = shop_order.lines.get().product_id
    assert review(buyer_client, product_id).status_code == 403
    fake_port.cash_remitted.add(shop_order.pk)
    assert review(buyer_client, product_id).status_code == 201


@pytest.mark.parametrize("role", ["owner", "staff"])
def test_shop_members_cannot_review_their_own_shops_products(role, fake_port):
    """Even with a purchase paid by card and completed."""
    member = UserFactory(role="producer")
    shop_order = shop_order_in("completed", buyer=member, method="stripe")
    if role == "owner":
        ShopMember.objects.filter(shop=shop_order.shop, role="owner").update(user=member)
    else:
        ShopMember.objects.create(shop=shop_order.shop, user=member, role="staff")
    product_id = shop_order.lines.get().product_id

    response = review(bearer_client(member), product_id)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "own_shop_review"
    assert not ProductRating.objects.filter(product_id=product_id).exists()
