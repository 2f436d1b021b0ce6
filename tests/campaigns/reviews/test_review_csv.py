"""CSV round trip of a review cycle: the export of one is the import of the other."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import AssessmentChange, AssessmentStatus
from tests.campaigns.factories import (
    AssessmentFactory,
    MeasureFactory,
    PactFactory,
    ReviewCycleFactory,
    assess,
    assessment_of,
    make_cycle,
    sign,
)

pytestmark = pytest.mark.django_db

S = AssessmentStatus
HEADER = (
    "Code INSEE;Commune;Liste;Mesure;Intitulé;Statut;Avancement (%);Éléments de preuve;Sources;"
    "Réponse de la commune;Date de la réponse"
)


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


def export(client, cycle) -> bytes:
    response = client.get(f"/api/review-cycles/{cycle.pk}/export/")
    assert response.status_code == 200
    return response.content


def upload(client, cycle, content: bytes | str, encoding: str = "utf-8"):
    if isinstance(content, str):
        content = content.encode(encoding)
    return client.post(
        f"/api/review-cycles/{cycle.pk}/import/", {"file": SimpleUploadedFile("bilan.csv", content, "text/csv")}
    )


def lines(content: bytes) -> list[str]:
    return content.decode("utf-8-sig").split("\r\n")


def csv_of(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


# Export


def test_the_export_is_a_french_spreadsheet_csv(member, cycle, pledged):
    assess(
        cycle,
        pledged[0],
        S.PARTIAL,
        60,
        evidence="Piste cyclable ; 2 km sur 5",
        sources=["https://salon.example/deliberation", "https://presse.example/article"],
        municipality_reply="Le reste est prévu en 2027.",
        reply_date=dt.date(2026, 10, 2),
    )

    response = member.get(f"/api/review-cycles/{cycle.pk}/export/")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="bilan-{cycle.pk}-')
    assert response.content.startswith("\ufeff".encode())
    first, title = lines(response.content)[1], pledged[0].measure.title
    assert lines(response.content)[0] == HEADER
    assert first == (
        f"13103;Salon-de-Provence;Salon en transition;01;{title};partiellement réalisée;60;"
        f'"Piste cyclable ; 2 km sur 5";https://salon.example/deliberation | https://presse.example/article;'
        "Le reste est prévu en 2027.;02/10/2026"
    )
    assert lines(response.content)[2].split(";")[5:7] == ["non évaluée", ""]


def test_a_member_exports_their_territory_of_an_unpublished_cycle(member, cycle):
    rows = lines(export(member, cycle))[1:-1]

    assert [row.split(";")[:4] for row in rows] == [
        ["13103", "Salon-de-Provence", "Salon en transition", code] for code in ("01", "02", "03")
    ]


def test_staff_export_every_municipality(as_role, cycle):
    rows = lines(export(as_role("staff"), cycle))[1:-1]

    assert [row.split(";")[0] for row in rows] == ["13001", "13103", "13103", "13103"]


def test_the_export_lists_measures_in_the_pacts_order_with_the_code_breaking_ties(member, salon, collective):
    pact = PactFactory()
    # Same position for all: the code decides, as everywhere else measures are listed.
    measures = [MeasureFactory(pact=pact, code=code, position=0) for code in ("03", "01", "02")]
    cycle = ReviewCycleFactory(pact=pact)
    for pledged_measure in sign(pact, salon, measures, collective=collective, list_name="Salon en transition"):
        AssessmentFactory(cycle=cycle, pledged_measure=pledged_measure)

    rows = lines(export(member, cycle))[1:-1]

    assert [row.split(";")[3] for row in rows] == ["01", "02", "03"]


# Round trip


def test_exporting_importing_and_exporting_again_gives_the_same_bytes(member, cycle, pledged):
    assess(
        cycle,
        pledged[0],
        S.DONE,
        evidence='Délibération "mobilités"\nvotée le 12 mars ; budget 2 M€',
        sources=["https://salon.example/a", "https://salon.example/b"],
        municipality_reply="Merci ; nous irons plus loin.",
        reply_date=dt.date(2026, 10, 2),
    )
    assess(cycle, pledged[1], S.IN_PROGRESS, 35)
    assess(cycle, pledged[2], S.NOT_MEASURABLE, evidence="Aucune donnée publique")
    first = export(member, cycle)
    history = AssessmentChange.objects.count()

    response = upload(member, cycle, first)

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "dry_run": False,
        "created": [],
        "updated": [],
        "unchanged": 3,
        "errors": [],
        "error_count": 0,
    }
    assert export(member, cycle) == first
    assert AssessmentChange.objects.count() == history


def test_formula_like_text_is_exported_as_text_and_imported_back_as_it_was(member, cycle, pledged):
    evidence, reply = "=SOMME(A1:A9) votée", "-2 km de pistes, +3 bus"
    assess(cycle, pledged[0], S.PARTIAL, 40, evidence=evidence, municipality_reply=reply, sources=["@mairie"])
    first = export(member, cycle)
    row = next(csv.reader(io.StringIO(lines(first)[1]), delimiter=";"))
    assert (row[6], row[7], row[8], row[9]) == ("40", "'" + evidence, "'@mairie", "'" + reply)

    assert upload(member, cycle, first).status_code == 200

    saved = assessment_of(cycle, pledged[0])
    assert (saved.progress, saved.evidence, saved.municipality_reply) == (40, evidence, reply)
    assert saved.sources == ["@mairie"]
    assert export(member, cycle) == first


def test_an_edited_export_updates_the_assessments(member, cycle, pledged, collective):
    content = lines(export(member, cycle))
    row = content[2].split(";")
    row[5:11] = [
        "Partiellement réalisée",
        "",
        "Zones 30 en centre-ville",
        "https://salon.example/z30",
        "La commune conteste.",
        "2026-11-05",
    ]
    content[2] = ";".join(row)

    response = upload(member, cycle, "\r\n".join(content))

    assert response.status_code == 200, response.json()
    updated = assessment_of(cycle, pledged[1])
    assert (updated.status, updated.progress, updated.evidence, updated.sources) == (
        S.PARTIAL,
        50,
        "Zones 30 en centre-ville",
        ["https://salon.example/z30"],
    )
    assert (updated.municipality_reply, updated.reply_date) == ("La commune conteste.", dt.date(2026, 11, 5))
    [change] = AssessmentChange.objects.all()
    assert (change.changed_by, change.old_status, change.new_status) == (
        collective.members.get(),
        S.NOT_ASSESSED,
        S.PARTIAL,
    )
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED


def test_a_csv_that_fills_in_statuses_only_gives_each_its_default_progress(member, cycle, pledged):
    """What members do in a spreadsheet: change the status, leave "Avancement" empty."""
    content = export(member, cycle).decode("utf-8-sig")
    rows = content.split("\r\n")
    for index, label in ((1, "réalisée"), (2, "en cours"), (3, "non engagée")):
        cells = rows[index].split(";")
        cells[5] = label
        rows[index] = ";".join(cells)

    assert upload(member, cycle, "\r\n".join(rows)).status_code == 200

    assert [(assessment_of(cycle, pm).status, assessment_of(cycle, pm).progress) for pm in pledged] == [
        (S.DONE, 100),
        (S.IN_PROGRESS, 25),
        (S.NOT_STARTED, 0),
    ]


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("réalisée", S.DONE),
        ("Réalisée", S.DONE),
        ("REALISEE", S.DONE),
        ("  realisee ", S.DONE),
        ("done", S.DONE),
        ("partiellement réalisée", S.PARTIAL),
        ("Partiellement realisee", S.PARTIAL),
        ("partial", S.PARTIAL),
        ("non engagée", S.NOT_STARTED),
        ("en cours", S.IN_PROGRESS),
        ("abandonnée", S.ABANDONED),
        ("non mesurable", S.NOT_MEASURABLE),
        ("not_measurable", S.NOT_MEASURABLE),
        ("Non évaluée", S.NOT_ASSESSED),
    ],
)
def test_statuses_are_read_as_french_labels_or_codes(member, cycle, pledged, written, status):
    assess(cycle, pledged[0], S.IN_PROGRESS if status == S.NOT_ASSESSED else S.NOT_ASSESSED)

    response = upload(member, cycle, csv_of(f"13103;;Salon en transition;01;;{written}"))

    assert response.status_code == 200, response.json()
    assert assessment_of(cycle, pledged[0]).status == status


def test_a_csv_with_only_the_key_and_status_columns_leaves_the_other_fields_alone(member, cycle, pledged):
    assess(cycle, pledged[0], S.IN_PROGRESS, evidence="Étude lancée", municipality_reply="En cours d'arbitrage")

    response = upload(
        member, cycle, csv_of("13103;salon en transition;01;Réalisée", header="Code INSEE;Liste;Mesure;Statut")
    )

    assert response.status_code == 200, response.json()
    assessment = assessment_of(cycle, pledged[0])
    assert (assessment.status, assessment.progress, assessment.evidence, assessment.municipality_reply) == (
        S.DONE,
        100,
        "Étude lancée",
        "En cours d'arbitrage",
    )


def test_a_windows_1252_file_from_a_spreadsheet_is_read(member, cycle, pledged):
    content = csv_of("13103;Salon-de-Provence;Salon en transition;01;;Abandonnée;;Projet retiré;;;")

    response = upload(member, cycle, content, encoding="cp1252")

    assert response.status_code == 200, response.json()
    assert (assessment_of(cycle, pledged[0]).status, assessment_of(cycle, pledged[0]).evidence) == (
        S.ABANDONED,
        "Projet retiré",
    )


# Errors: line-numbered, and nothing written


def test_errors_say_which_line_and_nothing_is_written(member, cycle, pledged):
    content = csv_of(
        "13103;;Salon en transition;01;;réalisée;;;;;",
        "13103;;Salon en transition;02;;terminée;;;;;",
        "13103;;Salon en transition;03;;en cours;beaucoup;;;;",
        "13103;;Salon en transition;77;;réalisée;;;;;",
        "13103;;Liste inconnue;01;;réalisée;;;;;",
        "13103;;Salon en transition;02;;réalisée;;;;;31/02/2026",
    )

    response = upload(member, cycle, content)

    assert response.status_code == 400
    assert response.json() == {
        "file": [
            "ligne 3 : statut « terminée » inconnu.",
            "ligne 4 : avancement « beaucoup » invalide (0 à 100).",
            "ligne 5 : aucune mesure 77 signée par la liste « Salon en transition » à 13103 dans ce cycle.",
            "ligne 6 : aucune mesure 01 signée par la liste « Liste inconnue » à 13103 dans ce cycle.",
            "ligne 7 : date « 31/02/2026 » invalide.",
        ],
        "error_count": 5,
    }
    assert [assessment_of(cycle, pm).status for pm in pledged] == [S.NOT_ASSESSED] * 3
    assert not AssessmentChange.objects.exists()


def test_rule_errors_found_when_saving_also_say_which_line(member, cycle, pledged):
    content = csv_of(
        "13103;;Salon en transition;01;;réalisée;;;;;",
        "13103;;Salon en transition;02;;non mesurable;20;;;;",
        "13103;;Salon en transition;03;;en cours;150;;;;",
        "13103;;Salon en transition;01;;en cours;;;;;",
    )

    response = upload(member, cycle, content)

    assert response.status_code == 400
    assert response.json() == {
        "file": [
            "ligne 3 : une mesure « non mesurable » n'a pas d'avancement.",
            "ligne 4 : l'avancement va de 0 à 100.",
            "ligne 5 : cette mesure figure deux fois.",
        ],
        "error_count": 3,
    }
    assert [assessment_of(cycle, pm).status for pm in pledged] == [S.NOT_ASSESSED] * 3


def test_a_member_cannot_import_rows_of_a_municipality_outside_their_territory(member, cycle, pledged_aix):
    response = upload(member, cycle, csv_of("13001;;Aix demain;01;;réalisée;;;;;"))

    assert response.status_code == 400
    assert response.json() == {
        "file": ["ligne 2 : vous ne pouvez pas évaluer les mesures de la commune 13001."],
        "error_count": 1,
    }
    assert assessment_of(cycle, pledged_aix[0]).status == S.NOT_ASSESSED


def test_an_outsider_cannot_import_the_territorys_rows(as_role, cycle, pledged):
    response = upload(as_role("outsider"), cycle, csv_of("13103;;Salon en transition;01;;réalisée;;;;;"))

    assert response.status_code == 400
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED


def test_an_anonymous_visitor_cannot_import(as_role, cycle, pledged):
    cycle.is_published = True
    cycle.save()

    response = upload(as_role("anonymous"), cycle, csv_of("13103;;Salon en transition;01;;réalisée;;;;;"))

    assert response.status_code == 401
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED


def test_an_import_without_a_file_says_where_to_put_it(member, cycle):
    response = member.post(f"/api/review-cycles/{cycle.pk}/import/", {})

    assert response.status_code == 400
    assert response.json() == {"file": ["Joignez le fichier CSV dans le champ « file »."]}


def test_a_file_without_the_status_column_is_refused_at_line_1(member, cycle):
    response = upload(member, cycle, csv_of("13103;Salon en transition;01", header="Code INSEE;Liste;Mesure"))

    assert response.status_code == 400
    assert response.json() == {"file": ["En-tête inattendu (ligne 1) : colonne(s) manquante(s) « Statut »."]}


def test_an_empty_file_is_refused(member, cycle):
    response = upload(member, cycle, b"")

    assert response.status_code == 400
    assert response.json() == {"file": ["Le fichier est vide."]}


def test_a_member_imports_back_an_export_that_holds_other_municipalities_of_a_published_cycle(
    member, cycle, pledged, pledged_aix
):
    cycle.is_published = True  # published while still open: the export holds every municipality
    cycle.save()
    assess(cycle, pledged_aix[0], S.PARTIAL, evidence="Aix : deux écoles sur quatre")
    content = export(member, cycle)
    assert b"13001" in content
    edited = content.decode("utf-8-sig").replace(
        f"13103;Salon-de-Provence;Salon en transition;01;{pledged[0].measure.title};non évaluée",
        f"13103;Salon-de-Provence;Salon en transition;01;{pledged[0].measure.title};réalisée",
    )

    response = upload(member, cycle, edited)

    assert response.status_code == 200, response.json()
    report = response.json()
    assert (len(report["updated"]), report["unchanged"]) == (1, 3)
    assert (report["updated"][0]["line"], report["updated"][0]["fields"]) == (3, ["status", "progress"])
    assert assessment_of(cycle, pledged[0]).status == S.DONE
    assert assessment_of(cycle, pledged_aix[0]).status == S.PARTIAL


def test_a_member_cannot_change_another_municipalitys_row_of_a_published_cycle(member, cycle, pledged_aix):
    cycle.is_published = True
    cycle.save()
    rows = export(member, cycle).decode("utf-8-sig").split("\r\n")
    cells = rows[1].split(";")
    assert cells[0] == "13001"
    cells[5] = "réalisée"
    rows[1] = ";".join(cells)

    response = upload(member, cycle, "\r\n".join(rows))

    assert response.status_code == 400
    assert response.json() == {
        "file": ["ligne 2 : vous ne pouvez pas évaluer les mesures de la commune 13001."],
        "error_count": 1,
    }
    assert assessment_of(cycle, pledged_aix[0]).status == S.NOT_ASSESSED


def test_an_import_does_not_tell_an_outsider_what_a_hidden_assessment_says(as_role, cycle, pledged):
    assess(cycle, pledged[0], S.DONE)  # unpublished: the outsider cannot see it

    response = upload(as_role("outsider"), cycle, csv_of("13103;;Salon en transition;01;;réalisée;100;;;;"))

    assert response.status_code == 400
    assert response.json() == {
        "file": ["ligne 2 : vous ne pouvez pas évaluer les mesures de la commune 13103."],
        "error_count": 1,
    }
