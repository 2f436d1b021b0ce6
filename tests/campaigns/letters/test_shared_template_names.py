"""Shared templates (no collective) have names of their own, as a collective's templates do."""

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import LetterTemplate
from tests.campaigns.factories import (
    letter_settings,  # noqa: F401 - autouse fixture
    shared_templates,
)

pytestmark = pytest.mark.django_db


def test_staff_cannot_publish_a_second_shared_template_of_the_same_name(as_role):
    existing = shared_templates()[0]

    response = as_role("staff").post(
        "/api/letter-templates/",
        {"collective": None, "name": existing.name, "subject": "Objet", "body": "Bonjour."},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert "Un modèle porte déjà ce nom." in str(response.json())
    assert LetterTemplate.objects.filter(collective=None, name=existing.name).count() == 1


def test_the_database_refuses_two_shared_templates_of_the_same_name():
    existing = shared_templates()[0]

    with pytest.raises(ValidationError, match="Un modèle porte déjà ce nom"):
        LetterTemplate(name=existing.name, subject="Objet", body="Bonjour.").validate_constraints()


def test_two_collectives_may_still_use_the_name_of_a_shared_template(as_role, collective):
    existing = shared_templates()[0]

    response = as_role("member").post(
        "/api/letter-templates/",
        {"collective": collective.slug, "name": existing.name, "subject": "Objet", "body": "Bonjour."},
        format="json",
    )

    assert response.status_code == 201, response.content
