"""Notifications people read: in the app always, by e-mail unless turned off per kind.

    from worker.notifications import notify
    from worker.models import NotificationKind

    with transaction.atomic():
        ...  # the change that is the cause
        notify(
            recipient=shop.owner,
            kind=NotificationKind.STOCK_LOW,
            context={"shop_name": shop.name, "product_name": product.name,
                     "variant_name": variant.name, "sku": variant.sku, "stock": variant.stock,
                     "link": f"/api/v1/shops/{shop.slug}/products/{product.pk}/"},
            target=variant,
            dedupe_key=f"stock-low:{variant.pk}:{variant.stock}",
        )

`notify` is called inside the cause's transaction. The dedupe_key names the cause: the
same key for the same recipient creates nothing the second time (returns None, sends
nothing), so a task or webhook processed twice notifies once. Title and body are
rendered in the recipient's `language` (vi or en) from
`worker/templates/notifications/<language>/<kind>.txt` (first line: the title; the rest:
the body). The e-mail goes out through the outbox as `worker.tasks.notifications.send_email`
on the `notifications` queue.

Context keys per kind (all required; every kind also takes an optional `link`, the API
path of the object, e.g. "/api/v1/orders/12/"). Amounts are integer đồng, dates ISO
strings ("2026-12-31"), everything JSON-serialisable:

| kind                 | who      | context keys |
|----------------------|----------|--------------|
| shop_order_new       | producer | shop_name, order_number, buyer_name, item_count, total |
| order_placed         | buyer    | order_number, total, shop_count |
| order_paid           | buyer    | order_number, total |
| order_shipped        | buyer    | order_number, shop_name, carrier, tracking_number |
| order_delivered      | buyer    | order_number, shop_name |
| order_cancelled      | buyer    | order_number, shop_name, reason |
| order_refunded       | buyer    | order_number, amount |
| stock_low            | producer | shop_name, product_name, variant_name, sku, stock |
| certificate_expiring | producer | shop_name, product_name, certificate_number, expires_on,
|                      |          | days_left |
| certificate_expired  | producer | shop_name, product_name, certificate_number, expires_on |
| certificate_approved | producer | shop_name, product_name, certificate_number, stars |
| certificate_rejected | producer | shop_name, product_name, certificate_number, reason |
| shop_approved        | producer | shop_name |
| shop_rejected        | producer | shop_name, reason |
| payment_failed       | buyer    | order_number, total, reason |
| payment_issue        | operator | issue, order_number, amount |
| payout_sent          | producer | shop_name, amount, reference |
| shop_invitation      | invitee  | shop_name, inviter_name, token, expires_on |

`order_number` is what the buyer sees as the order's number (its id or code); `reason`
may be an empty string; `shop_name` in order_cancelled may be "" when the whole order is
cancelled.
"""

from __future__ import annotations

import json
import logging
import smtplib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.template import Context, Engine
from django.utils import timezone

from worker.base import RetryableError
from worker.models import Notification, NotificationKind, NotificationPreference
from worker.outbox import outbox_enqueue

logger = logging.getLogger(__name__)

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
SEND_EMAIL_TASK = "worker.tasks.notifications.send_email"

CONTEXT_KEYS: dict[str, tuple[str, ...]] = {
    NotificationKind.SHOP_ORDER_NEW: (
        "shop_name",
        "order_number",
        "buyer_name",
        "item_count",
        "total",
    ),
    NotificationKind.ORDER_PLACED: ("order_number", "total", "shop_count"),
    NotificationKind.ORDER_PAID: ("order_number", "total"),
    NotificationKind.ORDER_SHIPPED: ("order_number", "shop_name", "carrier", "tracking_number"),
    NotificationKind.ORDER_DELIVERED: ("order_number", "shop_name"),
    NotificationKind.ORDER_CANCELLED: ("order_number", "shop_name", "reason"),
    NotificationKind.ORDER_REFUNDED: ("order_number", "amount"),
    NotificationKind.STOCK_LOW: ("shop_name", "product_name", "variant_name", "sku", "stock"),
    NotificationKind.CERTIFICATE_EXPIRING: (
        "shop_name",
        "product_name",
        "certificate_number",
        "expires_on",
        "days_left",
    ),
    NotificationKind.CERTIFICATE_EXPIRED: (
        "shop_name",
        "product_name",
        "certificate_number",
        "expires_on",
    ),
    NotificationKind.CERTIFICATE_APPROVED: (
        "shop_name",
        "product_name",
        "certificate_number",
        "stars",
    ),
    NotificationKind.CERTIFICATE_REJECTED: (
        "shop_name",
        "product_name",
        "certificate_number",
        "reason",
    ),
    NotificationKind.SHOP_APPROVED: ("shop_name",),
    NotificationKind.SHOP_REJECTED: ("shop_name", "reason"),
    NotificationKind.PAYMENT_FAILED: ("order_number", "total", "reason"),
    NotificationKind.PAYMENT_ISSUE: ("issue", "order_number", "amount"),
    NotificationKind.PAYOUT_SENT: ("shop_name", "amount", "reference"),
    NotificationKind.SHOP_INVITATION: ("shop_name", "inviter_name", "token", "expires_on"),
}

