"""A review CSV import is bounded (size, rows) and answers every error of the file at once,
listing the first ones and counting them all."""

import pytest
from django.test import override_settings

from campaigns.models import AssessmentStatus
from tests.campaigns.factories import assessment_of, make_cycle, sign
from tests.campaigns.reviews.test_review_csv import csv_of, upload

pytestmark = pytest.mark.django_db

S = AssessmentStatus
ROW = "13103;;Salon en transition;01;;réalisée;;;;;"


@pytest.fixture
def pledged(pact, salon, collective, measures):
    return sign(pact, salon, measures[:3], collective=collective, list_name="Salon en transition")


@pytest.fixture
def pledged_aix(pact, outside, other_collective, measures):
    return sign(pact, outside, measures[:1], collective=other_collective, list_name="Aix demain")


@pytest.fixture
def cycle(pact, pledged, pledged_aix):
    return make_cycle(pact, name="Bilan de mi-mandat 2026")


@pytest.fixture
def member(as_role):
    return as_role("member")


@override_settings(REVIEW_IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_a_413_naming_the_limit(member, cycle, pledged):
    response = upload(member, cycle, csv_of(*[ROW] * 30))

    assert response.status_code == 413
    assert response.json() == {"detail": "Le corps de la requête dépasse la taille maximale de 1000 octets."}
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED


@override_settings(REVIEW_IMPORT_MAX_BYTES=100_000)
def test_a_body_declared_far_over_the_limit_is_refused_before_it_is_read(member, cycle):
    response = member.generic(
        "POST",
        f"/api/review-cycles/{cycle.pk}/import/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH="10000000",
    )

    assert response.status_code == 413


@override_settings(REVIEW_IMPORT_MAX_ROWS=3)
def test_a_file_over_the_row_limit_is_a_400_naming_the_limit_before_the_rest_is_read(member, cycle, pledged):
    # The fifth row would make the CSV reader fail: it is never reached.
    content = csv_of(*[ROW] * 4, '13103;"' + "x" * 200_000)

    response = upload(member, cycle, content)

    assert response.status_code == 400
    assert response.json() == {"file": ["Le fichier dépasse la limite de 3 lignes par import : découpez-le."]}
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED


@override_settings(REVIEW_IMPORT_MAX_ROWS=3)
def test_a_file_at_the_row_limit_is_imported(member, cycle, pledged):
    content = csv_of(*[f"13103;;Salon en transition;0{n};;réalisée;;;;;" for n in (1, 2, 3)])

    response = upload(member, cycle, content)

    assert response.status_code == 200
    assert [assessment_of(cycle, pm).status for pm in pledged] == [S.DONE] * 3


def test_errors_of_every_kind_come_in_one_answer(member, cycle, pledged):
    content = csv_of(
        "13103;;Salon en transition;01;;en cours;150;;;;",  # a rule of assessments
        "13103;;Salon en transition;02;;terminée;;;;;",  # a reading error
        "13001;;Aix demain;01;;réalisée;;;;;",  # a municipality the member does not assess
    )

    response = upload(member, cycle, content)

    assert response.status_code == 400
    assert response.json() == {
        "file": [
            "ligne 2 : l'avancement va de 0 à 100.",
            "ligne 3 : statut « terminée » inconnu.",
            "ligne 4 : vous ne pouvez pas évaluer les mesures de la commune 13001.",
        ],
        "error_count": 3,
    }


def test_every_error_of_a_row_is_listed(member, cycle, pledged):
    response = upload(member, cycle, csv_of("13103;;Salon en transition;77;;terminée;beaucoup;;;;31/02/2026"))

    assert response.json()["file"] == [
        "ligne 2 : aucune mesure 77 signée par la liste « Salon en transition » à 13103 dans ce cycle.",
        "ligne 2 : statut « terminée » inconnu.",
        "ligne 2 : avancement « beaucoup » invalide (0 à 100).",
        "ligne 2 : date « 31/02/2026 » invalide.",
    ]


def test_the_answer_lists_the_first_100_errors_and_counts_them_all(member, cycle, pledged):
    response = upload(member, cycle, csv_of(*["13103;;Salon en transition;01;;terminée;;;;;"] * 150))

    assert response.status_code == 400
    body = response.json()
    assert body["error_count"] == 150
    assert len(body["file"]) == 101
    assert body["file"][0] == "ligne 2 : statut « terminée » inconnu."
    assert body["file"][99] == "ligne 101 : statut « terminée » inconnu."
    assert body["file"][100] == "… et 50 autres erreurs (150 en tout) : corrigez celles-ci et réimportez."


def test_a_nul_character_in_a_cell_is_a_line_error(member, cycle, pledged):
    content = csv_of(ROW, "13103;;Salon en transition;02;;réalisée;;Délibération\x00;;;")

    response = upload(member, cycle, content)

    assert response.status_code == 400
    assert response.json() == {"file": ["ligne 3 : caractère nul dans la ligne : retirez-le."], "error_count": 1}
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED
