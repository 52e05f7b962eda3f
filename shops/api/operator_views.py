"""Operator endpoints: reviewing, suspending and reinstating shops, setting their
commission, reviewing certificates, delisting and relisting products. Each view
validates input, calls one service and serialises the answer."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.errors import NotFound
from marketplace.core.pagination import paginated
from shops import services
from shops.api import serializers as s
from shops.api.common import _by_status, _paginated, _product_body
from shops.models import CertificateStatus, OcopCertificate, Product, Shop, ShopStatus


class IsOperator(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_operator)


def _any_shop(slug: str) -> Shop:
    shop = Shop.objects.select_related("province", "ward").filter(slug=slug).first()
    if shop is None:
        raise NotFound("No such shop.", code="shop_not_found")
    return shop


class OperatorShopListView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(responses=paginated(s.ShopPrivateSerializer))
    def get(self, request):
        shops = Shop.objects.select_related("province", "ward").order_by("created_at", "pk")
        shops = _by_status(request, shops, ShopStatus.values)
        return _paginated(request, self, shops, s.ShopPrivateSerializer)


class OperatorShopReviewView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=s.ReviewInput, responses=s.ShopPrivateSerializer)
    def post(self, request, slug):
        data = s.ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        shop = services.shop_review(
            shop=_any_shop(slug), operator=request.user, **data.validated_data
        )
        return Response(s.ShopPrivateSerializer(shop).data)


class OperatorShopSuspendView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=s.ReasonInput, responses=s.ShopPrivateSerializer)
    def post(self, request, slug):
        data = s.ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        shop = services.shop_suspend(
            shop=_any_shop(slug), operator=request.user, **data.validated_data
        )
        return Response(s.ShopPrivateSerializer(shop).data)


class OperatorShopReinstateView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=s.ReasonInput, responses=s.ShopPrivateSerializer)
    def post(self, request, slug):
        data = s.ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        shop = services.shop_reinstate(
            shop=_any_shop(slug), operator=request.user, **data.validated_data
        )
        return Response(s.ShopPrivateSerializer(shop).data)


class OperatorShopCommissionView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=s.CommissionInput, responses=s.ShopPrivateSerializer)
    def post(self, request, slug):
        data = s.CommissionInput(data=request.data)
        data.is_valid(raise_exception=True)
        shop = services.shop_set_commission(
            shop=_any_shop(slug), operator=request.user, **data.validated_data
        )
        return Response(s.ShopPrivateSerializer(shop).data)


class OperatorCertificateListView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(responses=paginated(s.CertificateSerializer))
    def get(self, request):
        certificates = OcopCertificate.objects.select_related("issuing_province").order_by(
            "created_at", "pk"
        )
        certificates = _by_status(request, certificates, CertificateStatus.values)
        return _paginated(request, self, certificates, s.CertificateSerializer)


class OperatorCertificateReviewView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=s.ReviewInput, responses=s.CertificateSerializer)
    def post(self, request, certificate_id):
        certificate = OcopCertificate.objects.filter(pk=certificate_id).first()
        if certificate is None:
            raise NotFound("No such certificate.", code="certificate_not_found")
        data = s.ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = services.certificate_review(
            certificate=certificate, operator=request.user, **data.validated_data
        )
        return Response(s.CertificateSerializer(certificate).data)


def _any_product(product_id: int) -> Product:
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        raise NotFound("No such product.", code="product_not_found")
    return product


class OperatorProductDelistView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=s.ReasonInput, responses=s.ProductSerializer)
    def post(self, request, product_id):
        data = s.ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_operator_delist(
            product=_any_product(product_id), operator=request.user, **data.validated_data
        )
        return _product_body(request, product)


class OperatorProductRelistView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=None, responses=s.ProductSerializer)
    def post(self, request, product_id):
        product = services.product_relist(product=_any_product(product_id), operator=request.user)
        return _product_body(request, product)
