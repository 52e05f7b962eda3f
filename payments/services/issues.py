"""Money matters an operator must see: raised once per cause, listed in the back
office (`PaymentIssue`) and announced to every operator."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.accounts.models import User
from orders.models import Order
from payments.models import PaymentIssue, PaymentIssueKind
from worker.models import NotificationKind
from worker.notifications import notify


def payment_issue_raise(
    *,
    kind: PaymentIssueKind,
    reference: str,
    order: Order | None = None,
    intent_id: str = "",
    amount: int | None = None,
    details: dict | None = None,
) -> PaymentIssue | None:
    """Flag a money matter for operators, once per (kind, reference); returns None when
    it was raised before. Call it inside the transaction that found it."""
    try:
        with transaction.atomic():
            issue = PaymentIssue.objects.create(
                kind=kind,
                reference=reference,
                order=order,
                intent_id=intent_id,
                amount=amount,
                details=details or {},
            )
    except IntegrityError:
        return None
    operators = User.objects.filter(is_staff=True, is_active=True).order_by("pk")
    for operator in operators:
        notify(
            recipient=operator,
            kind=NotificationKind.PAYMENT_ISSUE,
            context={
                "issue": str(PaymentIssueKind(kind).label),
                "order_number": str(order.pk) if order else "—",
                "amount": amount or 0,
                "link": f"/admin/payments/paymentissue/{issue.pk}/change/",
            },
            target=issue,
            dedupe_key=f"payment-issue:{issue.pk}",
        )
    return issue


def payment_issue_resolve(*, issue_id: int, actor) -> bool:
    """An operator dealt with it. Returns False when it was already resolved."""
    return bool(
        PaymentIssue.objects.filter(pk=issue_id, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=actor
        )
    )