# The kinds' names for English readers (the choices' labels are Vietnamese).
KIND_LABELS_EN: dict[str, str] = {
    NotificationKind.SHOP_ORDER_NEW: "New shop order",
    NotificationKind.ORDER_PLACED: "Order placed",
    NotificationKind.ORDER_PAID: "Order paid",
    NotificationKind.ORDER_SHIPPED: "Order shipped",
    NotificationKind.ORDER_DELIVERED: "Order delivered",
    NotificationKind.ORDER_CANCELLED: "Order cancelled",
    NotificationKind.ORDER_REFUNDED: "Order refunded",
    NotificationKind.STOCK_LOW: "Low stock",
    NotificationKind.CERTIFICATE_EXPIRING: "OCOP certificate expiring",
    NotificationKind.CERTIFICATE_EXPIRED: "OCOP certificate expired",
    NotificationKind.CERTIFICATE_APPROVED: "OCOP certificate approved",
    NotificationKind.CERTIFICATE_REJECTED: "OCOP certificate rejected",
    NotificationKind.SHOP_APPROVED: "Shop approved",
    NotificationKind.SHOP_REJECTED: "Shop rejected",
    NotificationKind.PAYMENT_FAILED: "Payment failed",
    NotificationKind.PAYMENT_ISSUE: "Payment needs attention",
    NotificationKind.PAYOUT_SENT: "Payout sent",
    NotificationKind.SHOP_INVITATION: "Invitation to join a shop",
}


def kind_label(*, kind: str, language: str) -> str:
    """The name of a kind of notification, in the reader's language."""
    if language == "en":
        return KIND_LABELS_EN[kind]
    return str(NotificationKind(kind).label)


# Plain text for the app and for e-mail: no HTML escaping of "&" in a shop's name.
_engine = Engine(
    dirs=[Path(__file__).resolve().parent / "templates"],
    autoescape=False,
    libraries={"notify": "worker.templatetags.notify"},
)


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str


def render_notification(*, kind: str, language: str, context: dict) -> Rendered:
    """Title and body of one kind in one language.

    Raises ValueError for an unknown kind or a missing context key."""
    if kind not in CONTEXT_KEYS:
        raise ValueError(f"unknown notification kind {kind!r}")
    missing = [k for k in CONTEXT_KEYS[kind] if k not in context]
    if missing:
        raise ValueError(f"notification {kind!r} needs context keys: {', '.join(missing)}")
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    template = _engine.get_template(f"notifications/{language}/{kind}.txt")
    text = template.render(Context({**context, "language": language}, autoescape=False))
    title, _, body = text.strip().partition("\n")
    return Rendered(title=title.strip(), body=body.strip())


def notify(
    *,
    recipient,
    kind: str,
    context: dict,
    target: models.Model | None = None,
    dedupe_key: str,
) -> Notification | None:
    """Tell `recipient` about `kind` once per `dedupe_key`: an in-app Notification in the
    recipient's language and, unless they turned e-mail off for this kind, an e-mail
    enqueued through the outbox. Call it inside the cause's transaction.

    Returns the new Notification, or None when this cause was already notified.
    Raises ValueError (unknown kind, missing context key) or TypeError (context not
    JSON-serialisable); nothing is written then."""
    kind = str(kind)
    json.dumps(context)
    language = getattr(recipient, "language", DEFAULT_LANGUAGE)
    rendered = render_notification(kind=kind, language=language, context=context)
    if Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists():
        return None
    fields = {
        "recipient": recipient,
        "kind": kind,
        "language": language if language in LANGUAGES else DEFAULT_LANGUAGE,
        "title": rendered.title[:255],
        "body": rendered.body,
        "link": str(context.get("link") or "")[:300],
        "context": context,
        "dedupe_key": dedupe_key,
    }
    if target is not None:
        fields["target_type"] = ContentType.objects.get_for_model(target)
        fields["target_id"] = str(target.pk)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(**fields)
    except IntegrityError:
        # A twin processing the same cause got there first.
        return None
    if recipient.email and email_enabled(user=recipient, kind=kind):
        outbox_enqueue(
            task=SEND_EMAIL_TASK,
            kwargs={"notification_id": notification.pk},
            dedupe_key=f"notification-email:{notification.pk}",
            queue="notifications",
        )
    logger.info(
        "notification created",
        extra={"notification_id": notification.pk, "kind": kind, "user_id": recipient.pk},
    )
    return notification


def email_enabled(*, user, kind: str) -> bool:
    """Whether `user` wants e-mail for `kind` (on unless they turned it off)."""
    preference = NotificationPreference.objects.filter(user=user, kind=kind).first()
    return preference is None or preference.email_enabled


def notification_email_send(*, notification_id: int) -> bool:
    """Send the e-mail of one notification, at most once: the row is locked and stamped
    `emailed_at` in the same transaction as the send. Skips a notification already
    e-mailed, deleted, or whose kind the recipient has since turned off. Returns whether
    an e-mail went out.

    Raises RetryableError when the mail server is unreachable or answers "try later"
    (4xx); other e-mail errors as the backend raises them.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        recipient = notification.recipient
        if not recipient.email or not email_enabled(user=recipient, kind=notification.kind):
            return False
        message = EmailMessage(
            subject=f"[OCOP Market] {notification.title}",
            body=_email_body(notification),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
        )
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as exc:
            raise RetryableError(f"mail server unavailable: {exc}") from exc
        except smtplib.SMTPResponseException as exc:
            # 4xx is the mail server's "try again later"; 5xx is final.
            if 400 <= exc.smtp_code < 500:
                raise RetryableError(f"mail server said try later: {exc.smtp_code}") from exc
            raise
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    logger.info(
        "notification e-mailed",
        extra={"notification_id": notification.pk, "user_id": recipient.pk},
    )
    return True


def _email_body(notification: Notification) -> str:
    template = _engine.get_template(f"notifications/{notification.language}/_email.txt")
    link = f"{settings.SITE_URL.rstrip('/')}{notification.link}" if notification.link else ""
    return template.render(
        Context(
            {
                "full_name": notification.recipient.full_name,
                "body": notification.body,
                "link": link,
                "kind_label": kind_label(kind=notification.kind, language=notification.language),
            },
            autoescape=False,
        )
    ).strip()
