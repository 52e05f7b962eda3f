"""E-mails the accounts app sends by itself. It sits below the worker (whose
notifications need a user and an outbox), so these go through Django's mail backend
after the request's transaction commits."""

from __future__ import annotations

import hashlib
import logging
import smtplib

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction

from marketplace.accounts.models import User

logger = logging.getLogger(__name__)

# One notice per address in this long: a bot registering the address over and over
# must not flood its owner's inbox.
REGISTER_TAKEN_NOTICE_EVERY_SECONDS = 60 * 60

_REGISTER_TAKEN = {
    "vi": (
        "[OCOP Market] Có người đăng ký bằng địa chỉ e-mail của bạn",
        "Xin chào {name},\n\n"
        "Vừa có người dùng địa chỉ {email} để mở một tài khoản mới trên Sàn OCOP. "
        "Địa chỉ này đã có tài khoản của bạn, nên không có tài khoản nào được tạo thêm.\n\n"
        "Nếu đó là bạn, hãy đăng nhập bằng tài khoản hiện có: {site}\n"
        "Nếu không phải bạn, bạn có thể bỏ qua e-mail này; tài khoản của bạn không bị "
        "thay đổi.\n",
    ),
    "en": (
        "[OCOP Market] Someone tried to register with your e-mail address",
        "Hello {name},\n\n"
        "Someone just used {email} to open a new OCOP Market account. This address "
        "already has your account, so no other account was opened.\n\n"
        "If that was you, sign in with your existing account: {site}\n"
        "If it was not, you can ignore this e-mail; nothing about your account changed.\n",
    ),
}


def register_taken_notice_send(*, user: User) -> None:
    """Tell the owner of an address that someone tried to register it again, once the
    current transaction commits, at most once an hour per address. The registration
    answers the same either way, so this e-mail is the only place that says the
    address has an account. Mail errors are logged, never shown to the registrant."""
    digest = hashlib.sha256(user.email.lower().encode()).hexdigest()
    if not cache.add(f"register-taken:{digest}", 1, REGISTER_TAKEN_NOTICE_EVERY_SECONDS):
        return
    subject, body = _REGISTER_TAKEN.get(user.language, _REGISTER_TAKEN["vi"])
    text = body.format(name=user.full_name, email=user.email, site=settings.SITE_URL)

    def send() -> None:
        try:
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
        except (smtplib.SMTPException, OSError):
            logger.warning("register notice not sent", exc_info=True, extra={"user_id": user.pk})

    transaction.on_commit(send)
