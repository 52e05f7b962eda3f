from datetime import timedelta

import pytest
from django.utils import timezone

from worker.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"


def make_notification(recipient, *, minutes_ago=0, read=False, kind=NotificationKind.ORDER_PAID):
    created = timezone.now() - timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        language="vi",
        title=f"Thông báo {minutes_ago}",
        body="Nội dung",
        link="/api/v1/orders/1/",
        dedupe_key=f"test:{kind}:{minutes_ago}",
        created_at=created,
        read_at=created if read else None,
    )


def test_lists_only_my_notifications_newest_first(buyer, producer, buyer_client):
    old = make_notification(buyer, minutes_ago=30)
    new = make_notification(buyer, minutes_ago=1)
    middle = make_notification(buyer, minutes_ago=10, read=True)
    make_notification(producer, minutes_ago=0)

    response = buyer_client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [n["id"] for n in body["results"]] == [new.pk, middle.pk, old.pk]
    first = body["results"][0]
    assert first["kind"] == "order_paid"
    assert first["title"] == "Thông báo 1"
    assert first["link"] == "/api/v1/orders/1/"
    assert first["is_read"] is False
    assert first["read_at"] is None


def test_a_notification_links_to_its_object(buyer, producer, buyer_client):
    from django.contrib.contenttypes.models import ContentType

    notification = make_notification(buyer)
    notification.target_type = ContentType.objects.get_for_model(producer)
    notification.target_id = str(producer.pk)
    notification.save()

    item = buyer_client.get(URL).json()["results"][0]

    assert item["target"] == {"type": "user", "id": str(producer.pk)}
    assert item["link"] == "/api/v1/orders/1/"


def test_filters_unread_and_read(buyer, buyer_client):
    unread = make_notification(buyer, minutes_ago=5)
    read = make_notification(buyer, minutes_ago=2, read=True)

    only_unread = buyer_client.get(URL, {"unread": "true"}).json()["results"]
    only_read = buyer_client.get(URL, {"unread": "false"}).json()["results"]

    assert [n["id"] for n in only_unread] == [unread.pk]
    assert [n["id"] for n in only_read] == [read.pk]
    bad = buyer_client.get(URL, {"unread": "perhaps"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "validation_error"


def test_mark_read_then_it_leaves_the_unread_list(buyer, buyer_client):
    notification = make_notification(buyer)

    response = buyer_client.post(f"{URL}{notification.pk}/read/")

    assert response.status_code == 200
    assert response.json()["is_read"] is True
    read_at = response.json()["read_at"]
    assert read_at is not None
    assert buyer_client.get(URL, {"unread": "true"}).json()["count"] == 0
    # Reading again keeps the first time it was read.
    again = buyer_client.post(f"{URL}{notification.pk}/read/")
    assert again.status_code == 200
    assert again.json()["read_at"] == read_at


def test_nobody_reads_or_marks_another_users_notification(buyer, producer, producer_client):
    mine = make_notification(buyer)

    response = producer_client.post(f"{URL}{mine.pk}/read/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "notification_not_found"
    mine.refresh_from_db()
    assert mine.read_at is None
    assert producer_client.get(URL).json()["count"] == 0
    assert producer_client.post(f"{URL}999999/read/").status_code == 404


def test_mark_all_read_touches_only_mine(buyer, producer, buyer_client):
    make_notification(buyer, minutes_ago=1)
    make_notification(buyer, minutes_ago=2)
    make_notification(buyer, minutes_ago=3, read=True)
    theirs = make_notification(producer)

    response = buyer_client.post(f"{URL}read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    assert buyer_client.get(f"{URL}unread-count/").json() == {"unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_email_preferences_per_kind(buyer, buyer_client):
    listed = buyer_client.get(f"{URL}preferences/").json()
    assert {p["kind"] for p in listed} == set(NotificationKind.values)
    assert all(p["email_enabled"] for p in listed)

    response = buyer_client.patch(
        f"{URL}preferences/order_shipped/", {"email_enabled": False}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {
        "kind": "order_shipped",
        "label": "Đang giao hàng",
        "email_enabled": False,
    }
    listed = {p["kind"]: p["email_enabled"] for p in buyer_client.get(f"{URL}preferences/").json()}
    assert listed["order_shipped"] is False
    assert listed["order_paid"] is True
    assert buyer.notification_preferences.get(kind="order_shipped").email_enabled is False


def test_preference_errors(buyer_client):
    unknown = buyer_client.patch(
        f"{URL}preferences/order_lost/", {"email_enabled": False}, format="json"
    )
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "unknown_notification_kind"
    invalid = buyer_client.patch(
        f"{URL}preferences/order_paid/", {"email_enabled": "sometimes"}, format="json"
    )
    assert invalid.status_code == 400
    assert "email_enabled" in invalid.json()["error"]["fields"]


def test_notifications_need_a_signed_in_user(api_client):
    assert api_client.get(URL).status_code == 401
    assert api_client.post(f"{URL}1/read/").status_code == 401


def test_the_list_does_a_fixed_number_of_queries(buyer, buyer_client, django_assert_num_queries):
    for minutes in range(5):
        make_notification(buyer, minutes_ago=minutes)
    # The user (JWT), the count, the page.
    with django_assert_num_queries(3):
        buyer_client.get(URL)


def test_preference_labels_are_in_the_users_language(buyer, buyer_client):
    buyer.language = "en"
    buyer.save()
    labels = {p["kind"]: p["label"] for p in buyer_client.get(f"{URL}preferences/").json()}
    assert labels["stock_low"] == "Low stock"
    assert labels["certificate_expiring"] == "OCOP certificate expiring"
