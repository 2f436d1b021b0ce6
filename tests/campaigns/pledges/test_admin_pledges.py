"""In the admin too, a pledge keeps the pact's rules: the pledge service checks its measures."""

import pytest

from campaigns.models import Measure, Membership, Pledge
from tests.campaigns.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, collective):
    client.force_login(MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user)
    return client


def form(pact, salon, collective, codes):
    measures = {measure.code: measure for measure in pact.measures.all()}
    data = {
        "pact": pact.pk,
        "municipality": salon.pk,
        "list_name": "Salon en transition",
        "collective": collective.pk,
        "head_of_list_name": "",
        "signed_on": "2026-02-12",
        "election_outcome": "elected",
        "notes": "",
        "measures-TOTAL_FORMS": str(len(codes)),
        "measures-INITIAL_FORMS": "0",
        "_save": "Enregistrer",
    }
    for index, code in enumerate(codes):
        data[f"measures-{index}-measure"] = measures[code].pk
        data[f"measures-{index}-local_wording"] = ""
    return data


def test_the_admin_refuses_a_pledge_with_fewer_measures_than_the_pact_asks(member, pact, salon, collective):
    response = member.post("/admin/campaigns/pledge/add/", form(pact, salon, collective, ["P1", "P2", "01"]))

    assert response.status_code == 200
    assert "Au moins 3 mesures doivent être choisies ; 1 le sont." in response.content.decode()
    assert not Pledge.objects.exists()


def test_the_admin_refuses_a_pledge_without_the_transversal_principles(member, pact, salon, collective):
    response = member.post("/admin/campaigns/pledge/add/", form(pact, salon, collective, ["01", "02", "03"]))

    assert response.status_code == 200
    assert "Les principes transversaux sont obligatoires ; il manque : P1, P2." in response.content.decode()
    assert not Pledge.objects.exists()


def test_the_admin_records_a_pledge_that_keeps_the_rules(member, pact, salon, collective):
    response = member.post(
        "/admin/campaigns/pledge/add/", form(pact, salon, collective, ["P1", "P2", "01", "02", "03"])
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    pledge = Pledge.objects.get()
    assert sorted(pledge.measures.values_list("measure__code", flat=True)) == ["01", "02", "03", "P1", "P2"]
    assert pledge.measures.filter(measure__kind=Measure.Kind.PRINCIPLE).count() == 2
