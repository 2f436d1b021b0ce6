"""The scorecard of a municipality for a review cycle, in JSON and as a PDF report."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from campaigns.models import AssessmentStatus
from tests.campaigns.factories import MeasureFactory, ThemeFactory, assess, make_cycle, sign
from tests.officials.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

S = AssessmentStatus
REPLY = "La commune rappelle que la seconde tranche est budgétée pour 2027."


@pytest.fixture
def card_data(pact, salon, collective):
    """Salon: Mobilités 01 réalisée, 02 partiellement réalisée (with a reply);
    Alimentation 03 non mesurable, 04 réalisée. Score (1 + 0.5 + 1) / 3 = 8.33."""
    mobility = ThemeFactory(pact=pact, name="Mobilités", position=1)
    food = ThemeFactory(pact=pact, name="Alimentation", position=2)
    measures = [
        MeasureFactory(pact=pact, code=code, title=title, theme=theme, position=10 + index)
        for index, (code, title, theme) in enumerate(
            [
                ("M1", "Plan vélo", mobility),
                ("M2", "Zones 30", mobility),
                ("M3", "Cantine bio", food),
                ("M4", "Jardins partagés", food),
            ]
        )
    ]
    pledged = sign(pact, salon, measures, collective=collective, list_name="Salon en transition")
    # Another municipality's assessments stay out of Salon's card.
    sign(pact, MunicipalityFactory(insee_code="13047", name="Istres"), measures[:1], list_name="Istres")
    cycle = make_cycle(pact, name="Bilan de mi-mandat 2026", published=True)
    assess(cycle, pledged[0], S.DONE, evidence="Délibération du 12 mars", sources=["https://salon.example/velo"])
    assess(
        cycle,
        pledged[1],
        S.PARTIAL,
        60,
        evidence="Deux quartiers sur cinq",
        municipality_reply=REPLY,
        reply_date=dt.date(2026, 10, 2),
    )
    assess(cycle, pledged[2], S.NOT_MEASURABLE)
    assess(cycle, pledged[3], S.DONE)
    return cycle


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Scorecard PDFs are stored files: each test starts with none."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def made(django_capture_on_commit_callbacks):
    """GET a scorecard PDF: the first answer is a 202 and a job (run here by the worker, as
    tasks are eager in tests), the second the PDF."""

    def get(api, path, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            first = api.get(path, **headers)
        assert first.status_code == 202, first.content
        return api.get(path, **headers)

    return get


def url(cycle, insee="13103", **params) -> str:
    query = "&".join([f"cycle={cycle.pk}", *(f"{key}={value}" for key, value in params.items())])
    return f"/api/municipalities/{insee}/scorecard/?{query}"


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_scorecard_in_json(api, card_data):
    response = api.get(url(card_data))

    assert response.status_code == 200
    card = response.json()
    assert card["cycle"] == {"id": card_data.pk, "name": "Bilan de mi-mandat 2026", "is_published": True}
    assert card["municipality"] == {"insee_code": "13103", "name": "Salon-de-Provence"}
    assert (card["score"], card["assessed"], card["total"], card["average_progress"]) == (8.33, 3, 4, 86.7)
    assert card["counts"]["done"] == 2
    assert card["themes"] == [
        {"theme": "Alimentation", "score": 10.0, "measures": 2},
        {"theme": "Mobilités", "score": 7.5, "measures": 2},
    ]
    assert [(row["code"], row["title"], row["status_display"], row["progress"]) for row in card["measures"]] == [
        ("M1", "Plan vélo", "réalisée", 100),
        ("M2", "Zones 30", "partiellement réalisée", 60),
        ("M3", "Cantine bio", "non mesurable", None),
        ("M4", "Jardins partagés", "réalisée", 100),
    ]
    second = card["measures"][1]
    assert (second["theme"], second["list_name"], second["evidence"]) == (
        "Mobilités",
        "Salon en transition",
        "Deux quartiers sur cinq",
    )
    assert (second["municipality_reply"], second["reply_date"]) == (REPLY, "2026-10-02")
    assert card["measures"][0]["sources"] == ["https://salon.example/velo"]


def test_a_scorecard_with_nothing_assessed_has_no_score(api, pact, salon):
    sign(pact, salon, [MeasureFactory(pact=pact, code="M9", title="Régie agricole")])
    cycle = make_cycle(pact, published=True)

    card = api.get(url(cycle)).json()

    assert (card["score"], card["total"], card["assessed"]) == (None, 1, 0)
    assert card["measures"][0]["status_display"] == "non évaluée"


def test_the_scorecard_as_a_pdf_with_format_pdf(api, card_data, made):
    response = made(api, url(card_data, format="pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="bilan-13103-{card_data.pk}.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "Salon-de-Provence" in text
    assert "Bilan de mi-mandat 2026" in text
    assert "8,3 / 10" in text  # French decimal comma
    for theme in ("Mobilités", "Alimentation"):
        assert theme in text
    assert "Zones 30" in text
    assert "partiellement réalisée" in text
    assert "non mesurable" in text
    assert REPLY in text
    assert "2 octobre 2026" in text
    assert "3 mesures évaluées sur 4 mesures signées." in text


def test_the_scorecard_as_a_pdf_with_an_accept_header(api, card_data, made):
    response = made(api, url(card_data), HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Salon-de-Provence" in text
    assert "8,3" in text
    assert "Plan vélo" in text


def test_the_scorecard_needs_a_cycle(api, salon):
    response = api.get("/api/municipalities/13103/scorecard/")

    assert response.status_code == 400
    assert response.json() == {"cycle": ["Indiquez le cycle de bilan : ?cycle=<identifiant>."]}


@pytest.mark.parametrize("cycle", ["abc", "²", "1.5"])
def test_a_cycle_that_is_not_a_number_is_a_400(api, salon, cycle):
    assert api.get(f"/api/municipalities/13103/scorecard/?cycle={cycle}").status_code == 400


def test_an_error_asked_as_pdf_answers_in_json(api, salon):
    response = api.get("/api/municipalities/13103/scorecard/?format=pdf")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"cycle": ["Indiquez le cycle de bilan : ?cycle=<identifiant>."]}


def test_the_scorecard_of_an_unknown_municipality_is_a_404(api, card_data):
    assert api.get(url(card_data, insee="99999")).status_code == 404


def test_the_public_gets_no_scorecard_of_an_unpublished_cycle(as_role, card_data):
    card_data.is_published = False
    card_data.save()

    assert as_role("anonymous").get(url(card_data)).status_code == 404
    assert as_role("anonymous").get(url(card_data, format="pdf")).status_code == 404


def test_members_see_their_territorys_scorecard_of_an_unpublished_cycle_and_outsiders_an_empty_one(as_role, card_data):
    card_data.is_published = False
    card_data.save()

    member_card = as_role("member").get(url(card_data)).json()
    outsider_card = as_role("outsider").get(url(card_data)).json()

    assert (member_card["score"], len(member_card["measures"])) == (8.33, 4)
    assert (outsider_card["score"], outsider_card["measures"]) == (None, [])
