from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Page-number pagination whose size a client may choose, within a bound."""

    page_size_query_param = "page_size"
    max_page_size = 500
