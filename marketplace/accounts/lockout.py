"""Lockout of the back-office login after repeated failures, per account and per client.

`ADMIN_LOGIN_MAX_FAILURES` failed logins for one account (the e-mail typed), or from one
client (its address as the API's throttles see it, `NUM_PROXIES` deep), within
`ADMIN_LOGIN_LOCKOUT_MINUTES` lock that account, or that client, out of the back-office
login for `ADMIN_LOGIN_LOCKOUT_MINUTES`; a locked login is refused before the password
is even checked. Counters live in the cache (Redis in production), so every web
process sees them. A success clears its account's failures, not its client's: an
attacker signing in to an account of their own must not earn more guesses at others'.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle

from marketplace.accounts.throttles import login_account_key

_PREFIX = "admin-login"


@dataclass(frozen=True)
class LoginAttempt:
    """Who a back-office login is counted against: the account named (None when no
    e-mail was typed) and the client sending it."""

    account: str | None
    client: str

    def subjects(self) -> list[str]:
        subjects = [f"client:{self.client}"]
        if self.account is not None:
            subjects.append(f"account:{self.account}")
        return subjects


def admin_login_attempt(*, request: HttpRequest, email: object) -> LoginAttempt:
    """The attempt `request` makes to sign in to the back office as `email`."""
    client = BaseThrottle().get_ident(request) or "unknown"
    return LoginAttempt(account=login_account_key(email), client=client)


def admin_login_locked(*, attempt: LoginAttempt) -> bool:
    """Whether the attempt's account or client is locked out now."""
    keys = [f"{_PREFIX}:lock:{subject}" for subject in attempt.subjects()]
    return bool(cache.get_many(keys))


def admin_login_failed(*, attempt: LoginAttempt) -> None:
    """Count a failed login against its account and its client; the one reaching
    `ADMIN_LOGIN_MAX_FAILURES` within the window is locked out for the lockout time."""
    window = settings.ADMIN_LOGIN_LOCKOUT_MINUTES * 60
    for subject in attempt.subjects():
        if _count(f"{_PREFIX}:failures:{subject}", window) >= settings.ADMIN_LOGIN_MAX_FAILURES:
            cache.set(f"{_PREFIX}:lock:{subject}", 1, window)


def admin_login_succeeded(*, attempt: LoginAttempt) -> None:
    """Forget the account's failures after its password was right."""
    if attempt.account is not None:
        cache.delete(f"{_PREFIX}:failures:account:{attempt.account}")


def _count(key: str, window: int) -> int:
    # The window starts at the first failure; incr keeps the key's expiry.
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        # Expired between add and incr: this failure starts a new window.
        cache.set(key, 1, window)
        return 1
