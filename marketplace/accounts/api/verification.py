"""E-mail verification endpoints: ask for the one-time link, then confirm its token."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle
from rest_framework.views import APIView

from marketplace.accounts import verification
from marketplace.accounts.api.serializers import UserSerializer


class VerificationEmailThrottle(SimpleRateThrottle):
    """Verification e-mails per account: enough for a lost one, too few to flood an
    inbox from a stolen session."""

    scope = "email_verification"
    rate = "5/hour"

    def get_cache_key(self, request, view) -> str | None:
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class VerifyEmailConfirmInput(serializers.Serializer):
    token = serializers.CharField(max_length=500)


class VerifyEmailRequestView(APIView):
    throttle_classes = [VerificationEmailThrottle]

    @extend_schema(
        request=None,
        responses={202: inline_serializer("VerifyEmailSent", {"detail": serializers.CharField()})},
    )
    def post(self, request):
        verification.email_verification_send(user=request.user)
        return Response({"detail": "A verification link was sent to your e-mail."}, status=202)


class VerifyEmailConfirmView(APIView):
    """The link's token proves the address: no sign-in needed (the link may be opened
    on another device)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(request=VerifyEmailConfirmInput, responses=UserSerializer)
    def post(self, request):
        data = VerifyEmailConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = verification.email_verification_confirm(token=data.validated_data["token"])
        return Response(UserSerializer(user).data)
