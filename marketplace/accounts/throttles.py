"""Throttles of the sign-in endpoints, beside DRF's per-client `ScopedRateThrottle`.

Per client alone, an attacker with many addresses guesses one account's password
unhindered; per account too, each account gets a few guesses a minute however many
addresses ask. The client's address is DRF's (`NUM_PROXIES` deep in X-Forwarded-For),
which production makes the operator state (`DJANGO_NUM_PROXIES`).
"""

from __future__ import annotations

import hashlib

from rest_framework.throttling import SimpleRateThrottle


def login_account_key(email: object) -> str | None:
    """The account a login names, as the throttles and lockouts count it: the e-mail as
    typed, trimmed and lower-cased (accounts' e-mails are stored lower-case), hashed so
    that no address sits in the cache. None when there is no e-mail to count."""
    if not isinstance(email, str) or not email.strip():
        return None
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class LoginAccountThrottle(SimpleRateThrottle):
    """Logins per account (`login_account` rate), whichever clients send them. A body
    without an e-mail is not counted here; the serializer refuses it."""

    scope = "login_account"

    def get_cache_key(self, request, view) -> str | None:
        data = request.data
        email = data.get("email") if hasattr(data, "get") else None
        account = login_account_key(email)
        if account is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": account}
