"""The back office's login and password forms: the login counts failures and refuses a
locked-out account or client; a password change revokes the user's refresh tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.forms import AdminPasswordChangeForm as OwnPasswordChangeForm
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.accounts import lockout, services

LOCKED_OUT = "locked_out"


class LockoutAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, refusing a locked-out account or client before the
    password is checked, and counting every refusal (a wrong password, an inactive or
    non-staff account) as a failure."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        LOCKED_OUT: _(
            "Quá nhiều lần đăng nhập không thành công. Vui lòng thử lại sau %(minutes)s phút."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        attempt = lockout.admin_login_attempt(request=self.request, email=username)
        if lockout.admin_login_locked(attempt=attempt):
            raise ValidationError(
                self.error_messages[LOCKED_OUT],
                code=LOCKED_OUT,
                params={"minutes": settings.ADMIN_LOGIN_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            lockout.admin_login_failed(attempt=attempt)
            raise
        lockout.admin_login_succeeded(attempt=attempt)
        return cleaned


class OwnPasswordChangeRevokingForm(OwnPasswordChangeForm):
    """A staff user changing their own password in the back office."""

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        return services.user_password_change(
            user=self.user, password=self.cleaned_data["new_password1"]
        )


class UserPasswordChangeRevokingForm(AdminPasswordChangeForm):
    """An administrator setting (or removing) someone's password."""

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        usable = self.cleaned_data.get("set_usable_password", True)
        return services.user_password_change(
            user=self.user, password=self.cleaned_data["password1"] if usable else None
        )
