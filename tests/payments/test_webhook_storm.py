"""A storm of Stripe webhook deliveries through the real path: 1,000 POSTs (duplicates,
shuffled, a few badly signed, some for expired orders) to the webhook, applied by a real
Celery worker on Redis, ending in exactly the right state with each effect once.

Sixty-odd card orders from a few buyers across three shops, each with what Stripe would
say of its intent:

- paid: one `payment_intent.succeeded` (a few are "takers" that bought, after others
  expired, the last jars of a scarce variant);
- paid after failures: 1-3 `payment_intent.payment_failed` then the success; a failure
  tells the buyer only if it is applied while the order still waits for payment;
- declined: 1-3 failures and no success, the order still waits (told once per failure);
- revived: expired first, then paid while the stock is still there: paid again;
- too late: expired, the stock bought meanwhile by another order: stays expired, the
  payment is flagged `paid_too_late` and refunded whole (at the local Stripe server, where
  those intents exist and were paid);
- expired unpaid: expired, only a failure and `payment_intent.canceled` follow;
- mismatch: a success for 1,000 ₫ less (flagged, never taken) and the right one (paid);
- one success for an intent nobody knows (flagged).

Every other event is of a type the marketplace stores and ignores."""

from __future__ import annotations

import datetime
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db.models import Sum
from django.utils import timezone
from rest_framework.test import APIClient

from orders import services
from orders.models import Order, OrderEvent, OrderLine, Payment, ShopOrder
from payments import gateway
from payments.models import LedgerEntry, PaymentIssue, StripeEvent, StripeRefund
from shops.models import ProductVariant, ShopMember
from tests.accounts.factories import UserFactory
from tests.orders.factories import cart_add, checkout, ledger_sum, shop_in, stocked_variant
from tests.payments.storm import (
    IGNORED_TYPES,
    Delivery,
    Event,
    card_pays,
    event_body,
    intent_object,
    local_stripe_webhooks_off,
    now,
    sign,
)
from worker.models import Notification, OutboxMessage

URL = "/api/v1/payments/stripe/webhook/"
SEED = 20250614
VALID_EVENTS = 700
DUPLICATES = 290
DEADLINE_SECONDS = 90

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

APPLY_TASK = "payments.tasks.stripe_event_apply"
LEDGER_TASK = "payments.tasks.ledger_order_paid"
REFUND_TASK = "payments.tasks.intent_refund_whole"
HANDLED = {"payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled"}

# What each kind of order must end as: (order, payment, each shop order).
FINAL = {
    "paid": ("paid", "succeeded", "awaiting_fulfilment"),
    "paid_after_failures": ("paid", "succeeded", "awaiting_fulfilment"),
    "revived": ("paid", "succeeded", "awaiting_fulfilment"),
    "mismatch": ("paid", "succeeded", "awaiting_fulfilment"),
    "declined": ("pending_payment", "pending", "pending_payment"),
    "silent": ("pending_payment", "pending", "pending_payment"),
    "too_late": ("expired", "refunded", "cancelled"),
    "expired_unpaid": ("expired", "cancelled", "cancelled"),
}


@dataclass
class Planned:
    order: Order
    category: str
    items: list[tuple[ProductVariant, int]]
    intent_id: str = ""
    failures: list[Event] = field(default_factory=list)
    success: Event | None = None

    @property
    def paid(self) -> bool:
        return FINAL[self.category][0] == "paid"

    @property
    def holds_stock(self) -> bool:
        return FINAL[self.category][0] in ("paid", "pending_payment")


class Strays:
    """Rows already there before the storm (late deliveries of the session's local Stripe
    server for an earlier test's intents), to leave out of the storm's counts."""

    def __init__(self) -> None:
        self.events = set(StripeEvent.objects.values_list("pk", flat=True))
        self.issues = set(PaymentIssue.objects.values_list("pk", flat=True))
        self.outbox = set(OutboxMessage.objects.values_list("pk", flat=True))
        assert not Notification.objects.exists()


