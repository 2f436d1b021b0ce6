import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from officials.importers import ImportFileError, ImportRowsInvalid, import_cog, import_rne
from officials.importers.rne import role_from_label
from officials.models import Mandate, Official

pytestmark = pytest.mark.django_db

CM_HEADER = (
    "Code du département;Libellé du département;Code de la collectivité à statut particulier;"
    "Libellé de la collectivité à statut particulier;Code de la commune;Libellé de la commune;Nom de l'élu;"
    "Prénom de l'élu;Code sexe;Date de naissance;Code de la catégorie socio-professionnelle;"
    "Libellé de la catégorie socio-professionnelle;Date de début du mandat;Libellé de la fonction;"
    "Date de début de la fonction;Code nationalité\n"
)


def cm_row(last, first, sex="F", birth="1979-02-21", commune="13103", label="", start="2026-03-15", fstart=""):
    return (
        f"13;Bouches-du-Rhône;;;{commune};Commune;{last};{first};{sex};{birth};38;Cadre;{start};{label};{fstart};FR\n"
    )


@pytest.fixture(autouse=True)
def communes(data_dir):
    import_cog(data_dir / "v_commune_2024.sample.csv")


def cm_file(*rows, encoding="utf-8"):
    return io.BytesIO((CM_HEADER + "".join(rows)).encode(encoding))


def current(insee="13103"):
    return sorted(
        Mandate.objects.current()
        .filter(municipality_id=insee)
        .values_list("official__last_name", "role", "function_label")
    )


def test_it_imports_the_councillors_sample_with_roles_from_labels(data_dir):
    report = import_rne(data_dir / "elus-conseillers-municipaux-cm.sample.csv")

    assert report.kind == "conseillers_municipaux"
    assert (report.rows, report.officials_created, report.created) == (15, 15, 15)
    assert current() == [
        ("IMBERT", "maire", "Maire"),
        ("KHELIFI", "adjoint", "Premier adjoint au maire"),
        ("LEBLANC", "adjoint", "Deuxième adjoint au maire"),
        ("MARTINEZ", "conseiller_municipal", ""),
        ("N'DIAYE", "conseiller_municipal", ""),
        ("O'NEILL", "conseiller_municipal", ""),
    ]
    mayor = Official.objects.get(last_name="IMBERT")
    assert (mayor.first_name, mayor.sex, mayor.birth_date) == ("Élodie", "F", dt.date(1979, 2, 21))
    assert mayor.mandates.get().start_date == dt.date(2026, 3, 22)  # the function's start, not the council's


def test_the_mayors_file_meets_the_same_people_as_the_councillors_file(data_dir):
    import_rne(data_dir / "elus-conseillers-municipaux-cm.sample.csv")
    report = import_rne(data_dir / "elus-maires-mai.sample.csv")

    assert report.kind == "maires"
    assert (report.officials_created, report.created, report.updated, report.unchanged) == (0, 0, 0, 10)
    assert Official.objects.count() == 15
    assert Mandate.objects.filter(role="maire").count() == 10


def test_importing_the_same_file_twice_changes_nothing(data_dir):
    import_rne(data_dir / "elus-conseillers-municipaux-cm.sample.csv")
    before = list(Mandate.objects.values_list("pk", "updated_at", "end_date"))

    report = import_rne(data_dir / "elus-conseillers-municipaux-cm.sample.csv")

    assert not report.changed
    assert report.unchanged == 15
    assert list(Mandate.objects.values_list("pk", "updated_at", "end_date")) == before


def test_mandates_no_longer_listed_are_ended_never_deleted():
    import_rne(cm_file(cm_row("IMBERT", "Élodie", label="Maire"), cm_row("MARTINEZ", "Inès", birth="1992-01-25")))
    report = import_rne(cm_file(cm_row("IMBERT", "Élodie", label="Maire")), as_of=dt.date(2026, 11, 22))

    assert report.ended == 1
    ended = Mandate.objects.get(official__last_name="MARTINEZ")
    assert ended.end_date == dt.date(2026, 11, 22)
    assert current() == [("IMBERT", "maire", "Maire")]


def test_a_change_of_function_ends_the_old_mandate_and_opens_the_new_one():
    import_rne(cm_file(cm_row("KHELIFI", "Yasmine", label="")))
    import_rne(cm_file(cm_row("KHELIFI", "Yasmine", label="Premier adjoint au maire", fstart="2026-10-01")))

    history = list(Mandate.objects.order_by("pk").values_list("role", "end_date", "start_date"))
    assert history[0][0] == "conseiller_municipal" and history[0][1] is not None
    assert history[1] == ("adjoint", None, dt.date(2026, 10, 1))


def test_communes_absent_from_the_file_are_left_alone():
    import_rne(cm_file(cm_row("IMBERT", "Élodie"), cm_row("ARNAUD", "Hélène", birth="1968-04-12", commune="13001")))
    report = import_rne(cm_file(cm_row("IMBERT", "Élodie")))

    assert report.ended == 0
    assert current("13001") == [("ARNAUD", "conseiller_municipal", "")]


def test_homonyms_of_different_communes_are_different_people():
    import_rne(cm_file(cm_row("MARTIN", "Marie"), cm_row("MARTIN", "Marie", commune="13001")))
    assert Official.objects.filter(last_name="MARTIN").count() == 2


