"""Bearer-token authentication for the API."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings

from marketplace.accounts.selectors import user_by_id
from marketplace.core.db import BIGINT_MAX


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's, with the token's user read through `user_by_id`: the lookup runs on
    every authenticated request, and the ORM building the same query each time cost
    more than the database answering it. The checks are simplejwt's."""

    def get_user(self, validated_token):
        if not _user_is_the_only_check():
            return super().get_user(validated_token)
        user_id = self.user_id(validated_token)
        user = None if user_id is None else user_by_id(user_id)
        if user is None:
            raise AuthenticationFailed(_("User not found"), code="user_not_found")
        if api_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            raise AuthenticationFailed(_("User is inactive"), code="user_inactive")
        return user

    def user_id(self, validated_token) -> int | None:
        """The token's user id, None when it cannot name a user (not a bigint)."""
        try:
            user_id = int(validated_token[api_settings.USER_ID_CLAIM])
        except KeyError as exc:
            raise InvalidToken(_("Token contained no recognizable user identification")) from exc
        except (TypeError, ValueError):
            return None
        return user_id if 0 < user_id <= BIGINT_MAX else None


def _user_is_the_only_check() -> bool:
    # What simplejwt checks of a token's user beyond its signature and claims: that it
    # exists and, with CHECK_USER_IS_ACTIVE, is active; revocation (a password change)
    # needs the whole row.
    return not api_settings.CHECK_REVOKE_TOKEN and api_settings.USER_ID_FIELD == "id"


def bearer_user_id(request: HttpRequest) -> int | None:
    """The user id of the request's bearer token when the token itself is good (its
    signature, type and expiry as simplejwt checks them), without reading the user: for
    a statement that checks the user exists and is active as it does its work (the cart
    add). None when there is no token, it is refused, or the user needs more checks
    than that."""
    if not (_user_is_the_only_check() and api_settings.CHECK_USER_IS_ACTIVE):
        return None
    authentication = JWTAuthentication()
    try:
        header = authentication.get_header(request)
        raw = None if header is None else authentication.get_raw_token(header)
        return (
            None if raw is None else authentication.user_id(authentication.get_validated_token(raw))
        )
    except (AuthenticationFailed, InvalidToken):
        return None


def bearer_user(request: HttpRequest):
    """The user of the request's bearer token when the API would accept it, else None
    (no token, or any reason to refuse it, which the API's own handling then answers in
    its error format). For the few endpoints answered before DRF's request handling."""
    try:
        found = JWTAuthentication().authenticate(request)
    except (AuthenticationFailed, InvalidToken):
        return None
    return None if found is None else found[0]


class JWTAuthenticationScheme(SimpleJWTScheme):
    """The OpenAPI security scheme of the class above: simplejwt's bearer scheme."""

    target_class = JWTAuthentication
