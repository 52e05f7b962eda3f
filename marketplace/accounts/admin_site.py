"""The back office's admin site: Django's, with a login that locks out repeated
failures (answered 429 with the login page and its message) and an own-password change
that revokes the user's refresh tokens.

Installed as `marketplace.accounts.admin_site.AdminSiteConfig` in place of
`django.contrib.admin`, so `admin.site` and `@admin.register` are this site. Imported
while the app registry fills: forms (which need the user model) load on first use.
"""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.sites import AdminSite
from django.forms.forms import NON_FIELD_ERRORS
from django.urls import reverse


class AdminSiteConfig(AdminConfig):
    default_site = "marketplace.accounts.admin_site.MarketplaceAdminSite"


class MarketplaceAdminSite(AdminSite):
    @property
    def login_form(self):
        from marketplace.accounts.admin_forms import LockoutAuthenticationForm

        return LockoutAuthenticationForm

    def login(self, request, extra_context=None):
        from marketplace.accounts.admin_forms import LOCKED_OUT

        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if form is not None and form.has_error(NON_FIELD_ERRORS, LOCKED_OUT):
            response.status_code = 429
        return response

    def password_change(self, request, extra_context=None):
        # Django's, with a form that revokes the refresh tokens of the user.
        from django.contrib.auth.views import PasswordChangeView

        from marketplace.accounts.admin_forms import OwnPasswordChangeRevokingForm

        defaults = {
            "form_class": OwnPasswordChangeRevokingForm,
            "success_url": reverse("admin:password_change_done", current_app=self.name),
            "extra_context": {**self.each_context(request), **(extra_context or {})},
        }
        if self.password_change_template is not None:
            defaults["template_name"] = self.password_change_template
        request.current_app = self.name
        return PasswordChangeView.as_view(**defaults)(request)
