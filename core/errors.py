"""Errors outside DRF's views (unknown URL, CSRF refusal, server error, refused request)
answered as JSON in French under ``/api/``, as Django's pages elsewhere."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import csrf, defaults

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(detail: str, *, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return api_error(_("Requête invalide."), status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return api_error(_("Vous n'avez pas la permission d'effectuer cette action."), status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return api_error(_("Adresse inconnue de l'API : %(path)s") % {"path": request.path}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return api_error(_("Erreur interne du serveur : elle a été enregistrée. Réessayez plus tard."), status=500)
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if is_api(request):
        return api_error(csrf_message(reason), status=403)
    return csrf.csrf_failure(request, reason)


def csrf_message(reason: str) -> str:
    return _(
        "Vérification CSRF échouée : une session du navigateur doit envoyer l'en-tête X-CSRFToken "
        "(les scripts s'authentifient plutôt par jeton). Détail : %(reason)s"
    ) % {"reason": reason}
