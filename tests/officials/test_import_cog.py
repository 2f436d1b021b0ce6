import pytest

from core.cache import MAP, generation
from officials.importers import ImportFileError, ImportRowsInvalid, import_cog
from officials.models import Department, Municipality

pytestmark = pytest.mark.django_db

HEADER = "TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT\n"


def write(tmp_path, body: str, header: str = HEADER, encoding="utf-8"):
    path = tmp_path / "communes.csv"
    path.write_bytes((header + body).encode(encoding))
    return path


def test_it_imports_communes_and_their_departments_from_the_sample(data_dir):
    report = import_cog(data_dir / "v_commune_2024.sample.csv")

    assert (report.rows, report.created, report.rejected) == (16, 16, 0)
    salon = Municipality.objects.get(insee_code="13103")
    assert salon.name == "Salon-de-Provence"
    assert salon.search_name == "salon-de-provence"
    assert salon.department.name == "Bouches-du-Rhône"
    assert salon.department.region_name == "Provence-Alpes-Côte d'Azur"
    assert Department.objects.count() == 101


def test_arrondissements_hang_from_their_parent_and_take_its_department(data_dir):
    import_cog(data_dir / "v_commune_2024.sample.csv")

    arrondissement = Municipality.objects.get(insee_code="13201")
    assert arrondissement.kind == Municipality.Kind.ARRONDISSEMENT
    assert arrondissement.parent_id == "13055"
    assert arrondissement.department_id == "13"


def test_importing_the_same_file_twice_changes_nothing(data_dir):
    import_cog(data_dir / "v_commune_2024.sample.csv")
    before = list(Municipality.objects.values_list("insee_code", "name", "updated_at"))

    report = import_cog(data_dir / "v_commune_2024.sample.csv")

    assert (report.created, report.updated, report.unchanged) == (0, 0, 16)
    assert list(Municipality.objects.values_list("insee_code", "name", "updated_at")) == before


def test_a_renamed_commune_is_updated_in_place(tmp_path):
    import_cog(write(tmp_path, "COM,13103,93,13,13D,,0,SALON,Salon,Salon,,\n"))
    report = import_cog(
        write(tmp_path, "COM,13103,93,13,13D,,0,SALON DE PROVENCE,Salon-de-Provence,Salon-de-Provence,,\n")
    )

    assert (report.created, report.updated) == (0, 1)
    assert Municipality.objects.get().name == "Salon-de-Provence"


def test_columns_are_read_by_name_so_older_vintages_without_ctcd_work(tmp_path):
    header = "TYPECOM,COM,REG,DEP,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT\n"
    import_cog(write(tmp_path, "COM,2A004,94,2A,,0,AJACCIO,Ajaccio,Ajaccio,,\n", header=header))

    assert Municipality.objects.get(insee_code="2A004").department.name == "Corse-du-Sud"


def test_associated_and_delegated_communes_are_skipped(tmp_path):
    report = import_cog(
        write(tmp_path, "COM,13103,93,13,13D,,0,SALON,Salon,Salon,,\nCOMD,13999,93,13,13D,,0,X,X,Ancienne,,13103\n")
    )
    assert (report.created, report.skipped) == (1, 1)


def test_invalid_rows_are_reported_by_line_and_nothing_is_written(tmp_path):
    path = write(
        tmp_path,
        "COM,13103,93,13,13D,,0,SALON,Salon,Salon,,\n"
        "COM,99999,93,99,13D,,0,NULLE,Nulle,Nulle part,,\n"
        "ARM,13299,,,,,0,X,X,Arrondissement orphelin,,13998\n"
        "COM,13103,93,13,13D,,0,SALON,Salon,Salon,,\n",
    )
    with pytest.raises(ImportRowsInvalid) as caught:
        import_cog(path)

    errors = caught.value.report.errors
    assert [error.line for error in errors] == [3, 4, 5]
    assert "département « 99 » inconnu" in errors[0].message
    assert "13998" in errors[1].message
    assert "deux fois" in errors[2].message
    assert not Municipality.objects.exists()


def test_skip_invalid_imports_the_valid_rows(tmp_path):
    path = write(tmp_path, "COM,13103,93,13,13D,,0,SALON,Salon,Salon,,\nCOM,99999,93,99,13D,,0,NULLE,Nulle,Nulle,,\n")
    report = import_cog(path, skip_invalid=True)

    assert (report.created, report.rejected) == (1, 1)
    assert list(Municipality.objects.values_list("insee_code", flat=True)) == ["13103"]


def test_dry_run_counts_without_writing(data_dir):
    report = import_cog(data_dir / "v_commune_2024.sample.csv", dry_run=True)
    assert report.created == 16
    assert not Municipality.objects.exists()


def test_a_file_that_is_not_a_cog_file_is_refused(data_dir):
    with pytest.raises(ImportFileError, match="TYPECOM"):
        import_cog(data_dir / "elus-maires-mai.sample.csv")


def test_a_malformed_insee_code_or_a_nul_character_is_a_line_error(tmp_path):
    path = write(
        tmp_path,
        "COM,13103,93,13,13D,,0,SALON,Salon,Salon,,\n"
        "COM,1310A,93,13,13D,,0,X,X,Mauvais code,,\n"
        "COM,13001,93,13,13D,,0,AIX,Aix,Aix\x00,,\n",
    )
    with pytest.raises(ImportRowsInvalid) as caught:
        import_cog(path)

    errors = caught.value.report.errors
    assert [(error.line, error.message) for error in errors] == [
        (3, "code INSEE « 1310A » ou nom invalide."),
        (4, "caractère nul dans la ligne : retirez-le."),
    ]
    assert not Municipality.objects.exists()


def test_an_import_that_renames_a_commune_starts_a_new_map_generation(tmp_path, django_capture_on_commit_callbacks):
    path = write(tmp_path, "COM,13103,93,13,13D,,0,SALON,Salon,Salon-de-Provence,,\n")
    import_cog(path)
    before = generation(MAP)

    with django_capture_on_commit_callbacks(execute=True):
        unchanged = import_cog(path)
    same = generation(MAP)
    with django_capture_on_commit_callbacks(execute=True):
        import_cog(write(tmp_path, "COM,13103,93,13,13D,,0,SALON,Salon,Salon-de-Provence (nouveau),,\n"))

    assert unchanged.unchanged == 1 and same == before
    assert generation(MAP) != before
