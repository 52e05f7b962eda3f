"""Buyer, producer and review endpoints. Each view validates input, calls one service
(or selector) and serialises the answer; errors come from the services."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core import direct
from marketplace.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotency_key_from
from marketplace.core.pagination import paginated, paginated_response
from orders import selectors, services
from orders.api import fast
from orders.api import serializers as s
from orders.api.throttles import CheckoutThrottle
from shops.permissions import shop_for_member


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _order_body(request, order_id: int, code=status.HTTP_200_OK) -> Response:
    order = selectors.order_for_buyer(buyer=request.user, order_id=order_id)
    return Response(s.OrderSerializer(order).data, status=code)


def _cart_body(request, code=status.HTTP_200_OK) -> HttpResponse:
    """The cart as CartSerializer shows it, as the database wrote it in that shape (one
    statement, no objects built)."""
    return direct.json_response(selectors.cart_json(buyer=request.user), code)


# --- cart -----------------------------------------------------------------------------


class CartView(APIView):
    @extend_schema(responses=s.CartSerializer)
    def get(self, request):
        return _cart_body(request)


class CartItemsView(direct.DirectPostMixin, APIView):
    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="CartAddInput",
            serializers=[s.CartItemAddInput, s.CartItemsAddInput],
            resource_type_field_name=None,
        ),
        responses={201: s.CartSerializer},
    )
    def post(self, request):
        if isinstance(request.data, dict) and "items" in request.data:
            # Counted before any item is judged: a list of a million items costs nothing.
            services.cart_add_size_check(items=request.data["items"])
            data = _valid(s.CartItemsAddInput, request.data)
            services.cart_items_add(
                buyer=request.user,
                items=[services.CartItemToAdd(**item) for item in data["items"]],
            )
        else:
            data = _valid(s.CartItemAddInput, request.data)
            services.cart_item_add(
                buyer=request.user,
                variant_id=data["variant_id"],
                quantity=data["quantity"],
                service_date=data.get("service_date"),
            )
        return _cart_body(request, status.HTTP_201_CREATED)

    def answer_directly(self, request):
        return fast.cart_add_answer_directly(request)


class CartItemDetailView(APIView):
    @extend_schema(request=s.CartItemUpdateInput, responses=s.CartSerializer)
    def patch(self, request, item_id: int):
        data = _valid(s.CartItemUpdateInput, request.data)
        services.cart_item_update(buyer=request.user, item_id=item_id, quantity=data["quantity"])
        return _cart_body(request)

    @extend_schema(responses={200: s.CartSerializer})
    def delete(self, request, item_id: int):
        services.cart_item_remove(buyer=request.user, item_id=item_id)
        return _cart_body(request)


# --- checkout and the buyer's orders --------------------------------------------------


class CheckoutView(direct.DirectPostMixin, APIView):
    throttle_classes = [CheckoutThrottle]

    @extend_schema(
        request=s.CheckoutInput,
        responses={201: s.OrderSerializer, 200: s.OrderSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    def post(self, request):
        key = idempotency_key_from(request.headers)
        data = _valid(s.CheckoutInput, request.data)
        result = services.checkout_place(
            buyer=request.user,
            idempotency_key=key,
            shipping_address=services.ShippingAddress(**data["shipping_address"]),
            payment_method=data["payment_method"],
            expected_total=data.get("expected_total"),
        )
        order = result.order
        if fast.awaits_card_payment(order):
            # Second step, after the checkout transaction committed: no lock is held
            # while Stripe answers.
            services.payment_intent_ensure(order=order)
        return Response(*fast.checkout_answer(request.user, result))

    def answer_directly(self, request):
        return fast.checkout_answer_directly(request)


class OrderListView(APIView):
    @extend_schema(parameters=[s.OrderFilterInput], responses=paginated(s.OrderSerializer))
    def get(self, request):
        filters = _valid(s.OrderFilterInput, request.query_params)
        orders = selectors.buyer_orders(buyer=request.user, status=filters.get("status"))
        return paginated_response(request, self, orders, s.OrderSerializer)


class OrderDetailView(APIView):
    @extend_schema(responses=s.OrderSerializer)
    def get(self, request, order_id: int):
        return _order_body(request, order_id)


class OrderCancelView(APIView):
    @extend_schema(request=s.OrderCancelInput, responses=s.OrderSerializer)
    def post(self, request, order_id: int):
        data = _valid(s.OrderCancelInput, request.data)
        services.order_cancel(buyer=request.user, order_id=order_id, reason=data.get("reason", ""))
        return _order_body(request, order_id)


class OrderPayView(APIView):
    """Ask again for the card payment's client secret (if Stripe was unreachable at
    checkout, or the app lost it)."""

    @extend_schema(request=None, responses=s.OrderSerializer)
    def post(self, request, order_id: int):
        order = selectors.order_for_buyer(buyer=request.user, order_id=order_id)
        services.payment_intent_ensure(order=order)
        return _order_body(request, order_id)


class ConfirmReceiptView(APIView):
    @extend_schema(request=None, responses=s.OrderSerializer)
    def post(self, request, order_id: int, shop_order_id: int):
        services.shop_order_confirm_receipt(
            buyer=request.user, order_id=order_id, shop_order_id=shop_order_id
        )
        return _order_body(request, order_id)


# --- producers ------------------------------------------------------------------------


def _shop_order_body(shop, shop_order_id: int) -> Response:
    shop_order = selectors.shop_order_for_shop(shop=shop, shop_order_id=shop_order_id)
    return Response(s.ProducerShopOrderSerializer(shop_order).data)


class ShopOrderListView(APIView):
    @extend_schema(
        parameters=[s.ShopOrderFilterInput],
        responses=paginated(s.ProducerShopOrderSerializer),
    )
    def get(self, request, slug: str):
        shop = shop_for_member(slug=slug, user=request.user)
        filters = _valid(s.ShopOrderFilterInput, request.query_params)
        shop_orders = selectors.shop_orders_for_shop(shop=shop, **filters)
        return paginated_response(request, self, shop_orders, s.ProducerShopOrderSerializer)


class ShopOrderDetailView(APIView):
    @extend_schema(responses=s.ProducerShopOrderSerializer)
    def get(self, request, slug: str, shop_order_id: int):
        shop = shop_for_member(slug=slug, user=request.user)
        return _shop_order_body(shop, shop_order_id)


class ShopOrderAcceptView(APIView):
    @extend_schema(request=None, responses=s.ProducerShopOrderSerializer)
    def post(self, request, slug: str, shop_order_id: int):
        shop = shop_for_member(slug=slug, user=request.user)
        services.shop_order_accept(shop=shop, shop_order_id=shop_order_id, actor=request.user)
        return _shop_order_body(shop, shop_order_id)


class ShopOrderShipView(APIView):
    @extend_schema(request=s.ShipInput, responses=s.ProducerShopOrderSerializer)
    def post(self, request, slug: str, shop_order_id: int):
        shop = shop_for_member(slug=slug, user=request.user)
        data = _valid(s.ShipInput, request.data)
        services.shop_order_ship(shop=shop, shop_order_id=shop_order_id, actor=request.user, **data)
        return _shop_order_body(shop, shop_order_id)


class ShopOrderDeliverView(APIView):
    @extend_schema(request=None, responses=s.ProducerShopOrderSerializer)
    def post(self, request, slug: str, shop_order_id: int):
        shop = shop_for_member(slug=slug, user=request.user)
        services.shop_order_deliver(shop=shop, shop_order_id=shop_order_id, actor=request.user)
        return _shop_order_body(shop, shop_order_id)


class ShopOrderRejectView(APIView):
    @extend_schema(request=s.RejectInput, responses=s.ProducerShopOrderSerializer)
    def post(self, request, slug: str, shop_order_id: int):
        shop = shop_for_member(slug=slug, user=request.user)
        data = _valid(s.RejectInput, request.data)
        services.shop_order_reject(
            shop=shop, shop_order_id=shop_order_id, actor=request.user, reason=data["reason"]
        )
        return _shop_order_body(shop, shop_order_id)


class TicketUseView(APIView):
    @extend_schema(request=s.TicketUseInput, responses=s.TicketSerializer)
    def post(self, request, slug: str):
        shop = shop_for_member(slug=slug, user=request.user)
        data = _valid(s.TicketUseInput, request.data)
        ticket = services.ticket_use(shop=shop, code=data["code"], actor=request.user)
        return Response(s.TicketSerializer(ticket).data)


class ShopSalesView(APIView):
    @extend_schema(
        parameters=[s.SalesFilterInput],
        responses=s.SalesDaySerializer(many=True),
    )
    def get(self, request, slug: str):
        shop = shop_for_member(slug=slug, user=request.user)
        filters = _valid(s.SalesFilterInput, request.query_params)
        days = selectors.shop_sales_by_day(shop=shop, **filters)
        return Response(s.SalesDaySerializer(days, many=True).data)


# --- reviews --------------------------------------------------------------------------


class ProductReviewsView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses=paginated(s.ReviewSerializer))
    def get(self, request, product_id: int):
        reviews = selectors.product_reviews(product_id=product_id)
        return paginated_response(request, self, reviews, s.ReviewSerializer)

    @extend_schema(request=s.ProductReviewInput, responses={201: s.ReviewSerializer})
    def post(self, request, product_id: int):
        data = _valid(s.ProductReviewInput, request.data)
        review = services.review_create(
            buyer=request.user,
            product_id=product_id,
            rating=data["rating"],
            comment=data.get("comment", ""),
        )
        return Response(s.ReviewSerializer(review).data, status=status.HTTP_201_CREATED)
