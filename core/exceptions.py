from collections import Counter

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self, limit: int):
        super().__init__(_("Le corps de la requête dépasse la taille maximale de %(limit)s octets.") % {"limit": limit})


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def exception_handler(exc, context):
    """Services raise Django's ValidationError; the API answers it as a 400 with the same
    field-keyed French messages. A deletion that other rows prevent is a 409 saying which."""
    if isinstance(exc, Http404):
        # Django's message names the model in English; people read French.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        detail = get_error_detail(exc)
        if isinstance(detail, dict) and "__all__" in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop("__all__")
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        objects = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        # Staff see which rows; others only how many of which kind (the rows may be another
        # collective's).
        request = context.get("request")
        staff = bool(request and getattr(request.user, "is_staff", False))
        exc = Conflict(referenced_message(objects, examples=3 if staff else 0))
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    elif isinstance(exc, TooManyFieldsSent):
        exc = exceptions.ParseError(
            _("Le formulaire a plus de %(limit)s champs.") % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
        )
    if isinstance(exc, exceptions.ValidationError) and not isinstance(exc.detail, dict):
        # A refusal about no field in particular (a filter's, a view's): keyed like a serializer's,
        # so that every 400 body is an object, as the schema says.
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.detail})
    return drf_exception_handler(exc, context)


def referenced_message(objects, *, examples: int = 3) -> str:
    """ "Suppression impossible : 2 communes y font référence (Aix (13001), Salon (13103))."."""
    objects = list(objects)
    counts = Counter(type(obj)._meta for obj in objects)
    parts = []
    for meta, count in counts.items():
        label = meta.verbose_name if count == 1 else meta.verbose_name_plural
        if examples:
            named = sorted(str(obj) for obj in objects if type(obj)._meta is meta)[:examples]
            more = "…" if count > examples else ""
            parts.append(f"{count} {label} ({', '.join(named)}{more})")
        else:
            parts.append(f"{count} {label}")
    return capfirst(
        _("suppression impossible : d'autres données y font référence : %(references)s.")
        % {"references": " ; ".join(parts)}
    )
