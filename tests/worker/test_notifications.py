import smtplib

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import transaction

from tests.accounts.factories import UserFactory
from worker.models import Notification, NotificationKind, NotificationPreference, OutboxMessage
from worker.notifications import CONTEXT_KEYS, KIND_LABELS_EN, notify, render_notification

pytestmark = pytest.mark.django_db

# A cause of each kind, as the shops/orders/payments services describe it.
SAMPLE_CONTEXT = {
    "shop_order_new": {
        "shop_name": "HTX Nước mắm Cửa Hội",
        "order_number": 1042,
        "buyer_name": "Nguyễn Thị Lan",
        "item_count": 3,
        "total": 450000,
    },
    "order_placed": {"order_number": 1042, "total": 1250000, "shop_count": 2},
    "order_paid": {"order_number": 1042, "total": 1250000},
    "order_shipped": {
        "order_number": 1042,
        "shop_name": "Chè Tân Cương",
        "carrier": "GHN",
        "tracking_number": "GHN123456VN",
    },
    "order_delivered": {"order_number": 1042, "shop_name": "Chè Tân Cương"},
    "order_cancelled": {
        "order_number": 1042,
        "shop_name": "Chè Tân Cương",
        "reason": "Hết hàng",
    },
    "order_refunded": {"order_number": 1042, "amount": 320000},
    "stock_low": {
        "shop_name": "Mật ong Bản Hồ",
        "product_name": "Mật ong hoa rừng",
        "variant_name": "Chai 500 ml",
        "sku": "MO-500",
        "stock": 3,
    },
    "certificate_expiring": {
        "shop_name": "Mật ong Bản Hồ",
        "product_name": "Mật ong hoa rừng",
        "certificate_number": "123/QĐ-UBND",
        "expires_on": "2026-12-31",
        "days_left": 30,
    },
    "certificate_expired": {
        "shop_name": "Mật ong Bản Hồ",
        "product_name": "Mật ong hoa rừng",
        "certificate_number": "123/QĐ-UBND",
        "expires_on": "2026-12-31",
    },
    "certificate_approved": {
        "shop_name": "Mật ong Bản Hồ",
        "product_name": "Mật ong hoa rừng",
        "certificate_number": "123/QĐ-UBND",
        "stars": 4,
    },
    "certificate_rejected": {
        "shop_name": "Mật ong Bản Hồ",
        "product_name": "Mật ong hoa rừng",
        "certificate_number": "123/QĐ-UBND",
        "reason": "Bản scan không đọc được",
    },
    "shop_approved": {"shop_name": "Gạo ST25 & Ông Cua"},
    "shop_rejected": {"shop_name": "Gạo ST25 & Ông Cua", "reason": "Mã số thuế không khớp"},
    "payment_failed": {"order_number": 1042, "total": 1250000, "reason": "Thẻ bị từ chối"},
    "payment_issue": {"issue": "Số tiền không khớp", "order_number": 1042, "amount": 1250000},
    "payout_sent": {"shop_name": "Gạo ST25 & Ông Cua", "amount": 4180000, "reference": "PO-1"},
    "shop_invitation": {
        "shop_name": "Gạo ST25 & Ông Cua",
        "inviter_name": "Trần Văn Hùng",
        "token": "k3y-Of-the-1nvitation",
        "expires_on": "2026-12-31",
    },
}

# What a reader must see in each language, beyond the names passed in.
EXPECTED_TEXT = {
    ("order_paid", "vi"): ["1.250.000", "₫", "đã được thanh toán"],
    ("order_paid", "en"): ["₫1,250,000", "is paid"],
    ("order_refunded", "vi"): ["320.000", "hoàn"],
    ("order_refunded", "en"): ["₫320,000", "Refund"],
    ("certificate_expiring", "vi"): ["31/12/2026", "30 ngày"],
    ("certificate_expiring", "en"): ["31 Dec 2026", "30 day"],
    ("stock_low", "vi"): ["Sắp hết hàng", "còn 3"],
    ("stock_low", "en"): ["Low stock", "only 3"],
    ("payout_sent", "vi"): ["4.180.000", "PO-1"],
    ("payout_sent", "en"): ["₫4,180,000", "PO-1"],
    ("shop_invitation", "vi"): ["Trần Văn Hùng", "k3y-Of-the-1nvitation", "31/12/2026"],
    ("shop_invitation", "en"): ["Trần Văn Hùng", "k3y-Of-the-1nvitation", "31 Dec 2026"],
}


