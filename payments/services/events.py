"""Stripe's events: received by the webhook (verified, stored under their own id,
handed to the worker through the outbox) and applied once by the worker, whatever the
order or number of deliveries. Reconciliation stores what it learns from Stripe as
events of its own and applies them through the same code."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.core.errors import DomainError, InvalidInput
from payments import gateway
from payments.models import StripeEvent, StripeEventStatus
from payments.services import handlers
from payments.services.tax import WithholdingRateMissing
from worker.outbox import outbox_enqueue

logger = logging.getLogger(__name__)

APPLY_TASK = "payments.tasks.stripe_event_apply"

# What each event type does; any other type is stored and acknowledged.
EVENT_HANDLERS: dict[str, Callable[..., Any]] = {
    "payment_intent.succeeded": handlers.intent_succeeded,
    "payment_intent.payment_failed": handlers.intent_payment_failed,
    "payment_intent.canceled": handlers.intent_canceled,
    "charge.refunded": handlers.charge_refunded,
    "charge.refund.updated": handlers.refund_updated,
    "charge.dispute.created": handlers.dispute_created,
    "charge.dispute.closed": handlers.dispute_closed,
}

# A payload that is not what its type promises is a final failure for an operator to
# look at, not something a retry fixes.
_FINAL_ERRORS = (
    DomainError,
    ObjectDoesNotExist,
    KeyError,
    TypeError,
    ValueError,
    WithholdingRateMissing,
)


class InvalidSignature(InvalidInput):
    code = "invalid_signature"
    message = "The Stripe-Signature header does not match this payload."


def stripe_event_receive(*, payload: bytes, signature: str | None) -> tuple[StripeEvent, bool]:
    """The webhook's whole job: verify Stripe's signature on the raw body, then store
    the event and enqueue its application in one transaction. Returns (event, created);
    a second delivery of the same id is (the stored event, False) and enqueues nothing.

    Raises InvalidSignature (nothing stored), InvalidInput `invalid_event`."""
    try:
        data = gateway.webhook_payload_verify(payload=payload, signature=signature)
    except gateway.WebhookSignatureInvalid as exc:
        raise InvalidSignature(extra={"reason": str(exc)[:200]}) from None
    event_id, event_type = data.get("id"), data.get("type")
    obj = (data.get("data") or {}).get("object") if isinstance(data.get("data"), dict) else None
    if not (
        isinstance(event_id, str)
        and 0 < len(event_id) <= 255
        and isinstance(event_type, str)
        and 0 < len(event_type) <= 100
        and isinstance(obj, dict)
    ):
        raise InvalidInput("Not a Stripe event.", code="invalid_event")
    return stripe_event_store(event_id=event_id, event_type=event_type, payload=data)


def stripe_event_store(
    *, event_id: str, event_type: str, payload: dict, source: str = "webhook"
) -> tuple[StripeEvent, bool]:
    """Store an event under its id together with the outbox row that applies it, in
    one transaction of two inserts; an id already stored makes it fail on the primary
    key, and the stored event is answered instead (nothing enqueued)."""
    obj = payload["data"]["object"]
    object_id = obj.get("id") if isinstance(obj.get("id"), str) else ""
    event = StripeEvent(
        id=event_id,
        type=event_type,
        payload=payload,
        object_id=object_id[:255],
        source=source,
        status=StripeEventStatus.RECEIVED,
        attempts=0,
        last_error="",
        received_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            event.save(force_insert=True)
            outbox_enqueue(task=APPLY_TASK, kwargs={"event_id": event_id})
    except IntegrityError:
        return StripeEvent.objects.get(pk=event_id), False
    return event, True


def stripe_event_apply(*, event_id: str) -> str:
    """Apply one stored event, once: the event row is locked, its effects and its new
    status commit together, so a second run (a redelivered task, a replay) finds it
    applied. Returns the event's status. A transient error (database, Stripe
    unreachable) rolls everything back and is raised for the task to retry; a payload
    that cannot be applied marks the event failed for operators."""
    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None:
            return "missing"
        if event.status in (StripeEventStatus.APPLIED, StripeEventStatus.IGNORED):
            return event.status
        event.attempts += 1
        handler = EVENT_HANDLERS.get(event.type)
        if handler is None:
            event.status = StripeEventStatus.IGNORED
        else:
            try:
                with transaction.atomic():
                    handler(event.payload["data"]["object"], cause=event.id)
            except _FINAL_ERRORS as exc:
                logger.warning(
                    "stripe event not applied",
                    extra={"event_id": event.id, "event_type": event.type, "error": str(exc)},
                )
                event.status = StripeEventStatus.FAILED
                event.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            else:
                event.status = StripeEventStatus.APPLIED
                event.last_error = ""
        event.applied_at = timezone.now()
        event.save(update_fields=["status", "attempts", "last_error", "applied_at"])
    return event.status


def stripe_event_replay(*, event_id: str) -> bool:
    """An operator asks for a failed or unapplied event to be applied again (after
    fixing what made it fail). Returns False for an event already applied."""
    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None or event.status in (
            StripeEventStatus.APPLIED,
            StripeEventStatus.IGNORED,
        ):
            return False
        event.status = StripeEventStatus.RECEIVED
        event.save(update_fields=["status"])
        outbox_enqueue(
            task=APPLY_TASK,
            kwargs={"event_id": event.id},
            dedupe_key=f"stripe-event:{event.id}:replay:{event.attempts}",
        )
    return True
