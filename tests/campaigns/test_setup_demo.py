"""``setup_demo``: reference data, the Pays Salonais demo and a demo admin, safe to run again."""

import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from campaigns.demo import PACT_2020
from campaigns.models import Action, Campaign, Collective, Initiative, Measure, Membership, Pact, Pledge
from campaigns.pledges.services import PledgedMeasureInput, pledged_measures_check
from officials.models import DepartmentContour, Mandate, Municipality, MunicipalityContour, Official

pytestmark = pytest.mark.django_db

CREDENTIALS = re.compile(r"identifiant « (?P<user>[^»]+) », mot de passe « (?P<password>[^»]+) »")


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    """The command writes the demo password under VAR_DIR; DEBUG is off under the test runner."""
    settings.VAR_DIR = tmp_path
    settings.DEBUG = True
    return tmp_path


def setup_demo(*args) -> str:
    out = io.StringIO()
    call_command("setup_demo", *args, stdout=out)
    return out.getvalue()


def counts_of_every_model() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_it_loads_communes_and_their_officials():
    setup_demo()

    salon = Municipality.objects.get(insee_code="13103")
    assert salon.name == "Salon-de-Provence"
    assert Municipality.objects.count() >= 6
    assert Official.objects.exists()
    assert Mandate.objects.filter(municipality=salon, role=Mandate.Role.MAYOR, end_date__isnull=True).exists()


def test_it_loads_the_pacte_2020():
    setup_demo()

    pact = Pact.objects.get(name=PACT_2020)
    assert (pact.year, pact.min_measures, pact.principles_required) == (2020, 10, True)
    assert pact.measures.filter(kind=Measure.Kind.PRINCIPLE).count() == 3
    assert pact.measures.filter(kind=Measure.Kind.MEASURE).count() == 32
    assert pact.themes.count() == 8


def test_it_creates_the_pays_salonais_collective_with_its_territory():
    setup_demo()

    collective = Collective.objects.get(slug="pays-salonais")
    assert set(collective.territory.values_list("insee_code", flat=True)) >= {"13103", "13051", "13069"}


def test_the_collective_has_three_pledges_that_meet_the_pacts_rules():
    setup_demo()

    collective = Collective.objects.get(slug="pays-salonais")
    pledges = list(collective.pledges.select_related("pact", "municipality"))
    assert sorted(pledge.municipality.insee_code for pledge in pledges) == ["13051", "13069", "13103"]
    principles = set(Measure.objects.filter(pact__name=PACT_2020, kind=Measure.Kind.PRINCIPLE))
    for pledge in pledges:
        assert pledge.pact.name == PACT_2020
        items = [
            PledgedMeasureInput(measure=pm.measure, level=pm.level)
            for pm in pledge.measures.select_related("measure", "level")
        ]
        pledged_measures_check(pact=pledge.pact, items=items)  # raises if a rule is broken
        chosen = [item.measure for item in items if item.measure.kind == Measure.Kind.MEASURE]
        assert len(chosen) >= pledge.pact.min_measures
        assert principles <= {item.measure for item in items}
        assert all(item.level is None or item.level.measure_id == item.measure.pk for item in items)


def test_elected_lists_have_their_mayor_as_head_of_list():
    setup_demo()

    salon_list = Pledge.objects.get(list_name="Salon en transition")
    assert salon_list.election_outcome == Pledge.Outcome.ELECTED
    assert salon_list.head_of_list is not None
    assert salon_list.head_of_list.mandates.filter(municipality__insee_code="13103", role=Mandate.Role.MAYOR).exists()
    assert Pledge.objects.get(list_name="Pélissanne écologique et solidaire").head_of_list is None


def test_it_creates_a_campaign_with_three_actions():
    setup_demo()

    campaign = Campaign.objects.get(collective__slug="pays-salonais")
    assert campaign.title == "Mobilités durables au Pays Salonais"
    assert campaign.status == Campaign.Status.IN_PROGRESS
    assert set(campaign.measures.values_list("code", flat=True)) == {"03", "28"}
    actions = list(campaign.actions.order_by("date"))
    assert [action.kind for action in actions] == [
        Action.Kind.LETTER,
        Action.Kind.MEETING,
        Action.Kind.COUNCIL_QUESTION,
    ]
    assert all(action.collective_id == campaign.collective_id for action in actions)
    assert Action.objects.count() == 3


def test_running_it_twice_changes_no_row_count_of_any_model():
    first_output = setup_demo()
    before = counts_of_every_model()

    second_output = setup_demo()

    assert counts_of_every_model() == before
    assert before["campaigns.Pledge"] == 3
    assert CREDENTIALS.search(second_output)["password"] == CREDENTIALS.search(first_output)["password"]


def test_it_prints_the_demo_admin_credentials_and_the_password_logs_in(client, var_dir):
    output = setup_demo()

    credentials = CREDENTIALS.search(output)
    assert credentials, output
    assert credentials["user"] == "admin"
    assert (var_dir / "demo-admin-password.txt").read_text(encoding="utf-8").strip() == credentials["password"]
    assert client.login(username="admin", password=credentials["password"])
    assert client.get("/admin/").status_code == 200


def test_the_demo_admin_coordinates_the_demo_collective():
    setup_demo()

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    membership = Membership.objects.get(user=admin, collective__slug="pays-salonais")
    assert membership.role == Membership.Role.COORDINATOR


def test_the_demo_admin_has_a_first_and_last_name_the_admin_greets(client):
    get_user_model().objects.create_superuser("admin", "admin@example.org", "x")  # made by an earlier release

    setup_demo()

    admin = get_user_model().objects.get(username="admin")
    assert (admin.first_name, admin.last_name) == ("Camille", "Martin")
    client.force_login(admin)
    assert "Camille" in client.get("/admin/").content.decode()


def test_it_prints_a_summary_of_what_it_loaded():
    output = setup_demo()

    assert "Communes : " in output
    collective = "collectif « Collectif Pacte pour la Transition du Pays Salonais »"
    assert f"Pacte 2020 et démonstration chargés : {collective}" in output
    assert "3 pactes signés" in output


def test_without_debug_it_creates_no_admin_account(settings):
    settings.DEBUG = False

    output = setup_demo()

    assert "DEBUG=0 : pas de compte de démonstration" in output
    assert not CREDENTIALS.search(output)
    assert not get_user_model().objects.exists()
    assert Pledge.objects.count() == 3


def test_no_admin_skips_the_demo_account(var_dir):
    output = setup_demo("--no-admin")

    assert not CREDENTIALS.search(output)
    assert not get_user_model().objects.exists()
    assert not (var_dir / "demo-admin-password.txt").exists()
    assert Action.objects.count() == 3


def test_it_loads_the_contours_of_the_bouches_du_rhone_and_initiatives_on_the_map():
    output = setup_demo()

    assert "Contours des communes : 119 entités lues. Contours : 119 créés" in output
    assert MunicipalityContour.objects.count() == 119 and DepartmentContour.objects.filter(pk="13").exists()
    validated = Initiative.objects.filter(status=Initiative.Status.VALIDATED)
    assert set(validated.values_list("municipality_id", flat=True)) >= {"13103", "13055"}
    assert Initiative.objects.filter(status=Initiative.Status.PROPOSED).exists()
    body = APIClient().get("/api/map/", {"department": "13"}).json()
    layers = [feature["properties"]["layer"] for feature in body["features"]]
    assert layers.count("municipality") == 119 and layers.count("initiative") == validated.count()
