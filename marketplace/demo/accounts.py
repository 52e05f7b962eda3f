"""Demo accounts. The passwords are public on purpose: `make run` prints them."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from marketplace.accounts.models import User, UserRole
from marketplace.accounts.services import operator_grant
from worker.services import notification_preference_set


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    full_name: str
    role: str
    is_staff: bool = False


PRODUCER_PASSWORD = "ocop-producer-2026"

OPERATOR = DemoAccount(
    "operator@demo.ocop.vn", "ocop-operator-2026", "Phạm Thu Hà", UserRole.BUYER, True
)
BUYER = DemoAccount("buyer@demo.ocop.vn", "ocop-buyer-2026", "Nguyễn Thị Lan", UserRole.BUYER)
PRODUCERS = {
    "pu-mat": DemoAccount(
        "pumat@demo.ocop.vn", PRODUCER_PASSWORD, "Hồ Văn Bình", UserRole.PRODUCER
    ),
    "an-giang": DemoAccount(
        "angiang@demo.ocop.vn", PRODUCER_PASSWORD, "Lê Thị Mỹ", UserRole.PRODUCER
    ),
    "ha-long": DemoAccount(
        "halong@demo.ocop.vn", PRODUCER_PASSWORD, "Vũ Đức Thắng", UserRole.PRODUCER
    ),
}
ALL = [OPERATOR, BUYER, *PRODUCERS.values()]


@functools.cache
def _password_hash(password: str) -> str:
    """Hashed once per password, not once per account: the demo's thirty-odd producers
    share theirs, and each hash costs a quarter of a second on purpose."""
    return make_password(password)


def ensure_account(account: DemoAccount, *, email_off: Iterable[str] = ()) -> User:
    """The account, created the first time with e-mail turned off for `email_off`
    (kinds of notification, still shown in the app)."""
    user = User.objects.filter(email=account.email).first()
    if user is None:
        user = User.objects.create_user(
            email=account.email, password=None, full_name=account.full_name, role=account.role
        )
        user.password = _password_hash(account.password)
        user.save(update_fields=["password"])
        for kind in email_off:
            notification_preference_set(user=user, kind=kind, email_enabled=False)
    if account.is_staff:
        operator_grant(user=user)
    return user
