from rest_framework import serializers

from marketplace.accounts.models import User, UserLanguage, UserRole


class RegisterInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=128, trim_whitespace=False)
    full_name = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=UserRole.choices, default=UserRole.BUYER)
    language = serializers.ChoiceField(choices=UserLanguage.choices, default=UserLanguage.VI)


class UserSerializer(serializers.ModelSerializer):
    is_operator = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "language", "is_operator", "date_joined"]
        read_only_fields = fields


class ProfileUpdateSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150, required=False)
    language = serializers.ChoiceField(choices=UserLanguage.choices, required=False)
