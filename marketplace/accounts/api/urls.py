from django.urls import path

from marketplace.accounts.api import verification, views

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="auth-register"),
    path("token/", views.TokenView.as_view(), name="auth-token"),
    path("token/refresh/", views.TokenRefreshThrottledView.as_view(), name="auth-token-refresh"),
    path("me/", views.MeView.as_view(), name="auth-me"),
    path(
        "verify-email/",
        verification.VerifyEmailRequestView.as_view(),
        name="auth-verify-email",
    ),
    path(
        "verify-email/confirm/",
        verification.VerifyEmailConfirmView.as_view(),
        name="auth-verify-email-confirm",
    ),
]
