from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.fields import get_error_detail
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Services raise Django's ValidationError; the API answers it as a 400 with the same
    field-keyed French messages."""
    if isinstance(exc, Http404):
        # Django's message names the model in English; people read French.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        detail = get_error_detail(exc)
        if isinstance(detail, dict) and "__all__" in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop("__all__")
        exc = exceptions.ValidationError(detail)
    if isinstance(exc, exceptions.ValidationError) and not isinstance(exc.detail, dict):
        # A refusal about no field in particular (a filter's, a view's): keyed like a serializer's,
        # so that every 400 body is an object, as the schema says.
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.detail})
    return drf_exception_handler(exc, context)
