"""Refresh tokens: each works once, and all of a user's can be revoked at once.

simplejwt's blacklist app records every refresh token issued (`OutstandingToken`) and
the revoked ones (`BlacklistedToken`); a refresh token on the blacklist is refused
wherever it is presented. Access tokens are short-lived and not listed: they lapse on
their own, and an inactive or deleted user's are refused by the authentication.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from rest_framework import status
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from marketplace.accounts.models import User
from marketplace.core.db import BIGINT_MAX
from marketplace.core.errors import DomainError


class AccountUnavailable(DomainError):
    """The token's account was deleted or deactivated."""

    status_code = status.HTTP_401_UNAUTHORIZED
    code = "no_active_account"
    message = "No active account found for the given token."


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


def refresh_rotate(*, raw: str) -> TokenPair:
    """Trade a refresh token for a new access token and a new refresh token. The one
    presented is revoked in the same transaction: a stolen copy used after its owner
    refreshed, or the owner's copy after the thief did, is refused, and of two requests
    racing with one token only one wins.

    Raises TokenError (malformed, expired, not a refresh token, or already revoked) and
    AccountUnavailable (its user was deleted or deactivated)."""
    refresh = RefreshToken(raw)
    user = _token_user(refresh)
    jti = refresh[api_settings.JTI_CLAIM]
    with transaction.atomic():
        outstanding, _ = OutstandingToken.objects.get_or_create(
            jti=jti,
            defaults={
                "user": user,
                "token": raw,
                "created_at": refresh.current_time,
                "expires_at": datetime_from_epoch(refresh["exp"]),
            },
        )
        _, revoked_now = BlacklistedToken.objects.get_or_create(token=outstanding)
        if not revoked_now:
            raise TokenError("Token is blacklisted")
        new = RefreshToken.for_user(user)
    return TokenPair(access=str(new.access_token), refresh=str(new))


def user_tokens_revoke(*, user: User) -> int:
    """Revoke every refresh token `user` holds (a password change, a deactivation): the
    next refresh with any of them is refused. Returns how many were revoked."""
    live = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    revoked = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in live], ignore_conflicts=True
    )
    return len(revoked)


def expired_tokens_purge() -> int:
    """Forget refresh tokens past their expiry (refused by their signature's `exp`
    anyway), with their revocations. Returns how many tokens went."""
    _, deleted = OutstandingToken.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted.get(OutstandingToken._meta.label, 0)


def _token_user(refresh: RefreshToken) -> User:
    try:
        user_id = int(refresh.payload.get(api_settings.USER_ID_CLAIM))
    except (TypeError, ValueError) as exc:
        raise TokenError("Token contained no recognizable user identification") from exc
    user = User.objects.filter(pk=user_id).first() if 0 < user_id <= BIGINT_MAX else None
    if user is None or not api_settings.USER_AUTHENTICATION_RULE(user):
        raise AccountUnavailable()
    return user
