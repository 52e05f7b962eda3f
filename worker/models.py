"""The worker layer's tables: the transactional outbox, task receipts (idempotency) and
the notifications people read."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A task to publish to Celery, written in the same transaction as the change that
    needs it. The relay publishes it after commit and stamps `sent_at`; an unsent row is
    work the broker has not yet received. The task stamps `done_at` when it ends: a row
    sent long ago and not done is work the broker lost (a Redis restart forgets what it
    held), which the relay publishes again."""

    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    queue = models.CharField(max_length=64, blank=True)
    # A second enqueue for the same cause writes nothing (see outbox_enqueue).
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The relay leaves a row alone until then after a failed publish (broker down).
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When its task ended (succeeded, or failed for good), as the worker reports it.
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The relay and /healthz only ever look at the unsent rows.
            models.Index(
                fields=["next_attempt_at", "id"],
                name="worker_outbox_unsent_idx",
                condition=Q(sent_at__isnull=True),
            ),
            # The relay's look for sent work that never ended.
            models.Index(
                fields=["sent_at", "id"],
                name="worker_outbox_undone_idx",
                condition=Q(sent_at__isnull=False, done_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"


class TaskReceipt(models.Model):
    """Proof that a task finished its work on one object. Written in the task's own
    transaction, so the effect and the receipt commit together or not at all."""

    key = models.CharField(max_length=255, unique=True)
    task = models.CharField(max_length=200)
    task_id = models.CharField(max_length=255, blank=True)
    completed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key


class NotificationKind(models.TextChoices):
    SHOP_ORDER_NEW = "shop_order_new", _("Đơn hàng mới của cửa hàng")
    ORDER_PLACED = "order_placed", _("Đã đặt hàng")
    ORDER_PAID = "order_paid", _("Đã thanh toán")
    ORDER_SHIPPED = "order_shipped", _("Đang giao hàng")
    ORDER_DELIVERED = "order_delivered", _("Đã giao hàng")
    ORDER_CANCELLED = "order_cancelled", _("Đơn hàng bị huỷ")
    ORDER_REFUNDED = "order_refunded", _("Đã hoàn tiền")
    STOCK_LOW = "stock_low", _("Sắp hết hàng")
    CERTIFICATE_EXPIRING = "certificate_expiring", _("Giấy chứng nhận OCOP sắp hết hạn")
    CERTIFICATE_EXPIRED = "certificate_expired", _("Giấy chứng nhận OCOP đã hết hạn")
    CERTIFICATE_APPROVED = "certificate_approved", _("Giấy chứng nhận OCOP được duyệt")
    CERTIFICATE_REJECTED = "certificate_rejected", _("Giấy chứng nhận OCOP bị từ chối")
    SHOP_APPROVED = "shop_approved", _("Cửa hàng được duyệt")
    SHOP_REJECTED = "shop_rejected", _("Cửa hàng bị từ chối")
    PAYMENT_FAILED = "payment_failed", _("Thanh toán không thành công")
    PAYMENT_ISSUE = "payment_issue", _("Thanh toán cần xử lý")
    PAYOUT_SENT = "payout_sent", _("Đã chuyển tiền cho cửa hàng")
    SHOP_INVITATION = "shop_invitation", _("Lời mời tham gia cửa hàng")


class Notification(models.Model):
    """Something a user should know, shown in the app and (unless turned off) e-mailed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    language = models.CharField(max_length=2)
    title = models.CharField(max_length=255)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    context = models.JSONField(default=dict, blank=True)
    # The cause, as the caller names it: one notification per cause and recipient.
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="worker_notification_once_per_cause"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="worker_notif_inbox_idx"),
            models.Index(
                fields=["recipient", "-created_at"],
                name="worker_notif_unread_idx",
                condition=Q(read_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice for one kind of notification. No row means e-mail is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    email_enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="worker_notif_pref_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} email={'on' if self.email_enabled else 'off'}"
