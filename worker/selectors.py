"""Reads of the notification inbox."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from worker.models import Notification, NotificationKind, NotificationPreference
from worker.notifications import kind_label


def notifications_for(*, user, unread: bool | None = None) -> QuerySet[Notification]:
    """`user`'s own notifications, newest first; `unread=True` only unread, False only read."""
    notifications = Notification.objects.filter(recipient=user).select_related("target_type")
    if unread is True:
        notifications = notifications.filter(read_at__isnull=True)
    elif unread is False:
        notifications = notifications.filter(read_at__isnull=False)
    return notifications.order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class KindPreference:
    kind: str
    label: str
    email_enabled: bool


def preferences_for(*, user) -> list[KindPreference]:
    """Every kind with whether `user` gets it by e-mail (on unless turned off)."""
    chosen = dict(
        NotificationPreference.objects.filter(user=user).values_list("kind", "email_enabled")
    )
    language = getattr(user, "language", "vi")
    return [
        KindPreference(
            kind=kind.value,
            label=kind_label(kind=kind, language=language),
            email_enabled=chosen.get(kind, True),
        )
        for kind in NotificationKind
    ]
