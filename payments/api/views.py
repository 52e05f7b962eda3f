"""The Stripe webhook and the money a shop's members (and operators) read."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.pagination import paginated, paginated_response
from payments import selectors
from payments.api import serializers as s
from payments.api.throttles import StripeWebhookThrottle
from payments.models import ShopPayoutAccount
from payments.services import events, tax
from shops.permissions import shop_for_member, shop_for_reader


class StripeWebhookView(APIView):
    """Stripe's events. The signature is checked on the raw body before anything is
    parsed; the event is stored under its id and applied by a worker."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [StripeWebhookThrottle]

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT},
        responses={200: s.WebhookAckSerializer},
        parameters=[
            OpenApiParameter("Stripe-Signature", str, OpenApiParameter.HEADER, required=True)
        ],
        auth=[],
    )
    def post(self, request):
        event, created = events.stripe_event_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
        return Response({"received": True, "id": event.id, "duplicate": not created})


class ShopBalanceView(APIView):
    @extend_schema(responses=s.BalanceSerializer)
    def get(self, request, slug: str):
        shop = shop_for_reader(slug=slug, user=request.user)
        return Response(s.BalanceSerializer(selectors.shop_balance(shop_id=shop.pk)).data)


class ShopLedgerView(APIView):
    @extend_schema(responses=paginated(s.LedgerEntrySerializer))
    def get(self, request, slug: str):
        shop = shop_for_reader(slug=slug, user=request.user)
        return paginated_response(
            request, self, selectors.shop_ledger(shop_id=shop.pk), s.LedgerEntrySerializer
        )


class ShopPayoutsView(APIView):
    @extend_schema(responses=paginated(s.PayoutSerializer))
    def get(self, request, slug: str):
        shop = shop_for_reader(slug=slug, user=request.user)
        return paginated_response(
            request, self, selectors.shop_payouts(shop_id=shop.pk), s.PayoutSerializer
        )


class ShopTaxWithholdingView(APIView):
    """The month's withholding (Decree 117/2025), as JSON or, with `Accept: text/csv`,
    as the file a household or individual seller keeps with its tax papers."""

    def perform_content_negotiation(self, request, force=False):
        # The CSV is written by the view itself; DRF renders everything else (errors
        # included) as JSON rather than refusing `Accept: text/csv` with a 406.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "month",
                {"type": "string", "pattern": r"^[1-9][0-9]{3}-(0?[1-9]|1[0-2])$"},
                required=True,
                description="YYYY-MM",
            )
        ],
        responses={200: s.WithholdingReportSerializer, (200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request, slug: str):
        shop = shop_for_reader(slug=slug, user=request.user)
        month = tax.month_parse(request.query_params.get("month"))
        report = selectors.shop_withholding(shop_id=shop.pk, month=month)
        if "text/csv" in request.headers.get("Accept", ""):
            response = HttpResponse(
                selectors.withholding_csv(report, shop=shop), content_type="text/csv"
            )
            response["Content-Disposition"] = (
                f'attachment; filename="khau-tru-thue-{shop.slug}-{report.month}.csv"'
            )
            return response
        return Response(s.WithholdingReportSerializer(report).data)


class ShopPayoutAccountView(APIView):
    """Where the shop is paid: its members read it, its owner sets it."""

    @extend_schema(responses=s.PayoutAccountSerializer)
    def get(self, request, slug: str):
        shop = shop_for_reader(slug=slug, user=request.user)
        account = ShopPayoutAccount.objects.filter(shop=shop).first() or ShopPayoutAccount(
            shop=shop
        )
        return Response(s.PayoutAccountSerializer(account).data)

    @extend_schema(request=s.PayoutAccountSerializer, responses=s.PayoutAccountSerializer)
    def put(self, request, slug: str):
        shop = shop_for_member(slug=slug, user=request.user, owner_only=True)
        serializer = s.PayoutAccountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account, _ = ShopPayoutAccount.objects.update_or_create(
            shop=shop, defaults=serializer.validated_data
        )
        return Response(s.PayoutAccountSerializer(account).data)
