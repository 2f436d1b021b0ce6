"""JSON bodies: nesting and size are bounded, with a French 400/413, never a 500."""

import json

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    return '{"name": ' + "[" * (depth - 1) + "1" + "]" * (depth - 1) + ', "code": "14"}'


def test_json_nested_far_too_deep_is_a_400_not_a_recursion_error(staff_api):
    response = staff_api.post("/api/departments/", nested(100_000), content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == "Le JSON est imbriqué sur plus de 32 niveaux."


def test_json_nested_just_past_the_limit_is_a_400(staff_api):
    response = staff_api.post("/api/departments/", nested(33), content_type="application/json")

    assert response.status_code == 400
    assert "32 niveaux" in response.json()["detail"]


def test_json_at_the_limit_reaches_the_serializer(staff_api):
    response = staff_api.post("/api/departments/", nested(32), content_type="application/json")

    assert response.status_code == 400
    assert "name" in response.json()  # the serializer's own answer: not a string


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_json_body_over_the_size_limit_is_a_413(staff_api):
    body = json.dumps({"code": "14", "name": "x" * 2000})

    response = staff_api.post("/api/departments/", body, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["detail"] == "Le corps de la requête dépasse la taille maximale de 1000 octets."


def test_nan_is_refused_in_french(staff_api):
    response = staff_api.post("/api/departments/", '{"code": NaN}', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == "JSON mal formé : valeur NaN non acceptée"
