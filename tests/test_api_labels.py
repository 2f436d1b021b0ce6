"""What the browsable API, OPTIONS and the schema show people is French: every field of
every serializer the API uses has a label of its own, and no description of an operation
names the code behind it."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

import core.schema
from tests.accounts.factories import UserFactory


@pytest.fixture
def api_serializers(monkeypatch) -> dict:
    """Every serializer the schema generator maps, by class."""
    seen = {}
    original = core.schema.AutoSchema._map_basic_serializer

    def record(self, serializer, direction):
        seen.setdefault(type(serializer), serializer)
        return original(self, serializer, direction)

    monkeypatch.setattr(core.schema.AutoSchema, "_map_basic_serializer", record)
    SchemaGenerator().get_schema(request=None, public=True)
    return seen


def model_field_of(serializer, name, field):
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    source = field.source or name
    if model is None or "." in source or source == "*":
        return None
    try:
        return model._meta.get_field(source)
    except Exception:  # a property or a method, not a column
        return None


def test_every_field_of_the_api_has_a_french_label(api_serializers):
    assert len(api_serializers) > 50  # the walk reached the API's serializers
    unlabelled = []
    for serializer_class, serializer in api_serializers.items():
        for name, field in serializer.fields.items():
            # A label given to the field (DRF's, from the column's name, or the serializer's);
            # DRF names a field without one after its code: "Municipality name".
            if "label" in field._kwargs:
                continue
            model_field = model_field_of(serializer, name, field)
            # A column named in French that reads as its code ("description", "date") is fine.
            if model_field is not None and getattr(model_field, "_verbose_name", None) is not None:
                continue
            unlabelled.append(f"{serializer_class.__module__}.{serializer_class.__name__}.{name}")

    assert unlabelled == []


def test_options_show_the_french_labels(db):
    client = APIClient()
    client.force_authenticate(UserFactory(is_staff=True))

    fields = client.options("/api/pledges/").json()["actions"]["POST"]

    assert fields["municipality_name"]["label"] == "Nom de la commune"
    assert fields["measures"]["child"]["children"]["level_rank"]["label"] == "Niveau"


def test_no_operation_is_described_by_the_names_of_its_code():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for word in re.findall(r"``(\w+)``", operation.get("description", "")):
                if word.startswith("csv_") or word in ("queryset", "serializer_class", "get_queryset"):
                    found.append(f"{method.upper()} {path}: {word}")

    assert found == []
