"""The reference pact shipped with the project: what is known of it, and placeholders that
read as such."""

import importlib

import pytest
from django.apps import apps

from campaigns.demo import PACT_2020, load_reference_pact
from campaigns.models import Measure, MeasureLevel
from campaigns.pacts.models import is_placeholder
from tests.campaigns.factories import MeasureFactory, MeasureLevelFactory, PactFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def migration():
    return importlib.import_module("campaigns.migrations.0015_reference_pact_known_titles")


def test_the_shipped_pact_has_the_short_titles_of_its_principles_and_the_known_subjects():
    pact = load_reference_pact()
    measures = {measure.code: measure for measure in pact.measures.select_related("theme")}

    assert measures["A"].title == "Sensibilisation et formation à la transition"
    assert measures["A"].description.startswith("Sensibiliser et former à la transition les élu·es")
    assert measures["15"].title == "Donner la priorité à la marche et au vélo dans l'espace public"
    assert measures["15"].theme.name == "mobilités"
    assert measures["07"].levels.get(rank=1).description.startswith("Au moins la moitié de produits bio")
    assert measures["15"].levels.get(rank=1).description.startswith("Modérer la vitesse automobile")
    known = {code for code, measure in measures.items() if not measure.title_is_placeholder}
    assert known == {"A", "B", "C", "01", "02", "03", "04", "05", "07", "08", "11", "15", "28"}
    assert measures["06"].title == "Mesure 06 (intitulé à compléter depuis la liste officielle)"


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("Mesure 06 (intitulé à compléter depuis la liste officielle)", True),
        ("Premier niveau (description à compléter depuis la liste officielle)", True),
        ("INTITULÉ A COMPLÉTER", True),
        ("Donner la priorité à la marche et au vélo dans l'espace public", False),
        ("Compléter l'offre de transports en commun", False),
    ],
)
def test_one_rule_tells_a_placeholder(text, placeholder):
    assert is_placeholder(text) is placeholder


def test_the_api_says_which_titles_are_placeholders(api):
    pact = load_reference_pact()

    measures = {row["code"]: row for row in api.get(f"/api/pacts/{pact.pk}/").json()["measures"]}

    assert measures["06"]["title_is_placeholder"] is True
    assert measures["07"]["title_is_placeholder"] is False


def shipped_pact():
    """The reference pact as the earlier releases loaded it."""
    pact = PactFactory(name=PACT_2020)
    ThemeFactory(pact=pact, code="mobilites", name="mobilités")
    ThemeFactory(pact=pact, code="agriculture-alimentation", name="agriculture et alimentation")
    for code, shipped, *_known in migration().KNOWN:
        MeasureFactory(pact=pact, code=code, title=shipped, kind="principle" if code.isalpha() else "measure")
    return pact


def test_the_migration_updates_the_rows_still_as_shipped_and_keeps_what_people_edited():
    pact = shipped_pact()
    edited = Measure.objects.get(pact=pact, code="05")
    edited.title = "Filières paysannes (intitulé du collectif)"
    edited.save()
    MeasureLevelFactory(measure=Measure.objects.get(pact=pact, code="07"), rank=1, description="Niveau saisi")

    migration().forward(apps, None)

    measures = {measure.code: measure for measure in pact.measures.select_related("theme")}
    assert measures["15"].title == "Donner la priorité à la marche et au vélo dans l'espace public"
    assert measures["15"].theme.name == "mobilités"
    assert MeasureLevel.objects.get(measure=measures["15"], rank=1).description.startswith("Modérer la vitesse")
    assert measures["A"].title == "Sensibilisation et formation à la transition"
    assert measures["A"].description.startswith("Sensibiliser et former")
    assert measures["05"].title == "Filières paysannes (intitulé du collectif)"
    assert MeasureLevel.objects.get(measure=measures["07"], rank=1).description == "Niveau saisi"


def test_the_migration_reverses_to_the_shipped_titles():
    pact = shipped_pact()
    migration().forward(apps, None)

    migration().backward(apps, None)

    measure = Measure.objects.get(pact=pact, code="11")
    assert measure.title == "Mesure 11 (intitulé à compléter depuis la liste officielle)"
    assert measure.title_is_placeholder
