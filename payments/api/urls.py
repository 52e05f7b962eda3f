from django.urls import path

from payments.api import views

app_name = "payments"

urlpatterns = [
    path("stripe/webhook/", views.StripeWebhookView.as_view(), name="stripe-webhook"),
]
