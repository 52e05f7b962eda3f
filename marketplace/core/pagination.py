import functools

from drf_spectacular.utils import inline_serializer
from rest_framework import pagination, serializers

from marketplace.core.errors import InvalidInput

MAX_PAGE_SIZE = 100


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (1 to 100); a page size out of range is a 400, not clamped."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise InvalidInput(
                f"page_size must be a whole number from 1 to {self.max_page_size}.",
                code="invalid_page_size",
                fields={"page_size": [f"Must be between 1 and {self.max_page_size}."]},
            )
        return size


def paginated_response(request, view, queryset, serializer_class, *, context=None):
    """One page of `queryset` as `{count, next, previous, results}`, each row shaped by
    `serializer_class` (given `context`, if any)."""
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    rows = serializer_class(page, many=True, context=context or {}).data
    return paginator.get_paginated_response(rows)


@functools.cache
def paginated(serializer_class):
    """The schema of one page of `serializer_class` rows, as `paginated_response` and
    `PageNumberPagination` answer it: `@extend_schema(responses=paginated(X))` on a view
    whose list is paged (a bare `X(many=True)` would tell clients an array)."""
    name = serializer_class.__name__.removesuffix("Serializer")
    page = inline_serializer(
        f"Paginated{name}List",
        fields={
            "count": serializers.IntegerField(min_value=0),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )
    page.paged = True  # marketplace.core.schema.AutoSchema names the operation a list
    return page
