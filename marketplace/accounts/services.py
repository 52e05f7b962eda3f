from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from marketplace.accounts.models import User, UserLanguage, UserRole
from marketplace.accounts.notices import register_taken_notice_send
from marketplace.accounts.tokens import user_tokens_revoke
from marketplace.core.errors import DomainError


class WeakPassword(DomainError):
    code = "weak_password"
    message = "The password is too weak."


@dataclass(frozen=True)
class Registration:
    """What a registration answers, the same whether or not the address had an account
    (`user` is None then, and its owner was told by e-mail)."""

    email: str
    full_name: str
    role: str
    language: str
    user: User | None


def user_register(
    *,
    email: str,
    password: str,
    full_name: str,
    role: str = UserRole.BUYER,
    language: str = UserLanguage.VI,
) -> Registration:
    """Open a buyer or producer account. Operators are never made here.

    An address that already has an account (also when a concurrent request wins the
    race) opens nothing and answers as a new one would, its password hashed all the
    same, so registering tells no one who has an account; the owner gets an e-mail.

    Raises WeakPassword.
    """
    if role not in (UserRole.BUYER, UserRole.PRODUCER):
        raise DomainError("Only buyer and producer accounts can be registered.", code="bad_role")
    email = User.objects.normalize_email(email).lower()
    candidate = User(email=email, full_name=full_name, role=role, language=language)
    try:
        validate_password(password, user=candidate)
    except DjangoValidationError as exc:
        raise WeakPassword(fields={"password": list(exc.messages)}) from exc
    answer = {"email": email, "full_name": full_name, "role": role, "language": language}
    owner = User.objects.filter(email__iexact=email).first()
    if owner is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(password=password, **answer)
            return Registration(**answer, user=user)
        except IntegrityError:
            owner = User.objects.filter(email__iexact=email).first()
    else:
        # As long as opening the account would have taken.
        make_password(password)
    if owner is not None:
        register_taken_notice_send(user=owner)
    return Registration(**answer, user=None)


def user_password_change(*, user: User, password: str | None) -> User:
    """Set `user`'s password (None: no usable password) and revoke every refresh token
    they hold, so sessions opened with the old password end at their next refresh."""
    with transaction.atomic():
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save(update_fields=["password"])
        user_tokens_revoke(user=user)
    return user


def user_deactivate(*, user: User) -> User:
    """Close an account: it cannot sign in, its access tokens are refused at once and
    its refresh tokens are revoked (they stay revoked if it is reactivated)."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        user_tokens_revoke(user=user)
    return user


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


# --- Operators ------------------------------------------------------------------------

OPERATORS_GROUP = "Vận hành sàn"
# The marketplace's own apps: operators may view everything in them.
OPERATOR_APPS = ("accounts", "regions", "core", "worker", "shops", "orders", "payments")
# What else operators may do in the back office, by model. Statuses move only through
# admin actions calling the services; a variant with stock movements cannot be deleted
# (the ledger protects it), and nothing with a history is deletable at all.
OPERATOR_CHANGES = {
    ("shops", "shop"): ("change",),
    ("shops", "ocopcertificate"): ("change",),
    ("shops", "product"): ("change",),
    ("shops", "productvariant"): ("add", "change", "delete"),
    ("shops", "productimage"): ("add", "change", "delete"),
    ("orders", "shippingrate"): ("add", "change"),
    ("orders", "shopshippingpolicy"): ("add", "change"),
    ("payments", "withholdingrate"): ("add", "change"),
    ("payments", "shoppayoutaccount"): ("add", "change"),
}


def operators_group_sync() -> Group:
    """Create or update the operators' group and its permissions. Idempotent; run after
    every migrate (permissions of new models join it) and by `make_operator`."""
    group, _ = Group.objects.get_or_create(name=OPERATORS_GROUP)
    changes = Q()
    for (app_label, model), actions in OPERATOR_CHANGES.items():
        changes |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    group.permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label__in=OPERATOR_APPS, codename__startswith="view_") | changes
        )
    )
    return group


def operator_grant(*, user: User) -> User:
    """Make an account a marketplace operator: back-office access (staff) with the
    operators' group's permissions, not a superuser."""
    with transaction.atomic():
        group = operators_group_sync()
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(group)
    return user
