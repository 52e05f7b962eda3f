"""The money ledger: what each kind of history writes, and the identity that holds for
any history: the shops' rows sum to payments - refunds - commission - tax."""

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders import services
from orders.models import Order, Payment, ShopOrder
from payments.models import (
    LEDGER_HOLD_KINDS,
    LEDGER_PAYOUT_KINDS,
    LedgerEntry,
    WithholdingRate,
)
from payments.selectors import shop_balance
from payments.services.ledger import bp_of
from tests.orders.factories import cart_add, checkout, shop_in, shop_owner, stocked_variant
from tests.payments.events import intent, send

pytestmark = pytest.mark.django_db


def test_rounding_is_to_the_nearest_dong_halves_up():
    assert bp_of(150_000, 500) == 7_500
    assert bp_of(10_001, 50) == 50  # 50.005 → 50
    assert bp_of(10_100, 50) == 51  # 50.5 → 51
    assert bp_of(3, 5_000) == 2  # 1.5 → 2
    assert bp_of(0, 700) == 0


def test_withholding_rates_are_data_with_effective_dates():
    rates = {(r.category, r.vat_bp, r.pit_bp) for r in WithholdingRate.objects.all()}
    assert rates == {("goods", 100, 50), ("services", 500, 200)}
    assert all(
        r.legal_basis.startswith("Nghị định 117/2025") for r in WithholdingRate.objects.all()
    )


def _settle(capture, fn, *args, **kwargs):
    with capture(execute=True):
        return fn(*args, **kwargs)


def test_a_household_sale_withholds_vat_and_pit_and_a_refund_reverses_everything(
    buyer, fake_port, django_capture_on_commit_callbacks
):
    shop = shop_in(legal_type="household", commission_bp=750)
    cart_add(buyer, stocked_variant(shop=shop, price=333_333, stock=5), 1)
    order = checkout(buyer, method="stripe")
    services.payment_intent_ensure(order=order)
    order.refresh_from_db()
    _settle(django_capture_on_commit_callbacks, send, "payment_intent.succeeded", intent(order))
    shop_order = ShopOrder.objects.get(order=order)
    rows = {e.kind: e for e in LedgerEntry.objects.filter(shop_order=shop_order)}
    assert rows["sale"].amount == shop_order.total
    assert rows["commission"].amount == -25_000  # 333,333 x 7.5% = 24,999.975
    assert (rows["vat_withheld"].amount, rows["vat_withheld"].base) == (-3_333, 333_333)
    assert (rows["pit_withheld"].amount, rows["pit_withheld"].rate_bp) == (-1_667, 50)

    _settle(
        django_capture_on_commit_callbacks,
        services.shop_order_reject,
        shop=shop,
        shop_order_id=shop_order.pk,
        actor=shop_owner(shop),
        reason="Hết hàng",
    )
    rows = {e.kind: e.amount for e in LedgerEntry.objects.filter(shop_order=shop_order)}
    assert rows["refund"] == -shop_order.total
    assert rows["commission_reversal"] == 25_000
    assert rows["vat_withheld_reversal"] == 3_333
    assert rows["pit_withheld_reversal"] == 1_667
    assert sum(rows.values()) == 0
    assert shop_balance(shop_id=shop.pk).pending == 0


def test_a_part_refunded_by_an_operator_then_rejected_stays_refunded_once(
    buyer, fake_port, django_capture_on_commit_callbacks
):
    """An operator gives a paid part's money back, then its producer rejects it: the
    rejection finds the refund done and leaves it so (no second refund asked, the
    payment and the ledger reversed once)."""
    shop = shop_in()
    cart_add(buyer, stocked_variant(shop=shop, price=200_000, stock=5), 1)
    order = checkout(buyer, method="stripe")
    services.payment_intent_ensure(order=order)
    order.refresh_from_db()
    _settle(django_capture_on_commit_callbacks, send, "payment_intent.succeeded", intent(order))
    shop_order = ShopOrder.objects.get(order=order)
    _settle(
        django_capture_on_commit_callbacks,
        services.shop_order_refund_request,
        shop_order_id=shop_order.pk,
        actor=None,
        reason="complaint upheld",
    )
    shop_order.refresh_from_db()
    assert shop_order.refund_status == "done"

    _settle(
        django_capture_on_commit_callbacks,
        services.shop_order_reject,
        shop=shop,
        shop_order_id=shop_order.pk,
        actor=shop_owner(shop),
        reason="Hết hàng",
    )
    shop_order.refresh_from_db()
    assert (shop_order.status, shop_order.refund_status) == ("cancelled", "done")
    assert len(fake_port.refunds) == 1
    assert Payment.objects.get(order=order).refunded_amount == shop_order.total
    refunds = LedgerEntry.objects.filter(shop_order=shop_order, kind="refund")
    assert list(refunds.values_list("amount", flat=True)) == [-shop_order.total]


def test_ledger_rows_are_never_updated_or_deleted(
    buyer, fake_port, django_capture_on_commit_callbacks
):
    cart_add(buyer, stocked_variant(), 1)
    order = checkout(buyer, method="stripe")
    services.payment_intent_ensure(order=order)
    order.refresh_from_db()
    _settle(django_capture_on_commit_callbacks, send, "payment_intent.succeeded", intent(order))
    entry = LedgerEntry.objects.first()
    entry.amount += 1
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=0)
    with pytest.raises(TypeError):
        LedgerEntry.objects.all().delete()


# --- the identity under random histories -------------------------------------------

# What happens to each shop order after checkout.
FATES = ["leave", "reject", "deliver", "complete", "refund_after_delivery"]

