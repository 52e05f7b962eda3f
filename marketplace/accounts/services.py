from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from marketplace.accounts.models import User, UserLanguage, UserRole
from marketplace.core.errors import DomainError


class EmailTaken(DomainError):
    code = "email_taken"
    message = "An account with this e-mail already exists."


class WeakPassword(DomainError):
    code = "weak_password"
    message = "The password is too weak."


def user_register(
    *,
    email: str,
    password: str,
    full_name: str,
    role: str = UserRole.BUYER,
    language: str = UserLanguage.VI,
) -> User:
    """Open a buyer or producer account. Operators are never made here.

    Raises EmailTaken (also when a concurrent request wins the race) and WeakPassword.
    """
    if role not in (UserRole.BUYER, UserRole.PRODUCER):
        raise DomainError("Only buyer and producer accounts can be registered.", code="bad_role")
    email = User.objects.normalize_email(email).lower()
    candidate = User(email=email, full_name=full_name, role=role, language=language)
    try:
        validate_password(password, user=candidate)
    except DjangoValidationError as exc:
        raise WeakPassword(fields={"password": list(exc.messages)}) from exc
    if User.objects.filter(email__iexact=email).exists():
        raise EmailTaken(fields={"email": [EmailTaken.message]})
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email, password=password, full_name=full_name, role=role, language=language
            )
    except IntegrityError as exc:
        raise EmailTaken(fields={"email": [EmailTaken.message]}) from exc


def user_update_profile(
    *, user: User, full_name: str | None = None, language: str | None = None
) -> User:
    changed = []
    if full_name is not None:
        user.full_name = full_name
        changed.append("full_name")
    if language is not None:
        user.language = language
        changed.append("language")
    if changed:
        user.save(update_fields=changed)
    return user
