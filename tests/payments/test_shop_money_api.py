"""A shop's money through the API: who may read it, cash on delivery written at
delivery and reconciled per carrier remittance, the monthly withholding report, and
payouts by bank file or (recorded) Connect transfer."""

import pytest

from marketplace.core.clock import local_today
from orders import services
from orders.models import ShopOrder
from payments.models import CodCollection, LedgerEntry, Payout, ShopPayoutAccount
from payments.services import cod, payouts
from tests.conftest import bearer_client
from tests.orders.factories import cart_add, checkout, shop_in, shop_owner, stocked_variant
from tests.orders.flows import shop_order_in
from worker.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(db):
    return shop_in(legal_type="household", commission_bp=500)


def _delivered_cod(buyer, shop, django_capture_on_commit_callbacks, price=200_000):
    cart_add(buyer, stocked_variant(shop=shop, price=price), 1)
    order = checkout(buyer, method="cod")
    shop_order = ShopOrder.objects.get(order=order)
    owner = shop_owner(shop)
    services.shop_order_accept(shop=shop, shop_order_id=shop_order.pk, actor=owner)
    services.shop_order_ship(
        shop=shop, shop_order_id=shop_order.pk, actor=owner, carrier="GHTK", tracking_number="T1"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.shop_order_deliver(shop=shop, shop_order_id=shop_order.pk, actor=owner)
    shop_order.refresh_from_db()
    return shop_order


@pytest.mark.parametrize(
    "path", ["balance/", "ledger/", "payouts/", "tax-withholding/?month=2026-12"]
)
def test_only_members_and_operators_read_a_shops_money(
    path, household, producer_client, operator_client, api_client
):
    url = f"/api/v1/shops/{household.slug}/{path}"
    assert producer_client.get(url).status_code == 404  # another shop's producer
    assert api_client.get(url).status_code == 401
    assert bearer_client(shop_owner(household)).get(url).status_code == 200
    assert operator_client.get(url).status_code == 200


def test_cash_on_delivery_is_credited_at_delivery_and_reconciled_per_remittance(
    buyer, household, operator, django_capture_on_commit_callbacks
):
    cart_add(buyer, stocked_variant(shop=household, price=200_000), 1)
    order = checkout(buyer, method="cod")
    assert not LedgerEntry.objects.exists()  # nothing collected yet
    shop_order = ShopOrder.objects.get(order=order)
    shop_order = _delivered_cod(buyer, household, django_capture_on_commit_callbacks)

    rows = {e.kind: e.amount for e in LedgerEntry.objects.filter(shop_order=shop_order)}
    assert rows == {
        "sale": shop_order.total,
        "commission": -10_000,
        "vat_withheld": -2_000,
        "pit_withheld": -1_000,
    }
    collection = CodCollection.objects.get(shop_order=shop_order)
    assert (collection.amount, collection.carrier, collection.status) == (
        shop_order.total,
        "GHTK",
        "awaiting",
    )
    short = cod.cod_remittance_record(
        shop_order_id=shop_order.pk,
        amount=shop_order.total - 1,
        reference="GHTK-0412",
        actor=operator,
    )
    assert short.status == "short"
    full = cod.cod_remittance_record(
        shop_order_id=shop_order.pk, amount=shop_order.total, reference="GHTK-0413", actor=operator
    )
    assert full.status == "remitted"


def test_the_monthly_withholding_report_as_json_and_csv(
    buyer, household, django_capture_on_commit_callbacks
):
    shop_order = _delivered_cod(buyer, household, django_capture_on_commit_callbacks)
    owner = bearer_client(shop_owner(household))
    month = local_today().strftime("%Y-%m")
    url = f"/api/v1/shops/{household.slug}/tax-withholding/?month={month}"
    body = owner.get(url).json()
    assert body["month"] == month
    assert body["rows"] == [
        {"shop_order_id": shop_order.pk, "base": shop_order.subtotal, "vat": 2_000, "pit": 1_000}
    ]
    assert body["totals"] == {"base": shop_order.subtotal, "vat": 2_000, "pit": 1_000}

    as_csv = owner.get(url, HTTP_ACCEPT="text/csv")
    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv")
    lines = as_csv.content.decode().strip().splitlines()
    assert lines[0] == "shop,tax_code,month,shop_order_id,base,vat,pit"
    assert lines[1].endswith(f"{shop_order.pk},{shop_order.subtotal},2000,1000")

    bad = owner.get(f"/api/v1/shops/{household.slug}/tax-withholding/?month=2026-13")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_month"


def test_a_company_has_nothing_withheld(buyer, django_capture_on_commit_callbacks):
    company = shop_in(legal_type="company")
    shop_order = _delivered_cod(buyer, company, django_capture_on_commit_callbacks)
    kinds = set(LedgerEntry.objects.filter(shop_order=shop_order).values_list("kind", flat=True))
    assert kinds == {"sale", "commission"}


def test_payouts_pay_completed_money_once_by_bank_file_or_recorded_connect_transfer(
    buyer, django_capture_on_commit_callbacks
):
    bank_shop, connect_shop, unpaid_shop = shop_in(), shop_in(), shop_in()
    with django_capture_on_commit_callbacks(execute=True):
        for shop in (bank_shop, connect_shop, unpaid_shop):
            shop_order_in("completed", buyer=buyer, shop=shop)
        shop_order_in("delivered", buyer=buyer, shop=bank_shop)  # not payable yet
    ShopPayoutAccount.objects.create(
        shop=bank_shop, bank_name="Vietcombank", account_number="0071000123456", account_holder="A"
    )
    ShopPayoutAccount.objects.create(shop=connect_shop, stripe_account_id="acct_123")
    # unpaid_shop has no payout account: its money waits.

    with django_capture_on_commit_callbacks(execute=True):
        made = payouts.payouts_run(period="2026-W49")
    assert {p.shop_id for p in made} == {bank_shop.pk, connect_shop.pk}
    assert payouts.payouts_run(period="2026-W49") == []
    bank = Payout.objects.get(shop=bank_shop)
    connect = Payout.objects.get(shop=connect_shop)
    assert (bank.method, bank.status) == ("bank_transfer", "pending")
    # The Connect rail here records the transfer (the local Stripe server has no Connect).
    assert (connect.method, connect.status) == ("stripe_connect", "paid")
    assert connect.transfer_id == f"tr_recorded_{connect.reference}"
    csv_lines = payouts.payout_batch_csv(batch_id=bank.batch_id).strip().splitlines()
    assert csv_lines[0] == "shop,tax_code,bank_name,account_number,account_holder,amount,reference"
    assert len(csv_lines) == 2 and csv_lines[1].endswith(f"{bank.amount},{bank.reference}")

    # A bounced transfer goes back to the payable balance for the next batch.
    payouts.payout_mark_failed(payout_id=bank.pk, reason="sai số tài khoản")
    again = payouts.payouts_run(period="2026-W50")
    assert [(p.shop_id, p.amount) for p in again] == [(bank_shop.pk, bank.amount)]
    assert Notification.objects.filter(kind="payout_sent").count() == 1  # the Connect one
