from django.urls import path

from worker.api import views

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notification-list"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="notification-read-all"),
    path("unread-count/", views.UnreadCountView.as_view(), name="notification-unread-count"),
    path("preferences/", views.PreferenceListView.as_view(), name="notification-preferences"),
    path(
        "preferences/<str:kind>/",
        views.PreferenceDetailView.as_view(),
        name="notification-preference",
    ),
    path(
        "<int:notification_id>/read/",
        views.NotificationReadView.as_view(),
        name="notification-read",
    ),
]
