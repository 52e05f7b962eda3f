"""What the shops back office's pages share: actions that call a service per selected
row (with a reason asked first where the producer will read one), and the change form
of a row the catalogue shows, whose saves and deletions keep visibility and the
catalogue's cache right as the services do."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from marketplace.core.catalogue_version import catalogue_changed
from marketplace.core.errors import DomainError
from shops import services


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))


def action_apply(modeladmin, request, queryset, action, *, success: str) -> None:
    done = 0
    for obj in queryset:
        try:
            action(obj)
            done += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", level=messages.ERROR)
    if done:
        modeladmin.message_user(request, success.format(count=done), level=messages.SUCCESS)


def action_with_reason(modeladmin, request, queryset, *, title: str, action, success: str):
    """An intermediate page asks for the reason the producer will read."""
    if "apply" in request.POST:
        form = ReasonForm(request.POST)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            action_apply(
                modeladmin, request, queryset, lambda obj: action(obj, reason), success=success
            )
            return None
    else:
        form = ReasonForm()
    return render(
        request,
        "admin/shops/reason.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "objects": queryset,
            "action": request.POST.get("action"),
            "checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


class CatalogueRowAdmin(admin.ModelAdmin):
    """A change form over a row the public catalogue shows (or whose state decides what
    it shows): every save refreshes visibility (`visibility_scope()` says of which
    products) and every deletion tells the catalogue."""

    def visibility_scope(self, obj) -> dict:
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        # After the inlines, so that what they wrote is shown too.
        super().save_related(request, form, formsets, change)
        services.products_visibility_refresh(**self.visibility_scope(form.instance))

    def delete_model(self, request, obj):
        scope = self.visibility_scope(obj)
        super().delete_model(request, obj)
        catalogue_changed(shop_id=scope.get("shop_id"), product_ids=scope.get("product_ids", ()))

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        catalogue_changed()
