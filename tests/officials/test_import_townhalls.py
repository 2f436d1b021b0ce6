import json
import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from officials.importers import ImportFileError, ImportRowsInvalid, import_townhalls
from officials.models import Municipality
from tests.officials.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

SAMPLE = "annuaire-sample-13.json"


@pytest.fixture
def communes():
    return {
        code: MunicipalityFactory(insee_code=code, name=name, town_hall_address="", town_hall_postal_code="")
        for code, name in [("13103", "Salon-de-Provence"), ("13069", "Pélissanne"), ("13055", "Marseille")]
    }


def town_hall(code: str, *, name: str = "", street: str = "1 place de l'Exemple", email: str = "", **fields) -> dict:
    return {
        "id": f"t-{code}-{name or 'main'}",
        "nom": name or f"Mairie - {code}",
        "pivot": [{"type_service_local": "mairie", "code_insee_commune": [code]}],
        "code_insee_commune": code,
        "adresse": [{"type_adresse": "Adresse", "numero_voie": street, "code_postal": "13300", "nom_commune": "Salon"}],
        "adresse_courriel": email,
        "telephone": [],
        "site_internet": [],
        **fields,
    }


def write(tmp_path, records: list, *, lines: bool = False):
    path = tmp_path / "annuaire.json"
    if lines:
        path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    else:
        path.write_text(json.dumps({"service": records}), encoding="utf-8")
    return path


def test_it_stores_the_postal_address_e_mail_phone_and_website_of_each_town_hall(communes, data_dir):
    report = import_townhalls(data_dir / SAMPLE, skip_invalid=True)

    salon = Municipality.objects.get(insee_code="13103")
    # The postal address ("Adresse postale") wins over the street address.
    assert salon.town_hall_postal_lines == ["Hôtel de ville", "BP 00000", "13651 Salon-de-Provence Cedex"]
    assert salon.town_hall_email == "mairie@salon.example.org"
    assert salon.town_hall_phone == "04 00 00 00 00"
    assert salon.website == "https://salon.example.org"
    assert salon.town_hall_directory_id == "ex-13103-1"
    pelissanne = Municipality.objects.get(insee_code="13069")
    assert pelissanne.town_hall_postal_lines == ["3 cours de l'Exemple", "13330 Pélissanne"]
    assert pelissanne.town_hall_email == ""
    # Five town halls read (the CAF record is not one); the annex stands aside.
    assert (report.rows, report.updated, report.skipped) == (5, 3, 1)


def test_importing_the_same_file_twice_changes_nothing(communes, data_dir):
    import_townhalls(data_dir / SAMPLE, skip_invalid=True)
    before = list(Municipality.objects.values_list("insee_code", "town_hall_address", "updated_at").order_by("pk"))

    report = import_townhalls(data_dir / SAMPLE, skip_invalid=True)

    assert (report.updated, report.unchanged) == (0, 3)
    assert list(Municipality.objects.values_list("insee_code", "town_hall_address", "updated_at").order_by("pk")) == (
        before
    )


def test_unknown_communes_and_malformed_records_are_reported_with_their_position(communes, tmp_path):
    path = write(
        tmp_path,
        [
            town_hall("13103"),
            town_hall("99999"),
            town_hall("13069", email="pas-une-adresse"),
            town_hall("13055", adresse="[{not json"),
        ],
    )

    with pytest.raises(ImportRowsInvalid) as raised:
        import_townhalls(path)

    assert [str(error) for error in raised.value.report.errors] == [
        "enregistrement 2 (id « t-99999-main ») : commune 99999 inconnue (importez le COG d'abord).",
        "enregistrement 3 (id « t-13069-main ») : courriel « pas-une-adresse » invalide.",
        "enregistrement 4 (id « t-13055-main ») : champ « adresse » illisible (JSON attendu).",
    ]
    # All or nothing: the valid record was not written either.
    assert Municipality.objects.get(insee_code="13103").town_hall_address == ""


def test_with_skip_invalid_the_valid_records_are_imported(communes, tmp_path):
    report = import_townhalls(write(tmp_path, [town_hall("13103"), town_hall("99999")]), skip_invalid=True)

    assert (report.updated, report.rejected) == (1, 1)
    assert Municipality.objects.get(insee_code="13103").town_hall_address == "1 place de l'Exemple"


