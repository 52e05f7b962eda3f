"""E-mail verification: the owner of an account proves the address is theirs by a
one-time link sent to it.

The link carries a token signed with the project's secret (Django's TimestampSigner, its
own salt) naming the account and the address; nothing is stored until it is used. It is
good for EMAIL_VERIFICATION_MAX_AGE_HOURS, for that address only, and once: when the
address is verified, every link for it is spent. Cash on delivery may require it
(COD_REQUIRES_VERIFIED_EMAIL): a throwaway account cannot hold stock by the hundred.

The e-mail goes out in the request, outside any transaction (accounts sits below the
worker's outbox); it is never an in-app notification, which would prove nothing.
"""

from __future__ import annotations

import logging
import smtplib
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from rest_framework import status

from marketplace.accounts.models import User
from marketplace.core.errors import Conflict, DomainError, InvalidInput

logger = logging.getLogger(__name__)

_SALT = "marketplace.accounts.email-verification"

_MESSAGES = {
    "vi": (
        "[OCOP Market] Xác minh địa chỉ e-mail của bạn",
        "Xin chào {name},\n\n"
        "Hãy mở liên kết dưới đây để xác minh rằng địa chỉ này là của bạn "
        "(liên kết dùng được một lần, trong {hours} giờ):\n\n{link}\n\n"
        "Nếu bạn không yêu cầu, hãy bỏ qua e-mail này.\n",
    ),
    "en": (
        "[OCOP Market] Verify your e-mail address",
        "Hello {name},\n\n"
        "Open the link below to verify that this address is yours "
        "(it works once, for {hours} hours):\n\n{link}\n\n"
        "If you did not ask for it, ignore this e-mail.\n",
    ),
}


class EmailAlreadyVerified(Conflict):
    code = "email_already_verified"
    message = "This e-mail address is already verified."


class EmailSendFailed(DomainError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "email_send_failed"
    message = "The e-mail could not be sent; try again in a few minutes."


def _invalid_token() -> InvalidInput:
    return InvalidInput(
        "This verification link is not valid or has expired; ask for a new one.",
        code="invalid_token",
        fields={"token": ["Not valid or expired."]},
    )


def email_verification_token(*, user: User) -> str:
    """A signed, timestamped token naming the user and the address it verifies."""
    return signing.TimestampSigner(salt=_SALT).sign_object({"u": user.pk, "e": user.email})


def email_verification_link(*, token: str) -> str:
    """Where the e-mail sends its reader: the app's page that confirms the token."""
    return f"{settings.SITE_URL.rstrip('/')}/verify-email?{urlencode({'token': token})}"


def email_verification_send(*, user: User) -> None:
    """E-mail the user a one-time link proving the address theirs, in their language.

    Raises EmailAlreadyVerified (409), EmailSendFailed (503: the mail server refused or
    could not be reached; nothing else changes)."""
    if user.email_verified_at is not None:
        raise EmailAlreadyVerified()
    subject, body = _MESSAGES.get(user.language, _MESSAGES["vi"])
    text = body.format(
        name=user.full_name,
        link=email_verification_link(token=email_verification_token(user=user)),
        hours=settings.EMAIL_VERIFICATION_MAX_AGE_HOURS,
    )
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("email verification not sent", exc_info=True, extra={"user_id": user.pk})
        raise EmailSendFailed() from exc


def email_verification_confirm(*, token: str) -> User:
    """Mark the address the token names as verified, once.

    Raises InvalidInput `invalid_token` (bad signature, expired, another address than
    the account's now, no such active account), EmailAlreadyVerified (409: the link is
    spent)."""
    try:
        claims = signing.TimestampSigner(salt=_SALT).unsign_object(
            token, max_age=settings.EMAIL_VERIFICATION_MAX_AGE_HOURS * 3600
        )
        user_id, email = int(claims["u"]), str(claims["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise _invalid_token() from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
        if user is None or user.email.lower() != email.lower():
            raise _invalid_token()
        if user.email_verified_at is not None:
            raise EmailAlreadyVerified()
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user
