"""A shop's money, under /api/v1/shops/<slug>/ but owned by the payments app."""

from django.urls import path

from payments.api import views

app_name = "shop-money"

urlpatterns = [
    path("balance/", views.ShopBalanceView.as_view(), name="balance"),
    path("ledger/", views.ShopLedgerView.as_view(), name="ledger"),
    path("payouts/", views.ShopPayoutsView.as_view(), name="payouts"),
    path("tax-withholding/", views.ShopTaxWithholdingView.as_view(), name="tax-withholding"),
    path("payout-account/", views.ShopPayoutAccountView.as_view(), name="payout-account"),
]