def test_a_field_a_person_edited_in_the_admin_is_never_overwritten(communes, data_dir, admin_client):
    import_townhalls(data_dir / SAMPLE, skip_invalid=True)
    salon = Municipality.objects.get(insee_code="13103")
    form = {
        "insee_code": "13103",
        "name": salon.name,
        "kind": salon.kind,
        "department": salon.department_id,
        "town_hall_address": "Cabinet du maire\nPlace Morgan",
        "town_hall_postal_code": "13300",
        "town_hall_town": "Salon-de-Provence",
        "town_hall_email": salon.town_hall_email,
        "town_hall_phone": salon.town_hall_phone,
        "website": salon.website,
        "mandates-TOTAL_FORMS": "0",
        "mandates-INITIAL_FORMS": "0",
    }
    response = admin_client.post(f"/admin/officials/municipality/{salon.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]

    salon.refresh_from_db()
    assert salon.town_hall_edited == ["town_hall_address", "town_hall_postal_code", "town_hall_town"]
    import_townhalls(data_dir / SAMPLE, skip_invalid=True)

    salon.refresh_from_db()
    assert salon.town_hall_postal_lines == ["Cabinet du maire", "Place Morgan", "13300 Salon-de-Provence"]
    # What the person left alone still follows the directory.
    assert salon.town_hall_email == "mairie@salon.example.org"


def test_unticking_a_field_in_the_admin_gives_it_back_to_the_import(communes, data_dir, admin_client):
    salon = communes["13103"]
    salon.town_hall_phone, salon.town_hall_edited = "01 02 03 04 05", ["town_hall_phone"]
    salon.save()
    form = {
        "insee_code": "13103",
        "name": salon.name,
        "kind": salon.kind,
        "department": salon.department_id,
        "town_hall_phone": "01 02 03 04 05",
        "hand_edited": [],
        "mandates-TOTAL_FORMS": "0",
        "mandates-INITIAL_FORMS": "0",
    }
    assert admin_client.post(f"/admin/officials/municipality/{salon.pk}/change/", form).status_code == 302

    import_townhalls(data_dir / SAMPLE, skip_invalid=True)

    salon.refresh_from_db()
    assert (salon.town_hall_edited, salon.town_hall_phone) == ([], "04 00 00 00 00")


def test_a_field_set_through_the_api_is_kept_too(communes, data_dir, staff_api):
    response = staff_api.patch(
        "/api/municipalities/13069/", {"town_hall_email": "accueil@pelissanne.example.org"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["town_hall_edited"] == ["town_hall_email"]

    import_townhalls(data_dir / SAMPLE, skip_invalid=True)

    assert Municipality.objects.get(insee_code="13069").town_hall_email == "accueil@pelissanne.example.org"


def test_the_main_town_hall_wins_over_an_annex_listed_first(communes, tmp_path):
    records = [
        town_hall("13103", name="Mairie annexe - Salon - Quartier", street="2 rue de l'Annexe"),
        town_hall("13103", name="Mairie - Salon-de-Provence", street="1 place Morgan"),
        town_hall("13069", name="Mairie déléguée - Pélissanne", street="3 rue Déléguée"),
    ]

    report = import_townhalls(write(tmp_path, records))

    assert Municipality.objects.get(insee_code="13103").town_hall_address == "1 place Morgan"
    # No main town hall: the delegated one stands in.
    assert Municipality.objects.get(insee_code="13069").town_hall_address == "3 rue Déléguée"
    assert report.skipped == 0


def test_it_reads_json_lines_and_bare_lists_with_nested_fields_as_text(communes, tmp_path):
    record = town_hall("13103", telephone=json.dumps([{"valeur": "04 11 11 11 11", "description": ""}]))
    import_townhalls(write(tmp_path, [record], lines=True))
    assert Municipality.objects.get(insee_code="13103").town_hall_phone == "04 11 11 11 11"

    path = tmp_path / "list.json"
    path.write_text(json.dumps([town_hall("13069", email=["a@pelissanne.example.org"])]), encoding="utf-8")
    import_townhalls(path)
    assert Municipality.objects.get(insee_code="13069").town_hall_email == "a@pelissanne.example.org"


def test_a_file_that_is_not_json_is_refused(communes, tmp_path):
    path = tmp_path / "annuaire.json"
    path.write_text('{"service": [{"id": "x", ', encoding="utf-8")

    with pytest.raises(ImportFileError, match="JSON invalide"):
        import_townhalls(path)


def test_the_national_file_is_read_in_bounded_memory(communes, tmp_path):
    """Memory follows the municipalities kept, not the file: 40,000 records (~15 MB) of
    other services and annexes are streamed through a few megabytes."""
    path = tmp_path / "national.json"
    other = {**town_hall("13103"), "pivot": [{"type_service_local": "caf", "code_insee_commune": ["13103"]}]}
    with path.open("w", encoding="utf-8") as out:
        out.write('{"service": [')
        out.write(json.dumps(town_hall("13103", street="1 place Morgan")))
        for index in range(40_000):
            record = other if index % 2 else town_hall("13069", name=f"Mairie annexe {index}", street="x" * 200)
            out.write(",\n" + json.dumps({**record, "id": f"r{index}"}))
        out.write("]}")
    assert path.stat().st_size > 14_000_000

    tracemalloc.start()
    try:
        report = import_townhalls(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert report.rows == 20_001
    assert peak < 4_000_000
    assert Municipality.objects.get(insee_code="13103").town_hall_address == "1 place Morgan"


def test_the_command_lists_the_refused_records_and_says_what_it_did(communes, data_dir, capsys):
    call_command("import_townhalls", str(data_dir / SAMPLE), "--skip-invalid")

    out, err = capsys.readouterr()
    assert "enregistrement 6 (id « ex-99999-1 ») : commune 99999 inconnue" in err
    assert "5 mairies lues. Communes : 3 mises à jour" in out
    with pytest.raises(CommandError, match="1 ligne"):
        call_command("import_townhalls", str(data_dir / SAMPLE))
