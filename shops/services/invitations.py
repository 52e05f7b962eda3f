"""A shop's team grows by invitation: the owner invites an e-mail address, the invitee
accepts while signed in with that address, and only then becomes a member.

Nothing the owner sees depends on whether the address has an account (the answer to an
invitation is the same, and the request never looks accounts up): whether to tell the
invitee in the app and by e-mail, or by e-mail alone, is decided by the worker
(`shop_invitation_deliver`). Only a hash of the token is stored; the token itself
travels to the invitee alone.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status as http

from marketplace.accounts.models import User
from marketplace.core.clock import MARKET_TZ
from marketplace.core.errors import Conflict, DomainError, InvalidInput, NotFound
from shops.models import Shop, ShopInvitation, ShopMember, ShopMemberRole
from shops.services.common import NotAllowed
from shops.services.effects import task_enqueue
from worker.base import RetryableError
from worker.models import NotificationKind
from worker.notifications import notify, render_notification

logger = logging.getLogger(__name__)

INVITATION_VALID_FOR = datetime.timedelta(days=7)
# An owner's invitations are e-mails to addresses we do not know: a cap per shop and day
# keeps a throwaway shop from using the marketplace to send mail to strangers.
INVITATIONS_PER_SHOP_PER_DAY = 20
DELIVER_TASK = "shops.tasks.deliver_invitation"
# Roles an invitation may carry: a shop has exactly one owner, who is never invited.
INVITABLE_ROLES = (ShopMemberRole.STAFF,)


class TooManyInvitations(DomainError):
    status_code = http.HTTP_429_TOO_MANY_REQUESTS
    code = "too_many_invitations"
    message = "This shop has sent too many invitations today; try again tomorrow."


def invitation_token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256, hex. Tokens are 256 random bits, so a
    plain hash (no salt, no stretching) is enough to make a leaked table useless."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_status(invitation: ShopInvitation, *, now: datetime.datetime | None = None) -> str:
    """`accepted`, `revoked`, `expired` or `pending`."""
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= (now or timezone.now()):
        return "expired"
    return "pending"


def _owner_check(*, shop: Shop, actor: User) -> None:
    if not ShopMember.objects.filter(shop=shop, user=actor, role=ShopMemberRole.OWNER).exists():
        raise NotAllowed("Only the shop's owner manages its team.", code="owner_only")


def shop_invitation_create(
    *,
    shop: Shop,
    actor: User,
    email: str,
    role: str = ShopMemberRole.STAFF,
    now: datetime.datetime | None = None,
) -> ShopInvitation:
    """The owner invites an e-mail address to join the shop's staff. A new invitation
    to the same address replaces (revokes) the open one. The invitee is told after
    commit, by the worker. Nobody is made a member here.

    Raises NotAllowed `owner_only`, InvalidInput `invalid_role`, Conflict
    `already_member` (the address is one of the shop's own members), TooManyInvitations
    (429)."""
    _owner_check(shop=shop, actor=actor)
    if role not in INVITABLE_ROLES:
        raise InvalidInput(
            "A shop has one owner; invite staff.",
            code="invalid_role",
            fields={"role": ["Must be staff."]},
        )
    email = (email or "").strip()
    now = now or timezone.now()
    with transaction.atomic():
        # One invitation of a shop at a time: the daily cap and the replacement of an
        # open invitation then need no retry loop.
        Shop.objects.select_for_update().filter(pk=shop.pk).first()
        if ShopMember.objects.filter(shop=shop, user__email__iexact=email).exists():
            raise Conflict(
                "This address is already a member of the shop.",
                code="already_member",
                fields={"email": ["Already a member."]},
            )
        sent_today = ShopInvitation.objects.filter(
            shop=shop, created_at__gt=now - datetime.timedelta(days=1)
        ).count()
        if sent_today >= INVITATIONS_PER_SHOP_PER_DAY:
            raise TooManyInvitations()
        ShopInvitation.objects.filter(
            shop=shop, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        token = secrets.token_urlsafe(32)
        invitation = ShopInvitation.objects.create(
            shop=shop,
            email=email,
            role=role,
            token_hash=invitation_token_hash(token),
            invited_by=actor,
            expires_at=now + INVITATION_VALID_FOR,
        )
        # The token rides in the task's arguments only until the worker has told the
        # invitee (sent outbox rows are purged after a week, when it has expired anyway).
        task_enqueue(
            task=DELIVER_TASK,
            kwargs={"invitation_id": invitation.pk, "token": token},
            dedupe_key=f"shop-invitation:{invitation.pk}",
        )
    logger.info(
        "shop invitation created",
        extra={"invitation_id": invitation.pk, "shop_id": shop.pk, "user_id": actor.pk},
    )
    return invitation


def shop_invitation_revoke(*, shop: Shop, actor: User, invitation_id: int) -> ShopInvitation:
    """The owner withdraws an invitation not yet accepted (revoking twice is harmless).

    Raises NotAllowed `owner_only`, NotFound `invitation_not_found`, Conflict
    `invitation_accepted` (remove the member instead)."""
    _owner_check(shop=shop, actor=actor)
    with transaction.atomic():
        invitation = (
            ShopInvitation.objects.select_for_update().filter(shop=shop, pk=invitation_id).first()
        )
        if invitation is None:
            raise NotFound("No such invitation in this shop.", code="invitation_not_found")
        if invitation.accepted_at is not None:
            raise Conflict(
                "This invitation was accepted; remove the member instead.",
                code="invitation_accepted",
            )
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
        return invitation


def shop_invitation_accept(
    *, user: User, token: str, now: datetime.datetime | None = None
) -> ShopMember:
    """The invitee, signed in with the invited address, accepts: they become a member
    with the invitation's role.

    Raises NotFound `invitation_not_found` for a wrong, expired, revoked or already
    accepted token and for any other account (the same answer, so that a token says
    nothing to whoever else holds it); Conflict `already_member`."""
    now = now or timezone.now()
    token_hash = invitation_token_hash(token or "")
    with transaction.atomic():
        invitation = (
            ShopInvitation.objects.select_for_update(of=("self",))
            .select_related("shop")
            .filter(token_hash=token_hash)
            .first()
        )
        if (
            invitation is None
            or invitation_status(invitation, now=now) != "pending"
            or not user.is_active
            or invitation.email.casefold() != user.email.casefold()
        ):
            raise NotFound("No such invitation.", code="invitation_not_found")
        try:
            with transaction.atomic():
                member = ShopMember.objects.create(
                    shop=invitation.shop, user=user, role=invitation.role
                )
        except IntegrityError as exc:
            raise Conflict("Already a member of this shop.", code="already_member") from exc
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
    logger.info(
        "shop invitation accepted",
        extra={"invitation_id": invitation.pk, "shop_id": invitation.shop_id, "user_id": user.pk},
    )
    return member


def _context(invitation: ShopInvitation, token: str) -> dict:
    inviter = invitation.invited_by
    return {
        "shop_name": invitation.shop.name,
        "inviter_name": (inviter.full_name or inviter.email) if inviter else invitation.shop.name,
        "token": token,
        "expires_on": invitation.expires_at.astimezone(MARKET_TZ).date().isoformat(),
    }


def _email_to_address(*, to: str, context: dict) -> None:
    """The invitation to an address without an account: Vietnamese, then English (we
    know nothing of the reader's language)."""
    parts = [
        render_notification(kind=NotificationKind.SHOP_INVITATION, language=lang, context=context)
        for lang in ("vi", "en")
    ]
    message = EmailMessage(
        subject=f"[OCOP Market] {parts[0].title} / {parts[1].title}",
        body="\n\n--\n\n".join(f"{p.title}\n\n{p.body}" for p in parts),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
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


def shop_invitation_deliver(*, invitation_id: int, token: str) -> bool:
    """Tell the invitee, at most once: an account with the invited address gets a
    notification (in the app, and by e-mail unless turned off); any other address an
    e-mail. An invitation accepted, revoked or expired meanwhile is not sent. The row is
    locked and stamped `sent_at` in the same transaction as the send. Returns whether
    the invitee was told.

    Raises RetryableError when the mail server is unreachable or says "try later"."""
    with transaction.atomic():
        invitation = (
            ShopInvitation.objects.select_for_update(of=("self",))
            .select_related("shop", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if (
            invitation is None
            or invitation.sent_at is not None
            or invitation_status(invitation) != "pending"
            or invitation.token_hash != invitation_token_hash(token)
        ):
            return False
        context = _context(invitation, token)
        invitee = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
        if invitee is not None:
            notify(
                recipient=invitee,
                kind=NotificationKind.SHOP_INVITATION,
                context=context,
                target=invitation,
                dedupe_key=f"shop_invitation:i{invitation.pk}",
            )
        else:
            _email_to_address(to=invitation.email, context=context)
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True
