"""Demo accounts. The passwords are public on purpose: `make run` prints them."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.accounts.models import User, UserRole
from marketplace.accounts.services import operator_grant


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    full_name: str
    role: str
    is_staff: bool = False


OPERATOR = DemoAccount(
    "operator@demo.ocop.vn", "ocop-operator-2026", "Phạm Thu Hà", UserRole.BUYER, True
)
BUYER = DemoAccount("buyer@demo.ocop.vn", "ocop-buyer-2026", "Nguyễn Thị Lan", UserRole.BUYER)
PRODUCERS = {
    "pu-mat": DemoAccount(
        "pumat@demo.ocop.vn", "ocop-producer-2026", "Hồ Văn Bình", UserRole.PRODUCER
    ),
    "an-giang": DemoAccount(
        "angiang@demo.ocop.vn", "ocop-producer-2026", "Lê Thị Mỹ", UserRole.PRODUCER
    ),
    "ha-long": DemoAccount(
        "halong@demo.ocop.vn", "ocop-producer-2026", "Vũ Đức Thắng", UserRole.PRODUCER
    ),
}
ALL = [OPERATOR, BUYER, *PRODUCERS.values()]


def ensure_account(account: DemoAccount) -> User:
    user = User.objects.filter(email=account.email).first()
    if user is None:
        user = User.objects.create_user(
            email=account.email,
            password=account.password,
            full_name=account.full_name,
            role=account.role,
        )
    if account.is_staff:
        operator_grant(user=user)
    return user
