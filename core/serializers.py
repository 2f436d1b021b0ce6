import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.settings import api_settings


class ModelConstraintsMixin:
    """Check the model's database constraints (conditional unique, check) before saving,
    so that a violation is a 400 with the constraint's French message, not a 500."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        # Columns only: many-to-many and reverse relations (nested rows) are no constraint's.
        columns = {field.name for field in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in columns:
                setattr(instance, name, value)
        try:
            instance.validate_constraints()
        except DjangoValidationError as exc:
            detail = (
                exc.message_dict if hasattr(exc, "error_dict") else {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
            )
            raise serializers.ValidationError(
                {
                    (api_settings.NON_FIELD_ERRORS_KEY if key == "__all__" else key): messages
                    for key, messages in detail.items()
                }
            ) from exc
        return attrs
