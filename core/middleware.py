from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from core.errors import api_error, is_api, page_not_found

NUL = "\x00"


class RefuseNulCharacterMiddleware:
    """A NUL character (``%00``) in the path, the query string or a header is a 400 for
    every view.

    PostgreSQL refuses NUL in text: a path parameter, slug, filter value or token holding
    one would otherwise reach a query and fail there with a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        message = None
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()
        ):
            message = _("Le caractère nul (%00) n'est pas accepté dans l'adresse.")
        elif any(key.startswith("HTTP_") and NUL in str(value) for key, value in request.META.items()):
            message = _("Le caractère nul n'est pas accepté dans les en-têtes de la requête.")
        if message:
            return api_error(message, status=400) if is_api(request) else HttpResponseBadRequest(message)
        return self.get_response(request)


class BoundedAddressMiddleware:
    """An address (path and query string) longer than ``MAX_URL_LENGTH`` is a 414.

    Every user-controlled size has a bound. gunicorn refuses a request line over its own
    limit (``--limit-request-line``, 8190 bytes at most) with a bare HTML page before Django
    sees it; set below that limit, this bound answers first, in French and, under /api/, in JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.MAX_URL_LENGTH
        length = len(request.META.get("PATH_INFO", "")) + len(request.META.get("QUERY_STRING", ""))
        if length > limit:
            message = _("L'adresse demandée est trop longue (%(length)s caractères ; %(limit)s au plus).") % {
                "length": length,
                "limit": limit,
            }
            if is_api(request):
                return api_error(message, status=414)
            return HttpResponse(message, status=414, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class ApiNotFoundAsJsonMiddleware:
    """Under ``/api/``, the HTML 404 of an unknown URL becomes the JSON one, in DEBUG too
    (Django's debug page there would be the only HTML answer of the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and is_api(request)
            and response.get("Content-Type", "").startswith("text/html")
            and not hasattr(response, "accepted_renderer")  # DRF's own answer, as negotiated
        ):
            return page_not_found(request)
        return response
