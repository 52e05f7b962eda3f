from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from marketplace.health import healthz

# Source strings are Vietnamese, the marketplace's first language; locale/en has English.
admin.site.site_header = _("Sàn OCOP — Quản trị")
admin.site.site_title = _("Sàn OCOP")
admin.site.index_title = _("Bảng điều khiển")

api_v1 = [
    # First: the public catalogue answers most requests, and URLs resolve in order
    # (no catalogue path is also another app's).
    path("", include("catalogue.api.urls")),
    path("auth/", include("marketplace.accounts.api.urls")),
    path("regions/", include("marketplace.regions.api.urls")),
    path("ocop/", include("marketplace.ocop.api.urls")),
    path("notifications/", include("worker.api.urls")),
    # A shop's orders sit under its path but belong to the orders app.
    path("shops/<slug:slug>/", include("orders.api.shop_urls")),
    path("shops/<slug:slug>/", include("payments.api.shop_urls")),
    path("shops/", include("shops.api.urls")),
    path("", include("orders.api.urls")),
    path("operator/", include("shops.api.operator_urls")),
    path("payments/", include("payments.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # `make run` serves uploaded product images itself; production puts them behind the
    # web server or object storage (MEDIA_URL).
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "marketplace.core.errors.json_bad_request"
handler403 = "marketplace.core.errors.json_permission_denied"
handler404 = "marketplace.core.errors.json_page_not_found"
handler500 = "marketplace.core.errors.json_server_error"
