"""A shop's team by invitation: the owner invites, lists and revokes; the invitee
accepts. The owner's answer to an invitation is the same whether or not the address
has an account (see `shops.services.invitations`)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.pagination import PageNumberPagination, paginated
from shops import services
from shops.models import ShopInvitation, ShopMember, ShopMemberRole
from shops.permissions import shop_for_member
from shops.services.invitations import INVITABLE_ROLES, invitation_status

# --- inputs ---------------------------------------------------------------------------


class InvitationInput(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(
        choices=list(INVITABLE_ROLES), required=False, default=ShopMemberRole.STAFF
    )


class InvitationAcceptInput(serializers.Serializer):
    token = serializers.CharField(max_length=128)


# --- outputs --------------------------------------------------------------------------


class InvitationSerializer(serializers.ModelSerializer):
    """What the owner sees of an invitation: nothing about the invitee's account."""

    status = serializers.SerializerMethodField()

    class Meta:
        model = ShopInvitation
        fields = ["id", "email", "role", "status", "created_at", "expires_at", "accepted_at"]

    def get_status(self, invitation) -> str:
        return invitation_status(invitation)


class MembershipSerializer(serializers.ModelSerializer):
    """The invitee's new membership."""

    shop = serializers.SerializerMethodField()

    class Meta:
        model = ShopMember
        fields = ["id", "shop", "role", "created_at"]

    def get_shop(self, member) -> dict:
        return {"slug": member.shop.slug, "name": member.shop.name}


# --- views ----------------------------------------------------------------------------


def invitation_create_response(request, slug: str) -> Response:
    """202 with the invitation: the same for any address (it is delivered later)."""
    shop = shop_for_member(slug=slug, user=request.user, owner_only=True)
    data = InvitationInput(data=request.data)
    data.is_valid(raise_exception=True)
    invitation = services.shop_invitation_create(
        shop=shop, actor=request.user, **data.validated_data
    )
    return Response(InvitationSerializer(invitation).data, status=status.HTTP_202_ACCEPTED)


class ShopInvitationsView(APIView):
    @extend_schema(responses=paginated(InvitationSerializer))
    def get(self, request, slug):
        shop = shop_for_member(slug=slug, user=request.user, owner_only=True)
        paginator = PageNumberPagination()
        invitations = ShopInvitation.objects.filter(shop=shop).order_by("-created_at", "-pk")
        page = paginator.paginate_queryset(invitations, request, view=self)
        return paginator.get_paginated_response(InvitationSerializer(page, many=True).data)

    @extend_schema(request=InvitationInput, responses={202: InvitationSerializer})
    def post(self, request, slug):
        return invitation_create_response(request, slug)


class ShopInvitationDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, slug, invitation_id):
        shop = shop_for_member(slug=slug, user=request.user, owner_only=True)
        services.shop_invitation_revoke(shop=shop, actor=request.user, invitation_id=invitation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptView(APIView):
    """The token travels in the body, not the path, so that it stays out of access logs."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=InvitationAcceptInput, responses={201: MembershipSerializer})
    def post(self, request):
        data = InvitationAcceptInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.shop_invitation_accept(user=request.user, **data.validated_data)
        return Response(MembershipSerializer(member).data, status=status.HTTP_201_CREATED)
