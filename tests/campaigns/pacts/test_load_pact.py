"""Loading a pact edition (themes, principles, measures, levels) from CSV or JSON."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from campaigns.demo import DATA_DIR
from campaigns.models import Measure, MeasureLevel, Pact, PledgedMeasure, Theme
from campaigns.pacts.loader import PactFileInvalid, load_pact, read_pact_file
from campaigns.pledges.services import PledgedMeasureInput, pledge_create
from officials.importers import ImportFileError
from tests.campaigns.factories import PledgedMeasureFactory
from tests.officials.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

PACT_CSV = DATA_DIR / "pacte-2020.csv"
THEMES_CSV = DATA_DIR / "themes-2023.csv"
NAME = "Pacte pour la Transition 2020"
HEADER = "kind,code,title,theme,level_1,level_2\n"

EDITION_2026 = {
    "name": "Pacte pour la Transition 2026",
    "year": 2026,
    "description": "Édition de test : quatre mesures, jusqu'à quatre niveaux.",
    "min_measures": 2,
    "principles_required": False,
    "themes": [
        {"code": "mobilites", "name": "mobilités"},
        {"code": "alimentation", "name": "alimentation"},
    ],
    "measures": [
        {"kind": "measure", "code": "1", "title": "Plan vélo", "theme": "mobilites", "levels": ["Un comptage"]},
        {
            "kind": "measure",
            "code": "2",
            "title": "Cantines bio et locales",
            "theme": "alimentation",
            "levels": ["20 % de bio", "50 % de bio"],
        },
        {"kind": "measure", "code": "3", "title": "Zones à trafic limité", "levels": ["Étude", "Essai", "Pérenne"]},
        {
            "kind": "measure",
            "code": "4",
            "title": "Régie publique de l'eau",
            "theme": "alimentation",
            "levels": ["Audit", "Débat public", "Délibération", "Régie en place"],
        },
    ],
}


def load_reference():
    return load_pact(read_pact_file(PACT_CSV, THEMES_CSV), name=NAME, year=2020)


def write(tmp_path, body: str, header: str = HEADER, name: str = "pacte.csv"):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def write_json(tmp_path, data) -> str:
    path = tmp_path / "pacte-2026.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def row_counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Pact, Theme, Measure, MeasureLevel))


def test_the_shipped_reference_gives_3_principles_32_measures_and_8_themes():
    report = load_reference()

    pact = Pact.objects.get(name=NAME)
    assert report.pact == pact
    assert pact.year == 2020
    assert pact.measures.filter(kind=Measure.Kind.PRINCIPLE).count() == 3
    assert pact.measures.filter(kind=Measure.Kind.MEASURE).count() == 32
    assert pact.themes.count() == 8
    assert list(pact.measures.filter(kind=Measure.Kind.PRINCIPLE).values_list("code", flat=True)) == ["A", "B", "C"]


def test_measure_08_belongs_to_the_environment_and_biodiversity_theme():
    load_reference()

    measure = Measure.objects.get(pact__name=NAME, code="08")
    assert measure.theme.name == "environnement et biodiversité"
    assert measure.theme.code == "environnement-biodiversite"


def test_measure_28_has_two_levels_in_order():
    load_reference()

    levels = list(Measure.objects.get(pact__name=NAME, code="28").levels.values_list("rank", "description"))
    assert [rank for rank, _ in levels] == [1, 2]
    assert levels[0][1].startswith("Premier niveau")
    assert "instance de co-construction" in levels[1][1]


def test_measures_keep_the_order_of_the_file():
    load_reference()

    codes = list(Measure.objects.filter(pact__name=NAME).values_list("code", flat=True))
    assert codes[:5] == ["A", "B", "C", "01", "02"]
    assert codes[-1] == "32"


def test_loading_the_reference_twice_changes_nothing():
    first = load_reference()
    counts = row_counts()
    before = list(Measure.objects.values_list("pk", "code", "title", "theme_id", "position"))

    second = load_reference()

    assert first.created == sum(counts)
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert row_counts() == counts
    assert list(Measure.objects.values_list("pk", "code", "title", "theme_id", "position")) == before


def test_a_changed_title_is_updated_in_place_and_pledges_keep_pointing_to_it(tmp_path):
    load_reference()
    measure = Measure.objects.get(pact__name=NAME, code="08")
    pledged = PledgedMeasureFactory(measure=measure, pledge__pact=measure.pact)
    edited = PACT_CSV.read_text(encoding="utf-8").replace(
        "Préserver et développer les trames vertes, bleues et noires", "Préserver les trames vertes, bleues et noires"
    )
    counts = row_counts()

    report = load_pact(read_pact_file(write(tmp_path, edited, header=""), THEMES_CSV), name=NAME, year=2020)

    assert (report.created, report.updated) == (0, 1)
    assert row_counts() == counts
    measure.refresh_from_db()
    assert measure.title.startswith("Préserver les trames vertes, bleues et noires pour redonner sa place")
    assert PledgedMeasure.objects.get(pk=pledged.pk).measure_id == measure.pk


def test_a_json_edition_with_one_to_four_levels_loads(tmp_path):
    report = load_pact(read_pact_file(write_json(tmp_path, EDITION_2026)))

    pact = Pact.objects.get(name="Pacte pour la Transition 2026")
    assert report.pact == pact
    assert (pact.year, pact.min_measures, pact.principles_required) == (2026, 2, False)
    assert pact.description.startswith("Édition de test")
    assert pact.measures.count() == 4
    assert {m.code: m.levels.count() for m in pact.measures.all()} == {"1": 1, "2": 2, "3": 3, "4": 4}
    water = pact.measures.get(code="4")
    assert list(water.levels.values_list("rank", "description")) == [
        (1, "Audit"),
        (2, "Débat public"),
        (3, "Délibération"),
        (4, "Régie en place"),
    ]
    assert water.theme.name == "alimentation"
    assert pact.measures.get(code="3").theme is None


def test_a_pledge_on_a_small_edition_may_choose_its_fourth_level(tmp_path):
    load_pact(read_pact_file(write_json(tmp_path, EDITION_2026)))
    pact = Pact.objects.get(name="Pacte pour la Transition 2026")
    water, canteens = pact.measures.get(code="4"), pact.measures.get(code="2")

    pledge = pledge_create(
        pact=pact,
        municipality=MunicipalityFactory(),
        list_name="Demain ensemble",
        measures=[
            PledgedMeasureInput(measure=water, level=water.levels.get(rank=4)),
            PledgedMeasureInput(measure=canteens, level=canteens.levels.get(rank=1)),
        ],
        by=None,
    )

    assert sorted(pledge.measures.values_list("measure__code", "level__rank")) == [("2", 1), ("4", 4)]


def test_a_csv_may_have_more_than_two_level_columns(tmp_path):
    header = "kind,code,title,level_1,level_2,level_3,level_4,level_5\n"
    path = write(tmp_path, "measure,01,Plan vélo,un,deux,trois,quatre,cinq\nmeasure,02,Cantines,un,,,,\n", header)

    load_pact(read_pact_file(path), name="Pacte à cinq niveaux", year=2030)

    assert list(Measure.objects.get(code="01").levels.values_list("rank", flat=True)) == [1, 2, 3, 4, 5]
    assert Measure.objects.get(code="02").levels.count() == 1


def test_reloading_an_edition_adds_a_new_level_without_touching_the_others(tmp_path):
    load_pact(read_pact_file(write_json(tmp_path, EDITION_2026)))
    first_level = MeasureLevel.objects.get(measure__code="1", rank=1)
    edition = json.loads(json.dumps(EDITION_2026))
    edition["measures"][0]["levels"].append("Un plan vélo voté")

    report = load_pact(read_pact_file(write_json(tmp_path, edition)))

    assert (report.created, report.updated) == (1, 0)
    assert list(MeasureLevel.objects.filter(measure__code="1").values_list("pk", "rank")) == [
        (first_level.pk, 1),
        (MeasureLevel.objects.get(measure__code="1", rank=2).pk, 2),
    ]


def errors_of(path, themes=None) -> list[str]:
    with pytest.raises(PactFileInvalid) as excinfo:
        load_pact(read_pact_file(path, themes), name="Pacte invalide", year=2020)
    return [str(error) for error in excinfo.value.errors]


def test_an_unknown_kind_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, "measure,01,Plan vélo,,,\nmesure,02,Cantines,,,\n")

    assert errors_of(path) == ["ligne 3 : type « mesure » inconnu (principle ou measure)."]


def test_a_missing_code_or_title_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, "measure,,Plan vélo,,,\nmeasure,02,,,,\nmeasure,03,Cantines,,,\n")

    assert errors_of(path) == ["ligne 2 : code ou intitulé manquant.", "ligne 3 : code ou intitulé manquant."]


def test_a_duplicate_code_is_refused_with_both_lines(tmp_path):
    path = write(tmp_path, "measure,01,Plan vélo,,,\nmeasure,02,Cantines,,,\nmeasure,01,Régie de l'eau,,,\n")

    assert errors_of(path) == ["ligne 4 : code « 01 » déjà vu ligne 2."]


def test_an_unknown_theme_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, "measure,01,Plan vélo,mobilités,,\nmeasure,02,Cantines,alimentation durable,,\n")

    assert errors_of(path, THEMES_CSV) == ["ligne 3 : thématique « alimentation durable » inconnue."]


def test_every_error_of_a_file_is_reported_at_once(tmp_path):
    path = write(tmp_path, "measure,01,Plan vélo,,,\nmesure,02,Cantines,,,\nmeasure,01,Eau,,,\nmeasure,04,,,,\n")

    assert errors_of(path) == [
        "ligne 3 : type « mesure » inconnu (principle ou measure).",
        "ligne 4 : code « 01 » déjà vu ligne 2.",
        "ligne 5 : code ou intitulé manquant.",
    ]


def test_nothing_is_written_when_a_theme_is_unknown_after_valid_rows(tmp_path):
    # Themes are resolved while writing: the rows before the bad one must be rolled back.
    path = write(tmp_path, "measure,01,Plan vélo,mobilités,un,deux\nmeasure,02,Cantines,inconnue,,\n")

    with pytest.raises(PactFileInvalid):
        load_pact(read_pact_file(path, THEMES_CSV), name="Pacte invalide", year=2020)

    assert row_counts() == (0, 0, 0, 0)


def test_an_invalid_file_leaves_an_existing_edition_untouched(tmp_path):
    load_reference()
    counts = row_counts()
    edited = (
        PACT_CSV.read_text(encoding="utf-8").replace("Priorité au logiciel libre", "Uniquement du logiciel libre")
        + "measure,33,Une mesure de trop,thématique inventée,,\n"
    )

    with pytest.raises(PactFileInvalid) as excinfo:
        load_pact(read_pact_file(write(tmp_path, edited, header=""), THEMES_CSV), name=NAME, year=2020)

    assert [str(error) for error in excinfo.value.errors] == ["ligne 37 : thématique « thématique inventée » inconnue."]
    assert row_counts() == counts
    assert (
        Measure.objects.get(pact__name=NAME, code="04").title == "Priorité au logiciel libre dans les services publics"
    )


def test_invalid_json_reports_its_line(tmp_path):
    path = tmp_path / "pacte.json"
    path.write_text('{\n  "name": "Pacte 2026",\n  "year": 2026,,\n  "measures": []\n}\n', encoding="utf-8")

    with pytest.raises(ImportFileError, match=r"JSON invalide \(ligne 3\)"):
        read_pact_file(path)


def test_a_json_file_without_a_list_of_measures_is_refused(tmp_path):
    with pytest.raises(ImportFileError, match="« measures »"):
        read_pact_file(write_json(tmp_path, {"name": "Pacte 2026", "year": 2026, "measures": {}}))


def test_a_csv_pact_needs_a_name_and_a_year(tmp_path):
    data = read_pact_file(write(tmp_path, "measure,01,Plan vélo,,,\n"))

    with pytest.raises(ImportFileError, match="nom et l'année"):
        load_pact(data)
    assert row_counts() == (0, 0, 0, 0)


def test_the_command_prints_the_summary(tmp_path):
    out = io.StringIO()

    call_command("load_pact", str(PACT_CSV), "--themes", str(THEMES_CSV), "--name", NAME, "--year", "2020", stdout=out)

    assert f"{NAME} : 48 créations, 0 mises à jour, 0 inchangées." in out.getvalue()
    assert Measure.objects.filter(pact__name=NAME).count() == 35


def test_the_command_applies_the_edition_options(tmp_path):
    path = write(tmp_path, "measure,01,Plan vélo,,,\nmeasure,02,Cantines,,,\n")

    call_command(
        "load_pact", str(path), "--name", "Pacte local", "--year", "2026", "--min-measures", "1",
        "--principles-optional", stdout=io.StringIO(),
    )  # fmt: skip

    pact = Pact.objects.get(name="Pacte local")
    assert (pact.year, pact.min_measures, pact.principles_required) == (2026, 1, False)


def test_the_command_loads_a_json_edition(tmp_path):
    out = io.StringIO()

    call_command("load_pact", str(write_json(tmp_path, EDITION_2026)), stdout=out)

    assert "Pacte pour la Transition 2026 : " in out.getvalue()
    assert MeasureLevel.objects.filter(measure__pact__year=2026).count() == 10


def test_the_command_fails_with_the_lines_of_an_invalid_file(tmp_path):
    path = write(tmp_path, "measure,01,Plan vélo,,,\nmeasure,01,Cantines,,,\n")

    with pytest.raises(CommandError, match=r"ligne 3 : code « 01 » déjà vu ligne 2\."):
        call_command("load_pact", str(path), "--name", "Pacte invalide", "--year", "2020", stdout=io.StringIO())
    assert row_counts() == (0, 0, 0, 0)


def test_the_command_fails_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Fichier illisible"):
        call_command("load_pact", str(tmp_path / "absent.csv"), "--name", "Pacte", "--year", "2020")


def test_the_command_fails_on_a_csv_without_the_expected_columns(tmp_path):
    path = write(tmp_path, "01,Plan vélo\n", header="code,title\n")

    with pytest.raises(CommandError, match="colonne\\(s\\) manquante\\(s\\) « kind »"):
        call_command("load_pact", str(path), "--name", "Pacte", "--year", "2020")
