from rest_framework import serializers

from worker.models import Notification, NotificationKind


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)
    target = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "link",
            "target",
            "is_read",
            "read_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_target(self, notification) -> dict | None:
        if notification.target_type_id is None:
            return None
        return {"type": notification.target_type.model, "id": notification.target_id}


class UnreadFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, allow_null=True, default=None)


class MarkAllReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices, read_only=True)
    label = serializers.CharField(read_only=True)
    email_enabled = serializers.BooleanField()


class PreferenceUpdateSerializer(serializers.Serializer):
    email_enabled = serializers.BooleanField()
