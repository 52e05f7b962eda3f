"""What the producer and operator views share: paging, the `?status=` filter and a
product's answer."""

from __future__ import annotations

from rest_framework import status
from rest_framework.response import Response

from marketplace.core.errors import InvalidInput
from marketplace.core.pagination import paginated_response
from shops import selectors
from shops.api import serializers as s
from shops.models import Product


def _paginated(request, view, queryset, serializer_class, **context):
    return paginated_response(
        request, view, queryset, serializer_class, context={"request": request, **context}
    )


def _by_status(request, queryset, choices):
    """`?status=` filter; an unknown status is a 400, not an empty page."""
    wanted = request.query_params.get("status")
    if not wanted:
        return queryset
    if wanted not in choices:
        raise InvalidInput(
            f"status is one of {', '.join(choices)}.",
            code="invalid_status",
            fields={"status": ["Unknown status."]},
        )
    return queryset.filter(status=wanted)


def _product_body(request, product: Product, code=status.HTTP_200_OK) -> Response:
    product = selectors.shop_products(shop=product.shop).get(pk=product.pk)
    return Response(s.ProductSerializer(product, context={"request": request}).data, status=code)