def test_every_kind_has_documented_keys_and_a_sample():
    assert set(CONTEXT_KEYS) == set(NotificationKind.values)
    assert set(KIND_LABELS_EN) == set(NotificationKind.values)
    for kind, keys in CONTEXT_KEYS.items():
        assert set(SAMPLE_CONTEXT[kind]) == set(keys), kind


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("kind", NotificationKind.values)
def test_each_kind_renders_in_each_language(kind, language):
    context = SAMPLE_CONTEXT[kind]
    rendered = render_notification(kind=kind, language=language, context=context)
    other = render_notification(
        kind=kind, language="en" if language == "vi" else "vi", context=context
    )
    assert rendered.title and rendered.body
    assert "\n" not in rendered.title
    assert "{" not in rendered.title + rendered.body
    # Plain text: a shop called "Gạo ST25 & Ông Cua" is not HTML-escaped.
    assert "&amp;" not in rendered.title + rendered.body
    assert rendered.title != other.title and rendered.body != other.body
    text = f"{rendered.title}\n{rendered.body}"
    for key in ("shop_name", "product_name", "certificate_number", "order_number", "reason"):
        if key in context:
            assert str(context[key]) in text, key
    for expected in EXPECTED_TEXT.get((kind, language), []):
        assert expected in text


def test_a_missing_context_key_is_refused_and_nothing_is_written(buyer):
    with pytest.raises(ValueError, match="total"):
        notify(
            recipient=buyer,
            kind=NotificationKind.ORDER_PAID,
            context={"order_number": 7},
            dedupe_key="order-paid:7",
        )
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify(recipient=buyer, kind="order_lost", context={}, dedupe_key="x")
    with pytest.raises(TypeError):
        notify(
            recipient=buyer,
            kind=NotificationKind.SHOP_APPROVED,
            context={"shop_name": object()},
            dedupe_key="y",
        )
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()


def _paid(recipient, *, order_number=12, dedupe_key="order-paid:12", target=None):
    return notify(
        recipient=recipient,
        kind=NotificationKind.ORDER_PAID,
        context={
            "order_number": order_number,
            "total": 150000,
            "link": f"/api/v1/orders/{order_number}/",
        },
        target=target,
        dedupe_key=dedupe_key,
    )


