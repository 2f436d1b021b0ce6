from drf_spectacular import authentication as drf_spectacular_authentication
from rest_framework import authentication, exceptions

from core.errors import csrf_message


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's, with the CSRF refusal in French."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as exc:
            reason = str(exc.detail).removeprefix("CSRF Failed: ")
            raise exceptions.PermissionDenied(csrf_message(reason)) from exc


class SessionScheme(drf_spectacular_authentication.SessionScheme):
    """The OpenAPI schema describes it as DRF's session cookie."""

    target_class = SessionAuthentication
