from rest_framework import serializers

from marketplace.accounts.models import User, UserLanguage, UserRole
from marketplace.accounts.tokens import refresh_rotate


class RegisterInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=128, trim_whitespace=False)
    full_name = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=UserRole.choices, default=UserRole.BUYER)
    language = serializers.ChoiceField(choices=UserLanguage.choices, default=UserLanguage.VI)


class RegisteredSerializer(serializers.Serializer):
    """A registration's answer: what was asked, never whether the address had an account."""

    email = serializers.EmailField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    role = serializers.ChoiceField(choices=UserRole.choices, read_only=True)
    language = serializers.ChoiceField(choices=UserLanguage.choices, read_only=True)


class TokenRefreshSerializer(serializers.Serializer):
    """A refresh token traded for an access token and the next refresh token."""

    refresh = serializers.CharField()
    access = serializers.CharField(read_only=True)

    def validate(self, attrs: dict) -> dict:
        pair = refresh_rotate(raw=attrs["refresh"])
        return {"access": pair.access, "refresh": pair.refresh}


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)


class UserSerializer(serializers.ModelSerializer):
    is_operator = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "role",
            "language",
            "is_operator",
            "date_joined",
            "email_verified_at",
        ]
        read_only_fields = fields


class ProfileUpdateSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150, required=False)
    language = serializers.ChoiceField(choices=UserLanguage.choices, required=False)