def test_a_cause_processed_twice_notifies_once(buyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            first = _paid(buyer)
        with transaction.atomic():
            second = _paid(buyer)
    assert first is not None
    assert second is None
    assert Notification.objects.filter(recipient=buyer).count() == 1
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.count() == 1


def test_the_same_cause_reaches_each_recipient_once(buyer, producer):
    assert _paid(buyer) is not None
    assert _paid(producer) is not None
    assert _paid(producer) is None
    assert Notification.objects.count() == 2


def test_the_notification_is_in_the_recipients_language_in_app_and_by_email(
    django_capture_on_commit_callbacks,
):
    english = UserFactory(language="en", full_name="Jane Miller", email="jane@example.com")
    vietnamese = UserFactory(language="vi", full_name="Phạm Thu Hà", email="ha@example.vn")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        in_english = _paid(english, target=vietnamese)
        in_vietnamese = _paid(vietnamese)
    assert in_english.title == "Order #12 is paid"
    assert in_english.language == "en"
    assert in_english.link == "/api/v1/orders/12/"
    assert in_english.target == vietnamese
    assert in_vietnamese.title == "Đơn hàng #12 đã được thanh toán"
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["jane@example.com"].subject == "[OCOP Market] Order #12 is paid"
    assert "Hello Jane Miller" in by_address["jane@example.com"].body
    assert '"Order paid" notifications' in by_address["jane@example.com"].body
    assert 'thông báo "Đã thanh toán"' in by_address["ha@example.vn"].body
    assert "http://127.0.0.1:8000/api/v1/orders/12/" in by_address["jane@example.com"].body
    assert "Xin chào Phạm Thu Hà" in by_address["ha@example.vn"].body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_email_turned_off_for_a_kind_still_shows_in_app(buyer, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(
        user=buyer, kind=NotificationKind.ORDER_PAID, email_enabled=False
    )
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        paid = _paid(buyer)
        shipped = notify(
            recipient=buyer,
            kind=NotificationKind.ORDER_SHIPPED,
            context=SAMPLE_CONTEXT["order_shipped"],
            dedupe_key="order-shipped:1042",
        )
    assert paid is not None and shipped is not None
    assert [message.subject for message in mail.outbox] == [f"[OCOP Market] {shipped.title}"]
    assert OutboxMessage.objects.count() == 1


def test_nothing_is_sent_before_commit_nor_after_a_rollback(
    buyer, django_capture_on_commit_callbacks
):
    class CauseFailed(Exception):
        """The cause of the notification fails after notify() ran."""

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(CauseFailed),
        transaction.atomic(),
    ):
        _paid(buyer)
        assert mail.outbox == []
        raise CauseFailed
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_email_is_sent_once_even_when_its_task_runs_twice(
    buyer, django_capture_on_commit_callbacks
):
    from worker.tasks.notifications import send_email

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notification = _paid(buyer)
    assert len(mail.outbox) == 1
    assert send_email.apply(kwargs={"notification_id": notification.pk}).get() is False
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twins_processing_the_same_cause_at_once_notify_once():
    import threading

    from django.db import connection

    recipient = UserFactory()
    results = []
    start = threading.Barrier(4)

    def process_cause():
        try:
            start.wait()
            with transaction.atomic():
                results.append(_paid(recipient))
        finally:
            connection.close()

    threads = [threading.Thread(target=process_cause) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)

    assert len(results) == 4
    assert sum(result is not None for result in results) == 1
    assert Notification.objects.filter(recipient=recipient).count() == 1
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


class FlakyMailServer(locmem.EmailBackend):
    """The mail server is the one thing here that leaves the machine: it hangs up twice,
    then answers "try later" once, then takes the message."""

    failures = [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPResponseException(451, b"4.7.1 Try again later"),
    ]

    def send_messages(self, messages):
        if self.failures:
            raise self.failures.pop(0)
        return super().send_messages(messages)


class RefusingMailServer(locmem.EmailBackend):
    calls = 0

    def send_messages(self, messages):
        RefusingMailServer.calls += 1
        raise smtplib.SMTPRecipientsRefused({"x@example.vn": (550, b"No such user")})


@pytest.fixture
def eager_retries():
    from worker.celery import app

    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    try:
        yield
    finally:
        app.conf.task_eager_propagates = saved


def test_an_unavailable_mail_server_is_retried_until_the_email_goes_out(
    buyer, settings, eager_retries
):
    from worker.tasks.notifications import send_email

    settings.EMAIL_BACKEND = f"{__name__}.FlakyMailServer"
    notification = _paid(buyer)

    result = send_email.apply(kwargs={"notification_id": notification.pk})

    assert result.get() is True
    assert len(mail.outbox) == 1
    assert FlakyMailServer.failures == []
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_refused_email_is_not_retried(buyer, settings, eager_retries):
    from worker.tasks.notifications import send_email

    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailServer"
    notification = _paid(buyer)

    result = send_email.apply(kwargs={"notification_id": notification.pk})

    assert result.failed()
    assert RefusingMailServer.calls == 1
    notification.refresh_from_db()
    assert notification.emailed_at is None
