from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from marketplace.accounts import services
from marketplace.accounts.api.serializers import (
    ProfileUpdateSerializer,
    RegisteredSerializer,
    RegisterInputSerializer,
    TokenPairSerializer,
    TokenRefreshSerializer,
    UserSerializer,
)
from marketplace.accounts.throttles import LoginAccountThrottle


class RegisterView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(request=RegisterInputSerializer, responses={201: RegisteredSerializer})
    def post(self, request):
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = services.user_register(**data.validated_data)
        return Response(RegisteredSerializer(registration).data, status=status.HTTP_201_CREATED)


class TokenView(TokenObtainPairView):
    """Per client (`auth`) and per account named (`login_account`)."""

    throttle_classes = [ScopedRateThrottle, LoginAccountThrottle]
    throttle_scope = "auth"


class TokenRefreshThrottledView(TokenRefreshView):
    """Answers a new refresh token too; the one presented stops working."""

    serializer_class = TokenRefreshSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token_refresh"

    @extend_schema(responses={200: TokenPairSerializer})
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class MeView(APIView):
    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)

    @extend_schema(request=ProfileUpdateSerializer, responses=UserSerializer)
    def patch(self, request):
        data = ProfileUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_update_profile(user=request.user, **data.validated_data)
        return Response(UserSerializer(user).data)
