"""Who an interpellation writes to: chosen officials and/or a rule, current mandates only, once each."""

import datetime as dt

import pytest

from campaigns.models import Letter
from tests.campaigns.factories import (
    CampaignFactory,
    LetterTemplateFactory,
    PledgeFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
)
from tests.officials.factories import MandateFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(salon, collective, pact):
    """Salon signed the pact; its mayor, two deputies, a councillor, and a deputy who left."""
    PledgeFactory(pact=pact, municipality=salon, collective=collective)
    former = in_office(salon, "adjoint", last_name="ANCIENNE")
    former.end_date = dt.date(2026, 6, 30)
    former.save()
    return {
        "mayor": in_office(salon, "maire", last_name="MAIRE"),
        "first_deputy": in_office(salon, "adjoint", last_name="PREMIERE"),
        "second_deputy": in_office(salon, "adjoint", sex="M", last_name="SECOND"),
        "councillor": in_office(salon, "conseiller_municipal", last_name="CONSEILLERE"),
        "former": former,
    }


def create(api, collective, **fields):
    template = fields.pop("template", None) or LetterTemplateFactory(collective=collective)
    return api.post("/api/interpellations/", {"collective": collective.slug, "template": template.pk, **fields},
                    format="json")  # fmt: skip


def recipients(response) -> list[tuple[str, str, str]]:
    letters = Letter.objects.filter(interpellation=response.json()["interpellation"]["id"])
    return sorted(letters.values_list("official__last_name", "role", "municipality_id"))


def test_the_rule_writes_to_the_mayor_and_deputies_of_signed_municipalities(as_role, collective, council, salon):
    elsewhere = MunicipalityFactory(name="Lançon-Provence")
    in_office(elsewhere, "maire", last_name="SANSPACTE")

    response = create(as_role("member"), collective, recipient_rule="mayors_and_deputies")

    assert response.status_code == 202, response.content
    assert recipients(response) == [
        ("MAIRE", "maire", "13103"),
        ("PREMIERE", "adjoint", "13103"),
        ("SECOND", "adjoint", "13103"),
    ]


def test_the_rule_follows_the_campaigns_municipalities(as_role, collective, council, pact, salon):
    lancon = MunicipalityFactory(name="Lançon-Provence")
    collective.territory.add(lancon)
    PledgeFactory(pact=pact, municipality=lancon, collective=collective)
    in_office(lancon, "maire", last_name="LANCON")
    in_office(lancon, "conseiller_municipal", last_name="CONSEILLER-LANCON")
    campaign = CampaignFactory(collective=collective)
    campaign.municipalities.add(lancon)

    response = create(as_role("member"), collective, campaign=campaign.pk, recipient_rule="mayors_and_deputies")

    assert response.status_code == 202, response.content
    assert recipients(response) == [("LANCON", "maire", lancon.pk)]


def test_without_campaign_the_rule_takes_every_municipality_the_collective_signed(
    as_role, collective, other_collective, council, pact, outside
):
    lancon = MunicipalityFactory(name="Lançon-Provence")
    collective.territory.add(lancon)
    PledgeFactory(pact=pact, municipality=lancon, collective=collective)
    in_office(lancon, "adjoint", last_name="LANCON")
    PledgeFactory(pact=pact, municipality=outside, collective=other_collective)
    in_office(outside, "maire", last_name="AIXOISE")

    response = create(as_role("member"), collective, recipient_rule="mayors_and_deputies")

    assert [name for name, _role, _place in recipients(response)] == ["LANCON", "MAIRE", "PREMIERE", "SECOND"]


def test_the_mayors_rule_writes_to_mayors_only(as_role, collective, council):
    response = create(as_role("member"), collective, recipient_rule="mayors")

    assert recipients(response) == [("MAIRE", "maire", "13103")]


def test_the_council_rule_writes_to_the_whole_current_council(as_role, collective, council):
    response = create(as_role("member"), collective, recipient_rule="council")

    assert [name for name, _role, _place in recipients(response)] == [
        "CONSEILLERE",
        "MAIRE",
        "PREMIERE",
        "SECOND",
    ]


def test_chosen_officials_and_the_rule_make_one_letter_each(as_role, collective, council):
    chosen = [council["mayor"].official_id, council["councillor"].official_id, council["mayor"].official_id]

    response = create(as_role("member"), collective, recipient_rule="mayors_and_deputies", officials=chosen)

    assert response.status_code == 202, response.content
    assert [name for name, _role, _place in recipients(response)] == [
        "CONSEILLERE",
        "MAIRE",
        "PREMIERE",
        "SECOND",
    ]
    assert response.json()["job"]["total"] == 4


def test_an_official_with_two_mandates_gets_one_letter_under_the_first_in_protocol_order(as_role, collective, salon):
    official = in_office(salon, "conseiller_municipal", last_name="CUMUL").official
    MandateFactory(official=official, municipality=salon, role="maire")

    response = create(as_role("member"), collective, officials=[official.pk])

    assert recipients(response) == [("CUMUL", "maire", "13103")]


def test_a_chosen_official_whose_mandate_ended_is_refused(as_role, collective, council):
    former = council["former"].official

    response = create(as_role("member"), collective, officials=[former.pk])

    assert response.status_code == 400
    assert response.json() == {"officials": [f"{former} n'a pas de mandat en cours."]}
    assert not Letter.objects.exists()


def test_a_rule_that_finds_nobody_is_refused(as_role, collective):
    response = create(as_role("member"), collective, recipient_rule="mayors_and_deputies")

    assert response.status_code == 400
    assert response.json() == {"officials": ["Aucun·e destinataire : choisissez des élu·es ou une règle."]}


def test_an_interpellation_needs_officials_or_a_rule(as_role, collective):
    response = create(as_role("member"), collective)

    assert response.status_code == 400
    assert response.json() == {"officials": ["Choisissez des élu·es ou une règle de destinataires."]}
