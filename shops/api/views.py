"""Producer endpoints. Each view resolves the shop through `shops.permissions`,
validates input, calls one service and serialises the answer. The operators' are in
`operator_views`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.errors import NotFound
from marketplace.core.pagination import paginated
from marketplace.core.parsers import JSONParser
from shops import selectors, services
from shops.api import invitations
from shops.api import serializers as s
from shops.api.common import _by_status, _paginated, _product_body
from shops.models import Product, ProductStatus, ProductVariant, Shop, ShopMember
from shops.permissions import shop_for_member, shop_for_reader, shop_for_viewer, shop_role


def _product(shop: Shop, product_id: int) -> Product:
    product = selectors.shop_products(shop=shop).filter(pk=product_id).first()
    if product is None:
        raise NotFound("No such product in this shop.", code="product_not_found")
    return product


def _variant(shop: Shop, variant_id: int) -> ProductVariant:
    variant = (
        ProductVariant.objects.filter(shop=shop, pk=variant_id)
        .select_related("product__certificate")
        .first()
    )
    if variant is None:
        raise NotFound("No such variant in this shop.", code="variant_not_found")
    return variant


def _shop_body(request, shop: Shop, code=status.HTTP_200_OK) -> Response:
    private = request.user.is_authenticated and (
        request.user.is_operator or shop_role(shop=shop, user=request.user)
    )
    serializer = s.ShopPrivateSerializer if private else s.ShopSerializer
    return Response(serializer(shop).data, status=code)


# --- shops ----------------------------------------------------------------------------


class ShopListCreateView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses=paginated(s.ShopSerializer))
    def get(self, request):
        shops = selectors.shops_visible_to(request.user).select_related("province", "ward")
        return _paginated(request, self, shops.order_by("name", "pk"), s.ShopSerializer)

    @extend_schema(request=s.ShopCreateInput, responses={201: s.ShopPrivateSerializer})
    def post(self, request):
        data = s.ShopCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        shop = services.shop_create(owner=request.user, **data.validated_data)
        return _shop_body(request, shop, status.HTTP_201_CREATED)


class ShopDetailView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses=s.ShopSerializer)
    def get(self, request, slug):
        return _shop_body(request, shop_for_viewer(slug=slug, user=request.user))

    @extend_schema(request=s.ShopUpdateInput, responses=s.ShopPrivateSerializer)
    def patch(self, request, slug):
        shop = shop_for_member(slug=slug, user=request.user)
        data = s.ShopUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        shop = services.shop_update(shop=shop, actor=request.user, **data.validated_data)
        return _shop_body(request, shop)


class ShopMembersView(APIView):
    @extend_schema(responses=s.MemberSerializer(many=True))
    def get(self, request, slug):
        shop = shop_for_reader(slug=slug, user=request.user)
        members = ShopMember.objects.filter(shop=shop).select_related("user").order_by("pk")
        return Response(s.MemberSerializer(members, many=True).data)

    @extend_schema(
        request=invitations.InvitationInput, responses={202: invitations.InvitationSerializer}
    )
    def post(self, request, slug):
        """Members join by invitation only: the same as POST .../invitations/."""
        return invitations.invitation_create_response(request, slug)


class ShopMemberDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, slug, member_id):
        shop = shop_for_member(slug=slug, user=request.user, owner_only=True)
        services.shop_member_remove(shop=shop, actor=request.user, member_id=member_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- certificates ---------------------------------------------------------------------


class CertificateListCreateView(APIView):
    # A scan may come with the certificate: multipart here, JSON everywhere else.
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(responses=paginated(s.CertificateSerializer))
    def get(self, request, slug):
        shop = shop_for_reader(slug=slug, user=request.user)
        return _paginated(
            request, self, selectors.shop_certificates(shop=shop), s.CertificateSerializer
        )

    @extend_schema(request=s.CertificateInput, responses={201: s.CertificateSerializer})
    def post(self, request, slug):
        shop = shop_for_member(slug=slug, user=request.user)
        data = s.CertificateInput(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = services.certificate_submit(
            shop=shop, actor=request.user, **data.validated_data
        )
        return Response(s.CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)


# --- products and variants ------------------------------------------------------------


class ProductListCreateView(APIView):
    @extend_schema(responses=paginated(s.ProductSerializer))
    def get(self, request, slug):
        shop = shop_for_reader(slug=slug, user=request.user)
        products = selectors.shop_products(shop=shop).select_related("shop__province", "shop__ward")
        products = _by_status(request, products, ProductStatus.values)
        public_ids = set(selectors.public_products().filter(shop=shop).values_list("pk", flat=True))
        return _paginated(request, self, products, s.ProductSerializer, public_ids=public_ids)

    @extend_schema(request=s.ProductCreateInput, responses={201: s.ProductSerializer})
    def post(self, request, slug):
        shop = shop_for_member(slug=slug, user=request.user)
        data = s.ProductCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_create(shop=shop, actor=request.user, **data.validated_data)
        return _product_body(request, product, status.HTTP_201_CREATED)


class ProductDetailView(APIView):
    @extend_schema(responses=s.ProductSerializer)
    def get(self, request, slug, product_id):
        shop = shop_for_reader(slug=slug, user=request.user)
        return _product_body(request, _product(shop, product_id))

    @extend_schema(request=s.ProductUpdateInput, responses=s.ProductSerializer)
    def patch(self, request, slug, product_id):
        shop = shop_for_member(slug=slug, user=request.user)
        product = _product(shop, product_id)
        data = s.ProductUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_update(
            product=product, actor=request.user, **data.validated_data
        )
        return _product_body(request, product)

    @extend_schema(responses={204: None})
    def delete(self, request, slug, product_id):
        shop = shop_for_member(slug=slug, user=request.user)
        services.product_delete(product=_product(shop, product_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductVariantCreateView(APIView):
    @extend_schema(request=s.VariantInput, responses={201: s.VariantSerializer})
    def post(self, request, slug, product_id):
        shop = shop_for_member(slug=slug, user=request.user)
        product = _product(shop, product_id)
        data = s.VariantInput(data=request.data)
        data.is_valid(raise_exception=True)
        variant = services.variant_add(product=product, actor=request.user, **data.validated_data)
        return Response(s.VariantSerializer(variant).data, status=status.HTTP_201_CREATED)


class ProductImagesView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request=s.ImageInput, responses={201: s.ImageSerializer})
    def post(self, request, slug, product_id):
        shop = shop_for_member(slug=slug, user=request.user)
        product = _product(shop, product_id)
        data = s.ImageInput(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.product_image_add(
            product=product, actor=request.user, image=data.validated_data["image"]
        )
        photo.refresh_from_db()
        return Response(s.ImageSerializer(photo).data, status=status.HTTP_201_CREATED)


class ProductImageDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, slug, product_id, image_id):
        shop = shop_for_member(slug=slug, user=request.user)
        services.product_image_delete(product=_product(shop, product_id), image_id=image_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VariantDetailView(APIView):
    @extend_schema(responses=s.VariantSerializer)
    def get(self, request, slug, variant_id):
        shop = shop_for_reader(slug=slug, user=request.user)
        return Response(s.VariantSerializer(_variant(shop, variant_id)).data)

    @extend_schema(request=s.VariantUpdateInput, responses=s.VariantSerializer)
    def patch(self, request, slug, variant_id):
        shop = shop_for_member(slug=slug, user=request.user)
        variant = _variant(shop, variant_id)
        data = s.VariantUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        variant = services.variant_update(
            variant=variant, actor=request.user, **data.validated_data
        )
        return Response(s.VariantSerializer(variant).data)


class VariantMovementsView(APIView):
    @extend_schema(responses=paginated(s.MovementSerializer))
    def get(self, request, slug, variant_id):
        shop = shop_for_reader(slug=slug, user=request.user)
        movements = selectors.variant_movements(variant=_variant(shop, variant_id))
        member_ids = set(ShopMember.objects.filter(shop=shop).values_list("user_id", flat=True))
        return _paginated(
            request,
            self,
            movements.select_related("actor"),
            s.MovementSerializer,
            member_ids=member_ids,
        )


class VariantSessionsView(APIView):
    @extend_schema(responses=s.SessionSerializer(many=True))
    def get(self, request, slug, variant_id):
        shop = shop_for_reader(slug=slug, user=request.user)
        sessions = _variant(shop, variant_id).sessions.order_by("date")
        return Response(s.SessionSerializer(sessions, many=True).data)

    @extend_schema(request=s.SessionInput, responses={200: s.SessionSerializer})
    def post(self, request, slug, variant_id):
        shop = shop_for_member(slug=slug, user=request.user)
        variant = _variant(shop, variant_id)
        data = s.SessionInput(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.session_capacity_set(variant=variant, **data.validated_data)
        return Response(s.SessionSerializer(session).data)


# --- imports --------------------------------------------------------------------------


class ImportListCreateView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(responses=paginated(s.ImportJobSerializer))
    def get(self, request, slug):
        shop = shop_for_reader(slug=slug, user=request.user)
        return _paginated(request, self, selectors.shop_imports(shop=shop), s.ImportJobSerializer)

    @extend_schema(request=s.ImportInput, responses={202: s.ImportJobSerializer})
    def post(self, request, slug):
        shop = shop_for_member(slug=slug, user=request.user)
        data = s.ImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.import_job_create(
            shop=shop, actor=request.user, upload=data.validated_data["file"]
        )
        job.refresh_from_db()
        return Response(s.ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportDetailView(APIView):
    @extend_schema(responses=s.ImportJobSerializer)
    def get(self, request, slug, job_id):
        shop = shop_for_reader(slug=slug, user=request.user)
        job = selectors.shop_imports(shop=shop).filter(pk=job_id).first()
        if job is None:
            raise NotFound(code="import_not_found")
        return Response(s.ImportJobSerializer(job).data)
