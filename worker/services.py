"""Writes of the notification inbox: reading and e-mail preferences.

Creating notifications is `worker.notifications.notify`; the outbox is `worker.outbox`."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from marketplace.core.errors import NotFound
from worker.models import Notification, NotificationKind, NotificationPreference


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of `user`'s notifications read. Reading it again keeps the first
    `read_at` (reading is not a state change that can be refused).

    Raises NotFound when it does not exist or belongs to someone else."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, recipient=user)
            .first()
        )
        if notification is None:
            raise NotFound("Notification not found.", code="notification_not_found")
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_preference_set(*, user, kind: str, email_enabled: bool) -> NotificationPreference:
    """Turn e-mail on or off for one kind of notification (in-app ones always appear).

    Raises NotFound for an unknown kind."""
    if kind not in NotificationKind.values:
        raise NotFound(f"Unknown notification kind {kind!r}.", code="unknown_notification_kind")
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"email_enabled": email_enabled}
    )
    return preference
