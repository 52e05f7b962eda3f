from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.ocop.reference import PRODUCT_GROUPS, STAR_SCORE_RANGES


class ProductGroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    is_service = serializers.BooleanField()


class StarLevelSerializer(serializers.Serializer):
    stars = serializers.IntegerField()
    min_score = serializers.IntegerField()
    max_score = serializers.IntegerField()


class ProductGroupListView(APIView):
    """The six OCOP product groups (Decision 148/QĐ-TTg)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=ProductGroupSerializer(many=True))
    def get(self, request):
        return Response(ProductGroupSerializer(PRODUCT_GROUPS, many=True).data)


class StarLevelListView(APIView):
    """The certified star levels and the score range each one needs."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=StarLevelSerializer(many=True))
    def get(self, request):
        levels = [
            {"stars": stars, "min_score": low, "max_score": high}
            for stars, (low, high) in STAR_SCORE_RANGES.items()
        ]
        return Response(StarLevelSerializer(levels, many=True).data)
