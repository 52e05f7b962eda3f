from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

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
