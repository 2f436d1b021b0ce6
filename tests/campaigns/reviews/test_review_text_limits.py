"""Free texts of a review have a length limit, whatever the way in: the grid of the API,
a CSV import, the admin's forms (the model's validators). Over it: a 400 in French that
says which field and where, and nothing is written."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Assessment, AssessmentStatus, ScoringScale
from tests.campaigns.factories import assessment_of, make_cycle, sign

pytestmark = pytest.mark.django_db

HEADER = (
    "Code INSEE;Commune;Liste;Mesure;Intitulé;Statut;Avancement (%);Éléments de preuve;Sources;"
    "Réponse de la commune;Date de la réponse"
)


@pytest.fixture
def pledged(pact, salon, collective, measures):
    return sign(pact, salon, measures[:2], collective=collective, list_name="Salon en transition")


@pytest.fixture
def cycle(pact, pledged):
    return make_cycle(pact, name="Bilan de mi-mandat 2026")


def grid(cycle) -> str:
    return f"/api/review-cycles/{cycle.pk}/municipalities/13103/grid/"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("evidence", "x" * 5001, ["Assurez-vous que ce champ comporte au plus 5000\xa0caractères."]),
        ("municipality_reply", "x" * 5001, ["Assurez-vous que ce champ comporte au plus 5000\xa0caractères."]),
        (
            "sources",
            [f"https://example.org/{n}" for n in range(21)],
            ["Assurez-vous que ce champ n'a pas plus de 20 éléments."],
        ),
        (
            "sources",
            ["https://example.org/" + "x" * 500],
            {"0": ["Assurez-vous que ce champ comporte au plus 500\xa0caractères."]},
        ),
    ],
)
def test_the_grid_refuses_a_text_over_its_limit_in_french(as_role, cycle, pledged, field, value, message):
    rows = [{"pledged_measure": pledged[0].pk, "status": "done", field: value}]

    response = as_role("member").put(grid(cycle), {"rows": rows}, format="json")

    assert response.status_code == 400
    assert response.json() == {"rows": {"0": {field: message}}}
    assert assessment_of(cycle, pledged[0]).status == AssessmentStatus.NOT_ASSESSED


def test_the_grid_saves_texts_at_their_limit(as_role, cycle, pledged):
    rows = [{"pledged_measure": pledged[0].pk, "status": "done", "evidence": "é" * 5000,
             "municipality_reply": "r" * 5000, "sources": [f"https://example.org/{n}" for n in range(20)]}]  # fmt: skip

    response = as_role("member").put(grid(cycle), {"rows": rows}, format="json")

    assert response.status_code == 200, response.content
    assert len(assessment_of(cycle, pledged[0]).evidence) == 5000


def test_a_csv_import_refuses_a_text_over_its_limit_with_its_line(as_role, cycle, pledged):
    content = "\r\n".join(
        [
            HEADER,
            "13103;;Salon en transition;01;;réalisée;;" + "x" * 5001 + ";;;",
            "13103;;Salon en transition;02;;en cours;;;;" + "y" * 6000 + ";",
        ]
    )

    response = as_role("member").post(
        f"/api/review-cycles/{cycle.pk}/import/",
        {"file": SimpleUploadedFile("bilan.csv", content.encode(), "text/csv")},
    )

    assert response.status_code == 400
    assert response.json() == {
        "file": [
            "ligne 2 : éléments de preuve de 5001 caractères ; 5000 au plus.",
            "ligne 3 : réponse de la commune de 6000 caractères ; 5000 au plus.",
        ],
        "error_count": 2,
    }
    assert [assessment_of(cycle, pm).status for pm in pledged] == [AssessmentStatus.NOT_ASSESSED] * 2


def test_the_models_refuse_texts_over_their_limit(cycle, pledged):
    assessment = assessment_of(cycle, pledged[0])
    assessment.evidence = "x" * 5001
    assessment.sources = ["https://example.org/"] * 21
    scale = ScoringScale(name="Barème long", description="d" * 2001)

    with pytest.raises(ValidationError) as refused:
        assessment.full_clean()
    with pytest.raises(ValidationError) as refused_scale:
        scale.full_clean()

    assert set(refused.value.message_dict) == {"evidence", "sources"}
    assert "21 sources ; 20 au plus." in refused.value.message_dict["sources"]
    assert set(refused_scale.value.message_dict) == {"description"}
    assert Assessment.objects.get(pk=assessment.pk).evidence == ""
