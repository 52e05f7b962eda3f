"""Side effects of shop services: background tasks through the outbox, notifications.

Both are written inside the caller's transaction, so they happen if and only if it
commits (worker.outbox relays them after commit, durably, once per dedupe key).
"""

from __future__ import annotations

from shops.models import ShopMember
from worker.notifications import notify
from worker.outbox import outbox_enqueue


def task_enqueue(*, task: str, kwargs: dict, dedupe_key: str | None = None) -> None:
    outbox_enqueue(task=task, kwargs=kwargs, dedupe_key=dedupe_key)


def shop_notify(*, shop, kind: str, context: dict, target=None, dedupe_key: str) -> None:
    """Tell the shop's owner (and staff, who act on stock and certificates too)."""
    memberships = ShopMember.objects.filter(shop=shop).select_related("user").order_by("pk")
    for membership in memberships:
        notify(
            recipient=membership.user,
            kind=kind,
            context={"shop_name": shop.name, "shop_slug": shop.slug, **context},
            target=target,
            dedupe_key=f"{dedupe_key}:u{membership.user_id}",
        )
