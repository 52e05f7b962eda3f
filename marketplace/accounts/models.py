from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserRole(models.TextChoices):
    BUYER = "buyer", _("Người mua")
    PRODUCER = "producer", _("Nhà sản xuất")


class UserLanguage(models.TextChoices):
    VI = "vi", "Tiếng Việt"
    EN = "en", "English"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if not extra["is_staff"] or not extra["is_superuser"]:
            raise ValueError("A superuser must be staff and superuser.")
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: a buyer, a producer, or an operator (a staff user)."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    role = models.CharField(max_length=16, choices=UserRole.choices, default=UserRole.BUYER)
    language = models.CharField(max_length=2, choices=UserLanguage.choices, default=UserLanguage.VI)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Operators (platform staff) can use the back office."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    # When the owner proved the address theirs (a one-time link, accounts.verification);
    # cash on delivery may require it (COD_REQUIRES_VERIFIED_EMAIL).
    email_verified_at = models.DateTimeField(_("e-mail xác minh lúc"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_operator(self) -> bool:
        return self.is_active and self.is_staff

    @property
    def is_producer(self) -> bool:
        return self.role == UserRole.PRODUCER