history = st.lists(
    st.tuples(
        st.sampled_from(["stripe", "cod"]),
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=2),  # which shop
                st.integers(min_value=1, max_value=3),  # quantity
                st.sampled_from(FATES),
            ),
            min_size=1,
            max_size=3,
            unique_by=lambda t: t[0],
        ),
        st.sampled_from([None, "won", "lost"]),  # a dispute on a card order
        st.booleans(),  # a card order paid at all
    ),
    min_size=1,
    max_size=4,
)


def _expected_net() -> int:
    """payments - refunds - commission - tax, from the orders' own tables."""
    total = 0
    shops = {}
    for shop_order in ShopOrder.objects.select_related("order", "shop"):
        order = shop_order.order
        came_in = (order.payment_method == "stripe" and order.paid_at is not None) or (
            order.payment_method == "cod" and shop_order.delivered_at is not None
        )
        if not came_in:
            continue
        given_back = (
            shop_order.refund_status == "done"
            or LedgerEntry.objects.filter(shop_order=shop_order, kind="refund").exists()
        )
        if given_back:
            continue
        shop = shops.setdefault(shop_order.shop_id, shop_order.shop)
        total += shop_order.total - bp_of(shop_order.subtotal, shop_order.commission_bp)
        if shop.legal_type in ("household", "individual"):
            bp = (500, 200) if shop_order.is_service else (100, 50)
            total -= bp_of(shop_order.subtotal, bp[0]) + bp_of(shop_order.subtotal, bp[1])
    return total


@pytest.fixture
def open_orders_uncapped():
    # One buyer places every example's orders, many never paid nor accepted: the cap on
    # open orders (orders.services.checkout_guards) is not what is tested here.
    with override_settings(MAX_OPEN_ORDERS_PER_BUYER=0):
        yield


@pytest.mark.usefixtures("open_orders_uncapped")
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=history)
def test_the_ledger_sums_to_payments_less_refunds_commission_and_tax(
    steps, buyer, fake_port, django_capture_on_commit_callbacks
):
    # Examples share the test's transaction: the identity is checked over everything
    # written so far, each example adding its history.
    shops = [
        shop_in(legal_type="company", commission_bp=500),
        shop_in(legal_type="household", commission_bp=733),
        shop_in(legal_type="individual", commission_bp=1_250),
    ]
    run = django_capture_on_commit_callbacks
    for method, parts, dispute, pays in steps:
        for shop_index, quantity, _ in parts:
            variant = stocked_variant(shop=shops[shop_index], price=123_457 * quantity, stock=9)
            cart_add(buyer, variant, quantity)
        order = checkout(buyer, method=method)
        if method == "stripe":
            if not pays:
                continue
            services.payment_intent_ensure(order=order)
            order.refresh_from_db()
            _settle(run, send, "payment_intent.succeeded", intent(order))
        shop_orders = {so.shop_id: so for so in ShopOrder.objects.filter(order=order)}
        for shop_index, _, fate in parts:
            shop = shops[shop_index]
            shop_order = shop_orders[shop.pk]
            producer = shop_owner(shop)
            if fate == "reject":
                _settle(
                    run,
                    services.shop_order_reject,
                    shop=shop,
                    shop_order_id=shop_order.pk,
                    actor=producer,
                    reason="Hết hàng",
                )
                continue
            if fate == "leave":
                continue
            services.shop_order_accept(shop=shop, shop_order_id=shop_order.pk, actor=producer)
            services.shop_order_ship(
                shop=shop,
                shop_order_id=shop_order.pk,
                actor=producer,
                carrier="GHN",
                tracking_number="GHN1",
            )
            _settle(
                run,
                services.shop_order_deliver,
                shop=shop,
                shop_order_id=shop_order.pk,
                actor=producer,
            )
            if fate == "complete":
                services.shop_order_confirm_receipt(
                    buyer=buyer, order_id=order.pk, shop_order_id=shop_order.pk
                )
            elif fate == "refund_after_delivery" and method == "stripe":
                _settle(
                    run,
                    services.shop_order_refund_request,
                    shop_order_id=shop_order.pk,
                    actor=None,
                    reason="hàng hỏng",
                )
        if method == "stripe" and dispute:
            order.refresh_from_db()
            obj = {
                "id": f"dp_{order.pk}",
                "object": "dispute",
                "amount": order.total,
                "payment_intent": order.payment.intent_id,
                "status": "needs_response",
            }
            _settle(run, send, "charge.dispute.created", obj)
            _settle(run, send, "charge.dispute.closed", {**obj, "status": dispute})

    rows = LedgerEntry.objects.exclude(kind__in=[*LEDGER_HOLD_KINDS, *LEDGER_PAYOUT_KINDS])
    assert sum(rows.values_list("amount", flat=True)) == _expected_net()
    # Every hold of a closed dispute was released.
    holds = LedgerEntry.objects.filter(kind__in=LEDGER_HOLD_KINDS)
    assert sum(holds.values_list("amount", flat=True)) == 0
    # Each shop's balance is its rows, split by where the money stands.
    for shop in shops:
        balance = shop_balance(shop_id=shop.pk)
        mine = LedgerEntry.objects.filter(shop=shop).exclude(kind__in=LEDGER_HOLD_KINDS)
        assert balance.pending + balance.payable + balance.held + balance.paid_out == sum(
            mine.values_list("amount", flat=True)
        )
    # Money came in once per paid order: card payments equal their orders' totals.
    for payment in Payment.objects.filter(status__in=["succeeded", "refunded"]):
        assert payment.amount == Order.objects.get(pk=payment.order_id).total