def wait_for(predicate, *, seconds: float, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class Storm:
    """The orders, their events and the 1,000 deliveries, all from one seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.plans: list[Planned] = []
        self.events: list[Event] = []
        self._n = 0
        self._created = now() - 3_600

    # -- orders -------------------------------------------------------------------------

    def place(self, buyer, items, category: str) -> Planned:
        for variant, quantity in items:
            cart_add(buyer, variant, quantity)
        plan = Planned(order=checkout(buyer, method="stripe"), category=category, items=items)
        self.plans.append(plan)
        return plan

    def fake_intent(self, plan: Planned) -> None:
        services.payment_intent_ensure(order=plan.order)
        plan.intent_id = Payment.objects.get(order=plan.order).intent_id
        assert plan.intent_id.startswith("pi_fake_")

    def local_stripe_intent(self, plan: Planned) -> None:
        """An intent that exists at the local Stripe server (it will be refunded there)."""
        info = gateway.payment_intent_create(
            amount=plan.order.total,
            idempotency_key=f"storm-order-{plan.order.pk}",
            metadata={"order_id": str(plan.order.pk)},
        )
        Payment.objects.filter(order=plan.order).update(
            intent_id=info.id, client_secret=info.client_secret
        )
        plan.intent_id = info.id

    # -- events -------------------------------------------------------------------------

    def event(self, type_: str, obj: dict, *, plan: Planned | None = None) -> Event:
        self._n += 1
        self._created += 1
        event_id = f"evt_1Storm{self._n:05d}{self.rng.randrange(16**6):06x}"
        event = Event(
            id=event_id,
            type=type_,
            body=event_body(event_id=event_id, type_=type_, obj=obj, created=self._created),
            intent_id=obj.get("id", "") if obj.get("object") == "payment_intent" else "",
            order_id=plan.order.pk if plan else None,
        )
        self.events.append(event)
        return event

    def intent_event(
        self, plan: Planned, type_: str, status: str, *, amount=None, decline=None
    ) -> Event:
        obj = intent_object(
            intent_id=plan.intent_id,
            amount=plan.order.total if amount is None else amount,
            status=status,
            order_id=plan.order.pk,
            decline=decline,
        )
        return self.event(type_, obj, plan=plan)

    def charge_event(self, plan: Planned, type_: str) -> Event:
        charge = {
            "id": f"ch_storm_{self._n + 1}",
            "object": "charge",
            "amount": plan.order.total,
            "currency": "vnd",
            "payment_intent": plan.intent_id,
            "status": "succeeded" if type_ == "charge.succeeded" else "failed",
        }
        return self.event(type_, charge, plan=plan)

    def failure(self, plan: Planned) -> Event:
        declines = ("Your card was declined.", "Your card has insufficient funds.")
        event = self.intent_event(
            plan,
            "payment_intent.payment_failed",
            "requires_payment_method",
            decline=self.rng.choice(declines),
        )
        plan.failures.append(event)
        self.charge_event(plan, "charge.failed")
        return event

    def succeeded(self, plan: Planned) -> Event:
        plan.success = self.intent_event(plan, "payment_intent.succeeded", "succeeded")
        self.charge_event(plan, "charge.succeeded")
        return plan.success

    def filler(self) -> Event:
        type_ = self.rng.choice(IGNORED_TYPES)
        prefix = {"customer": "cus", "payment_method": "pm", "balance": "bal", "charge": "ch"}
        kind = type_.split(".")[0]
        obj = {"id": f"{prefix.get(kind, kind[:4])}_storm_{self._n + 1}", "object": kind}
        return self.event(type_, obj)

    def forged_success(self, plan: Planned) -> Event:
        """A success for an order nobody paid, never stored (not in self.events)."""
        event = self.intent_event(plan, "payment_intent.succeeded", "succeeded")
        self.events.remove(event)
        return event


def test_a_storm_of_webhook_deliveries_ends_in_exactly_the_right_state(
    reference_data, fake_port, local_stripe, live_worker, settings
):
    # Four buyers place dozens of card orders, many never paid: the cap on open orders
    # (orders.services.checkout_guards) is not what this storm tests.
    settings.MAX_OPEN_ORDERS_PER_BUYER = 0
    started = time.monotonic()
    # What the session's local Stripe server sent for an earlier test may land here: it
    # is silenced, and whatever it already delivered is left out of the counts below.
    local_stripe_webhooks_off(local_stripe)
    time.sleep(1.0)
    assert wait_for(lambda: not StripeEvent.objects.filter(status="received").exists(), seconds=15)
    strays = Strays()
    rng = random.Random(SEED)
    storm = Storm(rng)

    # -- shops, stock, buyers ---------------------------------------------------------------
    shops = [shop_in() for _ in range(3)]
    plenty = [
        stocked_variant(shop=shop, stock=300, price=price)
        for shop, price in zip(
            shops * 2, (120_000, 185_000, 95_000, 240_000, 65_000, 150_000), strict=True
        )
    ]
    scarce_a = stocked_variant(shop=shops[0], stock=3, price=210_000)
    scarce_b = stocked_variant(shop=shops[1], stock=4, price=160_000)
    tight = stocked_variant(shop=shops[2], stock=4, price=140_000)
    variants = [*plenty, scarce_a, scarce_b, tight]
    initial = {
        v.pk: v.stock for v in ProductVariant.objects.filter(pk__in=[v.pk for v in variants])
    }
    buyers = [UserFactory(role="buyer") for _ in range(4)]
    operator = UserFactory(role="buyer", is_staff=True)

    def some_plenty():
        chosen = rng.sample(plenty, rng.choice((1, 1, 2, 3)))
        return [(variant, rng.randint(1, 3)) for variant in chosen]

    def place(category, items=None):
        return storm.place(rng.choice(buyers), items or some_plenty(), category)

    # -- orders placed before the storm -----------------------------------------------------
    for category, count in (
        ("paid", 28),
        ("paid_after_failures", 12),
        ("declined", 6),
        ("silent", 1),
        ("mismatch", 1),
        ("revived", 4),
        ("expired_unpaid", 3),
    ):
        for _ in range(count):
            storm.fake_intent(place(category))
    # The last two of a tight variant: still there when this order's late payment lands.
    storm.fake_intent(place("revived", [(tight, 2)]))
    # Scarce stock, bought by others once these expire (one of them spans two shops).
    too_late = [
        place("too_late", [(scarce_a, 2)]),
        place("too_late", [(scarce_a, 1), (plenty[1], 1)]),
        place("too_late", [(scarce_b, 2)]),
        place("too_late", [(scarce_b, 2)]),
    ]
    for plan in too_late:
        storm.local_stripe_intent(plan)

    # -- the holds of some run out ----------------------------------------------------------
    expiring = [p for p in storm.plans if p.category in ("revived", "too_late", "expired_unpaid")]
    Order.objects.filter(pk__in=[p.order.pk for p in expiring]).update(
        reserved_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert services.orders_expire_due() == len(expiring) == 12
    # Expiry asked the provider first (the fake says nobody paid).
    assert set(fake_port.reconciled) == {p.order.pk for p in expiring}

    # -- others buy the stock the expired orders gave back ----------------------------------
    storm.fake_intent(place("paid", [(scarce_a, 3)]))
    storm.fake_intent(place("silent", [(scarce_b, 3)]))
    storm.fake_intent(place("paid", [(tight, 2)]))
    stock_now = dict(
        ProductVariant.objects.filter(pk__in=[scarce_a.pk, scarce_b.pk, tight.pk]).values_list(
            "pk", "stock"
        )
    )
    assert stock_now == {scarce_a.pk: 0, scarce_b.pk: 1, tight.pk: 2}
    # The too-late buyers paid at Stripe all the same.
    for plan in too_late:
        card_pays(plan.intent_id)
    assert len(storm.plans) == 63
    set_up = time.monotonic() - started

    # -- what Stripe has to say -------------------------------------------------------------
    by_category: dict[str, list[Planned]] = {}
    for plan in storm.plans:
        by_category.setdefault(plan.category, []).append(plan)
        storm.intent_event(plan, "payment_intent.created", "requires_payment_method")
    for plan in by_category["paid_after_failures"] + by_category["declined"]:
        for _ in range(rng.randint(1, 3)):
            storm.failure(plan)
    for category in ("revived", "too_late", "expired_unpaid"):
        storm.failure(by_category[category][0])  # finds the order expired (or paid): silence
    for category in ("paid", "paid_after_failures", "revived", "too_late", "mismatch"):
        for plan in by_category[category]:
            storm.succeeded(plan)
    mismatch = by_category["mismatch"][0]
    wrong_amount = storm.intent_event(
        mismatch, "payment_intent.succeeded", "succeeded", amount=mismatch.order.total - 1_000
    )
    for plan in by_category["expired_unpaid"]:
        storm.intent_event(plan, "payment_intent.canceled", "canceled")
    unknown = storm.event(
        "payment_intent.succeeded",
        intent_object(
            intent_id="pi_nobody_knows", amount=99_000, status="succeeded", order_id=None
        ),
    )
    while len(storm.events) < VALID_EVENTS:
        storm.filler()
    assert len(storm.events) == VALID_EVENTS
    assert len({e.id for e in storm.events}) == VALID_EVENTS

    # -- 1,000 deliveries -------------------------------------------------------------------
    deliveries = [Delivery(event=e, mode="same") for e in storm.events]
    successes = [e for e in storm.events if e.type == "payment_intent.succeeded"]
    again = list(successes)  # every success is delivered at least twice
    again += [e for p in storm.plans for e in p.failures if rng.random() < 0.5]
    again += rng.choices(storm.events, k=DUPLICATES - len(again))
    deliveries += [Delivery(event=e, mode=rng.choice(("same", "resigned"))) for e in again]

    declined = by_category["declined"]
    silent = by_category["silent"]
    bad = [
        *(Delivery(event=storm.forged_success(plan), mode="wrong_secret") for plan in declined[:3]),
        *(
            Delivery(event=storm.forged_success(plan), mode="stale")
            for plan in (silent[0], declined[5])
        ),
        Delivery(event=storm.forged_success(declined[3]), mode="no_header"),
        Delivery(event=storm.forged_success(declined[4]), mode="garbage_header"),
        # A real success whose body was changed on the way: its signature no longer fits.
        *(
            Delivery(event=plan.success, mode="tampered")
            for plan in rng.sample(by_category["paid"], 3)
        ),
    ]
    deliveries += bad
    rng.shuffle(deliveries)
    assert len(deliveries) == 1_000

    client = APIClient()
    headers: dict[str, str] = {}
    seen: set[str] = set()
    latencies: list[float] = []
    early_duplicates = 0
    sending = time.monotonic()
    for delivery in deliveries:
        event = delivery.event
        body = event.body
        if delivery.mode == "same":
            header = headers.setdefault(event.id, sign(body))
        elif delivery.mode == "resigned":
            header = sign(body, timestamp=now() - rng.randint(1, 120))
        elif delivery.mode == "wrong_secret":
            header = sign(body, secret="whsec_not_ours")
        elif delivery.mode == "stale":
            header = sign(body, timestamp=now() - 3_600)
        elif delivery.mode == "no_header":
            header = None
        elif delivery.mode == "garbage_header":
            header = "t=abc,v1=00deadbeef"
        else:  # tampered: signed as sent by Stripe, then the amount changed
            header = sign(body)
            body = body.replace(
                f'"amount": {event.payload["data"]["object"]["amount"]},'.encode(),
                b'"amount": 1000,',
            )
            assert body != event.body
        extra = {} if header is None else {"HTTP_STRIPE_SIGNATURE": header}
        t0 = time.perf_counter()
        response = client.post(URL, data=body, content_type="application/json", **extra)
        latencies.append(time.perf_counter() - t0)
        if delivery.mode in ("same", "resigned"):
            assert response.status_code == 200, response.content
            assert response.json() == {
                "received": True,
                "id": event.id,
                "duplicate": event.id in seen,
            }
            if event.id in seen and event.type in HANDLED:
                early_duplicates += StripeEvent.objects.filter(
                    pk=event.id, status="received"
                ).exists()
            seen.add(event.id)
        else:
            assert response.status_code == 400, (delivery.mode, response.content)
            assert response.json()["error"]["code"] == "invalid_signature", delivery.mode
    sent_in = time.monotonic() - sending
    assert seen == {e.id for e in storm.events}
    # The webhook only verifies, stores and enqueues: it answers at once, backlog or not.
    assert statistics.median(latencies) < 0.2, statistics.median(latencies)
    assert max(latencies) < 3.0, max(latencies)

    # -- the worker catches up --------------------------------------------------------------
    paid_plans = [p for p in storm.plans if p.paid]
    paid_shop_orders = ShopOrder.objects.filter(order__in=[p.order for p in paid_plans])

    def settled() -> bool:
        return (
            not StripeEvent.objects.filter(status="received").exists()
            and not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
            and LedgerEntry.objects.filter(kind="sale").count() >= paid_shop_orders.count()
            and StripeRefund.objects.filter(confirmed_at__isnull=False).count() >= len(too_late)
            and not Notification.objects.filter(emailed_at__isnull=True).exists()
        )

    assert wait_for(settled, seconds=DEADLINE_SECONDS), worker_state()
    time.sleep(0.5)  # nothing more may happen: a late second effect would show below
    applied_in = time.monotonic() - sending

    # -- every valid event stored once, applied once; nothing badly signed stored ----------
    stored = {e.id: e for e in StripeEvent.objects.exclude(pk__in=strays.events)}
    assert set(stored) == {e.id for e in storm.events}, [
        (row.id, row.type, row.object_id) for row in stored.values() if row.id not in seen
    ]
    for event in storm.events:
        row = stored[event.id]
        assert row.type == event.type
        assert row.payload == event.payload  # never a tampered body
        assert row.status == ("applied" if event.type in HANDLED else "ignored"), (
            row.id,
            row.type,
            row.status,
            row.last_error,
        )
        assert row.attempts == 1
    apply_rows = OutboxMessage.objects.filter(task=APPLY_TASK).exclude(pk__in=strays.outbox)
    assert apply_rows.count() == VALID_EVENTS
    assert {m.kwargs["event_id"] for m in apply_rows} == set(stored)

    # -- each order where it must be --------------------------------------------------------
    order_ct = ContentType.objects.get_for_model(Order)
    shop_order_ct = ContentType.objects.get_for_model(ShopOrder)
    members = Counter(ShopMember.objects.values_list("shop_id", flat=True))
    applied_at = {e.id: stored[e.id].applied_at for e in storm.events}
    failures_told: Counter[str] = Counter()
    failures_sent: Counter[str] = Counter()
    for plan in storm.plans:
        order = Order.objects.get(pk=plan.order.pk)
        payment = Payment.objects.get(order=order)
        order_status, payment_status, shop_order_status = FINAL[plan.category]
        where = (plan.category, order.pk)
        assert order.status == order_status, where
        assert payment.status == payment_status, where
        assert payment.intent_id == plan.intent_id, where
        shop_orders = list(ShopOrder.objects.filter(order=order))
        assert {so.status for so in shop_orders} == {shop_order_status}, where

        def told(kind, target_ct=order_ct, target_id=order.pk, recipient=order.buyer):
            return Notification.objects.filter(
                recipient=recipient, kind=kind, target_type=target_ct, target_id=str(target_id)
            ).count()

        assert told("order_paid") == (1 if plan.paid else 0), where
        assert OrderEvent.objects.filter(
            order=order, shop_order=None, to_status="paid"
        ).count() == (1 if plan.paid else 0), where
        assert order.paid_at is not None if plan.paid else order.paid_at is None, where
        for so in shop_orders:
            assert Notification.objects.filter(
                kind="shop_order_new", target_type=shop_order_ct, target_id=str(so.pk)
            ).count() == (members[so.shop_id] if plan.paid else 0), where
            sales = LedgerEntry.objects.filter(shop_order=so, kind="sale")
            assert [s.amount for s in sales] == ([so.total] if plan.paid else []), where
            assert LedgerEntry.objects.filter(shop_order=so, kind="commission").count() == (
                1 if plan.paid else 0
            ), where
        assert OutboxMessage.objects.filter(
            task=LEDGER_TASK, dedupe_key=f"ledger-paid:{order.pk}"
        ).count() == (1 if plan.paid else 0), where

        # A decline tells the buyer once, and only while the order still waits for this
        # intent: the (solo) worker applies one event at a time, so `applied_at` says
        # which failures came before the success.
        told_of_failures = 0
        for failure in plan.failures:
            if plan.category == "declined":
                expected = 1
            elif plan.category == "paid_after_failures":
                expected = int(applied_at[failure.id] < applied_at[plan.success.id])
            else:
                expected = 0  # the order had expired (or was paid again) by then
            assert (
                Notification.objects.filter(
                    recipient=order.buyer,
                    kind="payment_failed",
                    dedupe_key=f"payment-failed:{failure.id}",
                ).count()
                == expected
            ), (where, failure.id)
            told_of_failures += expected
        assert told("payment_failed") == told_of_failures, where
        failures_told[plan.category] += told_of_failures
        failures_sent[plan.category] += len(plan.failures)

        refunded = plan.category == "too_late"
        assert told("order_refunded") == (1 if refunded else 0), where
        if refunded:
            assert payment.refunded_amount == order.total, where
            refund = StripeRefund.objects.get(intent_id=plan.intent_id)
            assert (refund.amount, refund.status, refund.order_id) == (
                order.total,
                "succeeded",
                order.pk,
            ), where
            assert refund.confirmed_at is not None
            message = OutboxMessage.objects.get(
                task=REFUND_TASK, dedupe_key=f"refund-whole:{plan.intent_id}"
            )
            assert message.kwargs == {
                "order_id": order.pk,
                "intent_id": plan.intent_id,
                "amount": order.total,
            }
            assert message.sent_at is not None
        else:
            assert payment.refunded_amount == 0, where
    assert sum(p.paid for p in storm.plans) == 48
    assert Notification.objects.filter(kind="order_paid").count() == 48
    assert failures_told["declined"] == failures_sent["declined"]
    assert 0 <= failures_told["paid_after_failures"] <= failures_sent["paid_after_failures"]
    assert Notification.objects.filter(kind="payment_failed").count() == sum(failures_told.values())
    assert LedgerEntry.objects.filter(kind="sale").count() == paid_shop_orders.count()
    assert LedgerEntry.objects.filter(kind="sale").aggregate(total=Sum("amount"))["total"] == sum(
        so.total for so in paid_shop_orders
    )
    # Nothing refunded but the four late payments, each once.
    assert OutboxMessage.objects.filter(task=REFUND_TASK).count() == len(too_late)
    assert StripeRefund.objects.count() == len(too_late)
    assert not LedgerEntry.objects.filter(kind="refund").exists()

    # -- stock: what the paid and still-waiting orders hold, never oversold -----------------
    held = Counter()
    for plan in storm.plans:
        if plan.holds_stock:
            for variant, quantity in plan.items:
                held[variant.pk] += quantity
    for variant in ProductVariant.objects.filter(pk__in=initial):
        assert variant.stock == initial[variant.pk] - held[variant.pk] >= 0, variant.pk
        assert ledger_sum(variant) == variant.stock
    assert {
        pk: stock
        for pk, stock in ProductVariant.objects.filter(
            pk__in=[scarce_a.pk, scarce_b.pk, tight.pk]
        ).values_list("pk", "stock")
    } == {scarce_a.pk: 0, scarce_b.pk: 1, tight.pk: 0}
    # Lines of the expired orders are still on record, their stock given back once.
    assert OrderLine.objects.filter(shop_order__order__in=[p.order for p in too_late]).count() == 5

    # -- what operators must look at: once each ---------------------------------------------
    issues = list(PaymentIssue.objects.exclude(pk__in=strays.issues))
    assert Counter(i.kind for i in issues) == {
        "paid_too_late": 4,
        "amount_mismatch": 1,
        "unknown_intent": 1,
    }
    assert {(i.intent_id, i.order_id, i.amount) for i in issues if i.kind == "paid_too_late"} == {
        (p.intent_id, p.order.pk, p.order.total) for p in too_late
    }
    mismatch_issue = next(i for i in issues if i.kind == "amount_mismatch")
    assert (mismatch_issue.intent_id, mismatch_issue.order_id, mismatch_issue.amount) == (
        mismatch.intent_id,
        mismatch.order.pk,
        mismatch.order.total - 1_000,
    )
    assert mismatch_issue.details["event"] == wrong_amount.id
    unknown_issue = next(i for i in issues if i.kind == "unknown_intent")
    assert (unknown_issue.intent_id, unknown_issue.order_id) == ("pi_nobody_knows", None)
    assert unknown_issue.details["event"] == unknown.id
    assert Notification.objects.filter(recipient=operator, kind="payment_issue").count() == 6

    # -- every notification e-mailed exactly once -------------------------------------------
    assert len(mail.outbox) == Notification.objects.count()
    assert Counter(m.to[0] for m in mail.outbox) == Counter(
        Notification.objects.values_list("recipient__email", flat=True)
    )

    print(
        f"\nstorm: set-up {set_up:.1f}s, 1000 POSTs in {sent_in:.1f}s "
        f"(median {statistics.median(latencies) * 1000:.1f} ms, "
        f"max {max(latencies) * 1000:.0f} ms), all applied after {applied_in:.1f}s; "
        f"{early_duplicates} duplicates arrived before the first was applied; failures told "
        f"{dict(failures_told)} of {dict(failures_sent)}; {len(strays.events)} stray events"
    )


def worker_state() -> dict:
    """What was still outstanding when the deadline passed."""
    return {
        "events": Counter(StripeEvent.objects.values_list("status", flat=True)),
        "unsent": Counter(
            OutboxMessage.objects.filter(sent_at__isnull=True).values_list("task", flat=True)
        ),
        "sales": LedgerEntry.objects.filter(kind="sale").count(),
        "refunds": list(StripeRefund.objects.values_list("intent_id", "status", "confirmed_at")),
        "not_emailed": Notification.objects.filter(emailed_at__isnull=True).count(),
        "failed": list(
            StripeEvent.objects.filter(status="failed").values_list("id", "type", "last_error")
        ),
    }