def test_the_same_person_twice_with_the_same_function_is_an_error():
    with pytest.raises(ImportRowsInvalid) as caught:
        import_rne(cm_file(cm_row("MARTIN", "Marie"), cm_row("Martin", "Marie")))
    assert str(caught.value.report.errors[0]) == "ligne 3 : même élu·e et même fonction qu'à la ligne 2."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_french_dates_and_every_encoding_are_read(encoding):
    import_rne(cm_file(cm_row("ÉTIENNE", "Chloé", birth="08/09/1981", start="15/03/2026"), encoding=encoding))

    official = Official.objects.get()
    assert (official.last_name, official.first_name, official.birth_date) == ("ÉTIENNE", "Chloé", dt.date(1981, 9, 8))
    assert official.mandates.get().start_date == dt.date(2026, 3, 15)


def test_bad_rows_are_reported_by_line_and_reason_and_nothing_is_written():
    source = cm_file(
        cm_row("IMBERT", "Élodie"),
        cm_row("DUPONT", "Jean", sex="M", birth="31/02/1970"),
        cm_row("DURAND", "Paul", sex="M", commune="99999"),
        cm_row("", "Anne"),
        cm_row("MOREL", "Léa", sex="X"),
    )
    with pytest.raises(ImportRowsInvalid) as caught:
        import_rne(source)

    messages = [str(error) for error in caught.value.report.errors]
    assert messages[0] == (
        "ligne 3 : date « 31/02/1970 » invalide dans la colonne « Date de naissance » (AAAA-MM-JJ ou JJ/MM/AAAA)."
    )
    assert messages[1] == "ligne 4 : commune « 99999 » inconnue (importez d'abord le COG)."
    assert messages[2] == "ligne 5 : nom ou prénom manquant."
    assert messages[3] == "ligne 6 : code sexe « X » invalide (F ou M attendu)."
    assert not Official.objects.exists()
    assert not Mandate.objects.exists()


def test_skip_invalid_imports_the_rest_and_does_not_end_mandates_of_a_commune_with_rejects():
    import_rne(cm_file(cm_row("IMBERT", "Élodie"), cm_row("DUPONT", "Jean", sex="M", birth="1970-01-01")))
    # Dupont's row is now broken: his mandate must not be ended on the strength of a typo.
    report = import_rne(
        cm_file(cm_row("IMBERT", "Élodie"), cm_row("DUPONT", "Jean", sex="M", birth="1970-13-01")), skip_invalid=True
    )

    assert (report.rejected, report.ended) == (1, 0)
    assert [name for name, *_ in current()] == ["DUPONT", "IMBERT"]


def test_dry_run_reports_without_writing(data_dir):
    report = import_rne(data_dir / "elus-conseillers-municipaux-cm.sample.csv", dry_run=True)
    assert (report.officials_created, report.created) == (15, 15)
    assert not Official.objects.exists()


def test_a_file_of_another_kind_is_refused(data_dir):
    with pytest.raises(ImportFileError, match="ni fichier des maires ni fichier des conseillers"):
        import_rne(data_dir / "v_commune_2024.sample.csv")


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Maire", "maire"),
        ("Premier adjoint au maire", "adjoint"),
        ("3ème Adjointe au Maire", "adjoint"),
        ("", "conseiller_municipal"),
        ("Conseiller municipal délégué aux mobilités", "conseiller_municipal"),
    ],
)
def test_function_labels_map_to_roles_and_unknown_wordings_never_fail(label, role):
    assert role_from_label(label) == role


def test_the_command_prints_a_summary(data_dir, capsys):
    call_command("import_rne", str(data_dir / "elus-conseillers-municipaux-cm.sample.csv"))
    assert "Élu·es : 15 créé·es" in capsys.readouterr().out


def test_the_command_dry_run_writes_nothing(data_dir, capsys):
    call_command("import_rne", str(data_dir / "elus-conseillers-municipaux-cm.sample.csv"), "--dry-run")
    assert "Simulation : rien n'a été écrit." in capsys.readouterr().out
    assert not Official.objects.exists()


def test_the_command_fails_with_the_line_numbers_of_bad_rows(tmp_path, capsys):
    path = tmp_path / "cm.csv"
    path.write_text(CM_HEADER + cm_row("DURAND", "Paul", commune="99999"), encoding="utf-8")
    with pytest.raises(CommandError, match="1 ligne\\(s\\) invalide\\(s\\) : rien n'a été importé"):
        call_command("import_rne", str(path))
    assert "ligne 2 : commune « 99999 » inconnue" in capsys.readouterr().err


def test_the_command_with_skip_invalid_lists_rejects_and_imports_the_rest(tmp_path, capsys):
    path = tmp_path / "cm.csv"
    path.write_text(
        CM_HEADER + cm_row("DURAND", "Paul", commune="99999") + cm_row("IMBERT", "Élodie"), encoding="utf-8"
    )
    call_command("import_rne", str(path), "--skip-invalid")
    captured = capsys.readouterr()
    assert "ligne 2 : commune « 99999 » inconnue" in captured.err
    assert "1 lignes rejetées" in captured.out
    assert Official.objects.get().last_name == "IMBERT"


def test_a_row_with_a_nul_character_is_rejected_and_its_communes_mandates_are_not_ended():
    import_rne(cm_file(cm_row("IMBERT", "Élodie"), cm_row("DUPONT", "Jean", sex="M", birth="1970-01-01")))

    report = import_rne(
        cm_file(cm_row("IMBERT", "Élodie"), cm_row("DUP\x00ONT", "Jean", sex="M", birth="1970-01-01")),
        skip_invalid=True,
    )

    assert [(error.line, error.message) for error in report.errors] == [
        (3, "caractère nul dans la ligne : retirez-le.")
    ]
    assert (report.rows, report.ended) == (2, 0)
    assert [name for name, *_ in current()] == ["DUPONT", "IMBERT"]
