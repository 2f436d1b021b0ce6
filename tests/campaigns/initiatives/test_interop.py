import io
import json

import pytest
from django.core.management import call_command

from campaigns.initiatives.interop import import_initiatives
from campaigns.initiatives.models import Initiative
from officials.importers import ImportRowsInvalid, import_contours
from officials.importers.contours import DEMO_CONTOURS
from tests.campaigns.factories import ThemeFactory

pytestmark = pytest.mark.django_db

HEADER = "identifiant;nom;type;code_insee;thematiques;courriel;liens;longitude;latitude\n"


def csv(*lines: str) -> io.BytesIO:
    return io.BytesIO((HEADER + "".join(line + "\n" for line in lines)).encode())


def test_a_csv_import_creates_then_updates_by_source_identifier(salon, pact):
    ThemeFactory(pact=pact, code="mobilite")
    first = import_initiatives(
        csv("a1;Vélo-école;association;13103;mobilite;contact@velo.example;https://velo.example;;"),
        file_format="csv",
        source_name="collectif-salon",
    )
    again = import_initiatives(
        csv("a1;Vélo-école du Pays salonais;association;13103;mobilite;;;5.09;43.63"),
        file_format="csv",
        source_name="collectif-salon",
    )

    assert (first.created, again.created, again.updated) == (1, 0, 1)
    initiative = Initiative.objects.get()
    assert initiative.name == "Vélo-école du Pays salonais"
    assert (initiative.longitude, initiative.latitude) == (5.09, 43.63)
    assert [theme.code for theme in initiative.themes.all()] == ["mobilite"]
    assert initiative.status == Initiative.Status.PROPOSED and initiative.source_id == "a1"


def test_every_error_of_a_file_is_reported_with_its_line_and_nothing_written(salon):
    body = csv(
        "a1;;association;13103;;;;;",
        "a2;Ferme;ovni;13103;;;;;",
        "a3;Mairie;public_body;99999;;pas-un-courriel;ftp://x;;",
        "a4;Repair café;association;13103;;;;;",
    )

    with pytest.raises(ImportRowsInvalid) as refused:
        import_initiatives(body, file_format="csv", source_name="csv")

    errors = [str(error) for error in refused.value.report.errors]
    assert [error.split(" :")[0] for error in errors] == ["ligne 2", "ligne 3", "ligne 4"]
    assert "nom absent" in errors[0] and "« ovni » sans correspondance" in errors[1]
    assert "commune « 99999 » inconnue" in errors[2] and "courriel" in errors[2] and "lien" in errors[2]
    assert not Initiative.objects.exists()


def test_a_gogocarto_export_is_mapped_and_placed_in_the_commune_that_holds_its_point(salon, pact):
    import_contours(DEMO_CONTOURS)
    ThemeFactory(pact=pact, code="alimentation")
    export = {
        "data": [
            {
                "id": "gX1",
                "name": "AMAP de Salon",
                "geo": {"latitude": 43.64, "longitude": 5.097},
                "categories": ["Alimentation", "Association"],
                "email": "amap@example.org",
                "website": "https://amap.example",
            }
        ]
    }
    mapping = {"kinds": {"Association": "association"}, "themes": {"Alimentation": "alimentation"}}

    report = import_initiatives(
        io.BytesIO(json.dumps(export).encode()),
        file_format="gogocarto",
        source_name="gogocarto:transiscope",
        mapping=mapping,
        validate=True,
    )

    assert report.created == 1
    amap = Initiative.objects.get(source="gogocarto:transiscope", source_id="gX1")
    assert amap.municipality_id == "13103" and amap.kind == "association"
    assert [theme.code for theme in amap.themes.all()] == ["alimentation"]
    assert amap.status == Initiative.Status.VALIDATED and amap.links == ["https://amap.example"]


def test_the_command_reports_the_elements_of_a_gogocarto_file_by_position(tmp_path, salon):
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"id": "1", "name": "Sans lieu", "categories": ["projet"]}]))
    err = io.StringIO()

    with pytest.raises(Exception, match="rien n'a été importé"):
        call_command("import_initiatives", str(path), "--format", "gogocarto", stdout=io.StringIO(), stderr=err)

    assert "élément n° 1 : " in err.getvalue() and "commune introuvable" in err.getvalue()
