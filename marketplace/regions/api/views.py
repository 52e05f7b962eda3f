from rest_framework import permissions, serializers
from rest_framework.generics import ListAPIView

from marketplace.regions import selectors
from marketplace.regions.models import Province, Ward


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name", "name_with_type", "macro_region"]


class WardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ward
        fields = ["code", "name", "name_with_type"]


class ProvinceListView(ListAPIView):
    """The 34 provinces and centrally-run cities (not paginated: a short fixed list)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = ProvinceSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.province_list()


class WardListView(ListAPIView):
    """The wards, communes and special zones of one province (not paginated)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = WardSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no code
            return Ward.objects.none()
        return selectors.ward_list(province_code=self.kwargs["code"])
