from rest_framework import pagination

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
