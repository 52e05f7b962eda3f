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
        if api_settings.CHECK_REVOKE_TOKEN or api_settings.USER_ID_FIELD != "id":
            return super().get_user(validated_token)
        try:
            user_id = int(validated_token[api_settings.USER_ID_CLAIM])
        except KeyError as exc:
            raise InvalidToken(_("Token contained no recognizable user identification")) from exc
        except (TypeError, ValueError):
            user_id = None
        if user_id is not None and not 0 < user_id <= BIGINT_MAX:
            user_id = None
        user = None if user_id is None else user_by_id(user_id)
        if user is None:
            raise AuthenticationFailed(_("User not found"), code="user_not_found")
        if api_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            raise AuthenticationFailed(_("User is inactive"), code="user_inactive")
        return user


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
