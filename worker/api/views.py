from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from worker import selectors, services
from worker.api.serializers import (
    MarkAllReadSerializer,
    NotificationSerializer,
    PreferenceSerializer,
    PreferenceUpdateSerializer,
    UnreadFilterSerializer,
)
from worker.models import Notification
from worker.notifications import kind_label


@extend_schema(
    parameters=[
        OpenApiParameter(
            "unread", OpenApiTypes.BOOL, description="true: only unread; false: only read"
        )
    ]
)
class NotificationListView(ListAPIView):
    """The signed-in user's notifications, newest first."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        params = UnreadFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.notifications_for(
            user=self.request.user, unread=params.validated_data["unread"]
        )


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, notification_id: int):
        notification = services.notification_mark_read(
            user=request.user, notification_id=notification_id
        )
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    @extend_schema(request=None, responses=MarkAllReadSerializer)
    def post(self, request):
        marked = services.notifications_mark_all_read(user=request.user)
        return Response({"marked": marked})


class UnreadCountView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response({"unread": selectors.unread_count(user=request.user)})


class PreferenceListView(APIView):
    """Whether each kind of notification is also sent by e-mail (in-app is always on)."""

    @extend_schema(responses=PreferenceSerializer(many=True))
    def get(self, request):
        preferences = selectors.preferences_for(user=request.user)
        return Response(PreferenceSerializer(preferences, many=True).data)


class PreferenceDetailView(APIView):
    @extend_schema(request=PreferenceUpdateSerializer, responses=PreferenceSerializer)
    def patch(self, request, kind: str):
        data = PreferenceUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preference = services.notification_preference_set(
            user=request.user, kind=kind, **data.validated_data
        )
        return Response(
            PreferenceSerializer(
                {
                    "kind": preference.kind,
                    "label": kind_label(kind=preference.kind, language=request.user.language),
                    "email_enabled": preference.email_enabled,
                }
            ).data
        )
