"""`models_insert` writes what the ORM would write: the same rows as `bulk_create` for
the same instances, whatever the field types and the values' Python types."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from marketplace.core.db import models_insert, models_insert_together
from marketplace.regions.models import Province, Ward
from orders.models import Order, OrderStatus, Payment, PaymentMethod
from tests.accounts.factories import UserFactory
from worker.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _order(buyer, **values) -> Order:
    province = Province.objects.get(code="40")
    ward = Ward.objects.filter(province=province).order_by("code").first()
    fields = {
        "buyer": buyer,
        "status": OrderStatus.CONFIRMED,  # an enum member, stored as its value
        "payment_method": PaymentMethod.COD,
        "subtotal": 120_000,
        "shipping_total": 30_000,
        "total": 150_000,
        "shipping_full_name": "Nguyễn Thị Lan",
        "shipping_phone": "0987654321",
        "shipping_province": province,  # a foreign key to a text primary key
        "shipping_ward": ward,
        "shipping_line1": "12 Lê Lợi",
        "reserved_until": None,
        **values,
    }
    return Order(**fields)


def _row(model, pk) -> dict:
    row = model.objects.filter(pk=pk).values().get()
    return {k: v for k, v in row.items() if k not in {"id", "created_at", "updated_at"}}


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"reserved_until": timezone.now() + datetime.timedelta(minutes=30)},
        # Values of other types than the column's, which the fields convert.
        {"subtotal": True, "shipping_total": 149_999, "total": 150_000},
        {"subtotal": "120000", "shipping_phone": 987654321},
    ],
    ids=["plain", "aware-datetime", "bool-as-int", "text-and-int"],
)
def test_an_insert_writes_the_row_bulk_create_writes(values):
    buyer = UserFactory()
    ours, theirs = _order(buyer, **values), _order(buyer, **values)
    before = timezone.now()
    models_insert([ours])
    Order.objects.bulk_create([theirs])
    assert ours.pk is not None and ours.pk != theirs.pk
    assert _row(Order, ours.pk) == _row(Order, theirs.pk)
    written = Order.objects.get(pk=ours.pk)
    assert written.status == "confirmed"
    assert written.created_at >= before  # auto_now_add filled as the ORM fills it
    assert ours.created_at == written.created_at


def test_json_and_several_rows_are_written_in_one_statement(django_assert_num_queries):
    due = timezone.now()
    messages = [
        OutboxMessage(
            task="orders.tasks.order_placed_notify", kwargs={"order_id": n}, next_attempt_at=due
        )
        for n in range(3)
    ]
    with django_assert_num_queries(1):
        models_insert(messages)
    assert [m.kwargs for m in OutboxMessage.objects.order_by("pk")] == [
        {"order_id": 0},
        {"order_id": 1},
        {"order_id": 2},
    ]
    assert len({m.pk for m in messages}) == 3


def test_several_models_together_get_each_its_own_row(django_assert_num_queries):
    """An order, its payment and two outbox rows: in one statement, with the order's id
    reserved beforehand as the checkout's idempotency claim does. Every instance gets
    the id of the row written from it."""
    buyer = UserFactory()
    order = _order(buyer)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('orders_order', 'id'))")
        order.pk = cursor.fetchone()[0]
    payment = Payment(order=order, provider="cod", amount=150_000)
    due = timezone.now()
    messages = [
        OutboxMessage(task=f"task.{n}", kwargs={"n": n}, next_attempt_at=due) for n in range(2)
    ]
    with django_assert_num_queries(1):
        models_insert_together(([order], True), ([payment], False), (messages, False))
    assert order.pk is not None
    assert Payment.objects.get(pk=payment.pk).order_id == order.pk == payment.order_id
    assert Order.objects.get(pk=order.pk).total == 150_000
    assert [OutboxMessage.objects.get(pk=m.pk).kwargs for m in messages] == [{"n": 0}, {"n": 1}]
