"""Fields that can send null say so in the OpenAPI schema (``nullable``)."""

import importlib

import pytest
from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers

MODULES = [
    "officials.serializers",
    "campaigns.pacts.serializers",
    "campaigns.collectives.serializers",
    "campaigns.pledges.serializers",
    "campaigns.advocacy.serializers",
    "campaigns.reviews.serializers",
    "campaigns.letters.serializers",
    "tasks.outbox.serializers",
    "tasks.jobs.serializers",
]


def _serializers():
    for name in MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, serializers.Serializer)
                and value.__module__ == module.__name__
                # abstract bases have no Meta
                and (hasattr(value, "Meta") or not issubclass(value, serializers.ModelSerializer))
            ):
                yield value


def _through_nullable(model, source: str) -> bool:
    """Whether the dotted ``source`` follows a relation that may be empty."""
    *relations, _last = source.split(".")
    for name in relations:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if not field.is_relation:
            return False
        if field.null:
            return True
        model = field.related_model
    return False


@pytest.mark.parametrize("serializer_class", list(_serializers()), ids=lambda cls: cls.__name__)
def test_fields_that_may_be_null_are_marked_nullable(serializer_class):
    fields = serializer_class().fields
    model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    wrong = [
        name
        for name, field in fields.items()
        if not field.allow_null
        and (field.default is None or (model is not None and _through_nullable(model, field.source)))
    ]
    assert wrong == []
