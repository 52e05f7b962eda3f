from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown in the back office, never added, changed or deleted there: records that
    only the code writes (a stock ledger) or that come from outside (the law's
    provinces and wards)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
