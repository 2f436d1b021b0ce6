"""The pledge services hold the collective's rules (membership, territory) and the pact's: the
API and the admin both get them from there, with the same French messages."""

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import Membership, Pledge
from campaigns.pledges.services import PledgedMeasureInput, pledge_create, pledge_update
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import MembershipFactory, make_pact
from tests.campaigns.pledges.test_admin_pledges import form
from tests.campaigns.pledges.test_pledges import payload

pytestmark = pytest.mark.django_db

OUTSIDE = "La commune 13001 ne fait pas partie du territoire du collectif « Pays Salonais »."


def items(pact, codes=("P1", "P2", "01", "02", "03")):
    return [PledgedMeasureInput(measure=pact.measures.get(code=code)) for code in codes]


def create(pact, municipality, collective, by):
    return pledge_create(
        pact=pact, municipality=municipality, list_name="Salon en transition", measures=items(pact), by=by,
        collective=collective,
    )  # fmt: skip


def test_the_service_refuses_a_writer_who_is_not_a_member(pact, salon, collective, other_collective):
    outsider = MembershipFactory(collective=other_collective).user

    with pytest.raises(ValidationError) as refused:
        create(pact, salon, collective, outsider)

    assert refused.value.message_dict == {"collective": ["Vous n'êtes pas membre du collectif « Pays Salonais »."]}
    assert not Pledge.objects.exists()


def test_the_system_is_not_asked_for_a_membership_but_keeps_to_the_territory(pact, salon, outside, collective):
    assert create(pact, salon, collective, None).created_by is None

    with pytest.raises(ValidationError) as refused:
        create(pact, outside, collective, None)

    assert refused.value.message_dict == {"municipality": [OUTSIDE]}
    assert Pledge.objects.count() == 1


def test_staff_may_record_a_pledge_beyond_the_territory(pact, outside, collective):
    assert create(pact, outside, collective, UserFactory(is_staff=True)).municipality == outside


def test_a_member_names_the_collective_that_obtained_the_pledge(pact, salon, collective):
    member = MembershipFactory(collective=collective).user

    with pytest.raises(ValidationError) as refused:
        create(pact, salon, None, member)

    assert refused.value.message_dict == {"collective": ["Indiquez le collectif qui a obtenu ce pacte."]}


def test_an_update_keeps_a_municipality_the_territory_no_longer_holds(pact, salon, outside, collective):
    member = MembershipFactory(collective=collective).user
    pledge = create(pact, salon, collective, member)
    collective.territory.remove(salon)

    pledge_update(pledge=pledge, by=member, list_name="Salon demain")
    assert Pledge.objects.get().list_name == "Salon demain"

    with pytest.raises(ValidationError) as refused:
        pledge_update(pledge=Pledge.objects.get(), by=member, municipality=outside)
    assert refused.value.message_dict == {"municipality": [OUTSIDE]}
    assert Pledge.objects.get().municipality == salon


def test_an_update_by_a_non_member_is_refused(pact, salon, collective, other_collective):
    pledge = create(pact, salon, collective, None)

    with pytest.raises(ValidationError, match="pas membre du collectif « Pays Salonais »"):
        pledge_update(pledge=pledge, by=MembershipFactory(collective=other_collective).user, notes="Vu")

    assert Pledge.objects.get().notes == ""


def test_moving_a_pledge_to_another_collective_checks_its_municipality_there(pact, salon, collective, other_collective):
    staff_made = create(pact, salon, collective, None)
    user = MembershipFactory(collective=collective).user
    MembershipFactory(collective=other_collective, user=user)

    with pytest.raises(ValidationError) as refused:
        pledge_update(pledge=staff_made, by=user, collective=other_collective)

    assert refused.value.message_dict == {
        "municipality": ["La commune 13103 ne fait pas partie du territoire du collectif « Pays d'Aix »."]
    }


# The API and the admin answer the services' refusals on the field they name.


def test_the_api_answers_the_services_membership_refusal(as_role, pact, salon, collective):
    response = as_role("outsider").post("/api/pledges/", payload(pact, salon, collective), format="json")

    assert response.status_code == 400
    assert response.json() == {"collective": ["Vous n'êtes pas membre du collectif « Pays Salonais »."]}
    assert not Pledge.objects.exists()


@pytest.fixture
def member(client, collective):
    user = MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user
    client.force_login(user)
    return client


def field_errors(response, name):
    return [str(error) for error in response.context["adminform"].form.errors.get(name, [])]


def test_the_admin_refuses_a_municipality_outside_the_territory_on_its_field(member, pact, outside, collective):
    response = member.post("/admin/campaigns/pledge/add/", form(pact, outside, collective, ["P1", "P2", "01", "02"]))

    assert response.status_code == 200
    assert field_errors(response, "municipality") == [OUTSIDE]
    assert not Pledge.objects.exists()


def test_the_admin_refuses_a_collective_the_user_is_not_a_member_of(client, pact, salon, collective):
    # The field offers the user's collectives only: an outsider sending another is refused there.
    client.force_login(MembershipFactory(role=Membership.Role.COORDINATOR).user)

    response = client.post("/admin/campaigns/pledge/add/", form(pact, salon, collective, ["P1", "P2", "01", "02"]))

    assert response.status_code == 200
    assert field_errors(response, "collective")
    assert not Pledge.objects.exists()


def test_the_admin_shows_the_measures_refusal_under_the_measures(member, pact, salon, collective):
    response = member.post("/admin/campaigns/pledge/add/", form(pact, salon, collective, ["P1", "P2", "01"]))

    assert response.status_code == 200
    measures = response.context["inline_admin_formsets"][0].formset
    assert measures.non_form_errors() == ["Au moins 3 mesures doivent être choisies ; 1 le sont."]
    assert not Pledge.objects.exists()


def change_form(pledge, pact, codes, **changes):
    data = form(pact, pledge.municipality, pledge.collective, [])
    data.update({"list_name": pledge.list_name, **changes})
    rows = list(pledge.measures.order_by("pk"))
    by_code = {measure.code: measure for measure in pact.measures.all()}
    data["measures-TOTAL_FORMS"] = str(max(len(rows), len(codes)))
    data["measures-INITIAL_FORMS"] = str(len(rows))
    for index in range(max(len(rows), len(codes))):
        if index < len(rows):
            data[f"measures-{index}-id"] = rows[index].pk
            data[f"measures-{index}-pledge"] = pledge.pk
        if index < len(codes):
            data[f"measures-{index}-measure"] = by_code[codes[index]].pk
        else:
            data[f"measures-{index}-measure"] = rows[index].measure_id
            data[f"measures-{index}-DELETE"] = "on"
        data[f"measures-{index}-local_wording"] = ""
    return data


def test_an_admin_change_is_all_or_nothing(member, pact, salon, collective):
    pledge = create(pact, salon, collective, None)

    response = member.post(
        f"/admin/campaigns/pledge/{pledge.pk}/change/",
        change_form(pledge, pact, ["P1", "P2", "01"], list_name="Autre nom"),
    )

    assert response.status_code == 200
    pledge.refresh_from_db()
    assert pledge.list_name == "Salon en transition"
    assert pledge.measures.count() == 5


def test_an_admin_change_of_pact_rechecks_the_measures(member, pact, salon, collective):
    pledge = create(pact, salon, collective, None)
    other = make_pact(measures=4, principles=2, min_measures=3, levels=2)
    data = {**change_form(pledge, pact, ["P1", "P2", "01", "02", "03"]), "pact": other.pk}

    response = member.post(f"/admin/campaigns/pledge/{pledge.pk}/change/", data)

    assert response.status_code == 200
    measures = response.context["inline_admin_formsets"][0].formset
    assert "Mesure n°1 (P1) : elle appartient à un autre pacte." in measures.non_form_errors()
    assert Pledge.objects.get().pact == pact


def test_an_admin_change_within_the_rules_is_written(member, pact, salon, collective):
    pledge = create(pact, salon, collective, None)
    collective.territory.remove(salon)  # kept: it was on the pledge already

    response = member.post(
        f"/admin/campaigns/pledge/{pledge.pk}/change/",
        change_form(pledge, pact, ["P1", "P2", "01", "03", "04"], list_name="Salon demain"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    pledge.refresh_from_db()
    assert pledge.list_name == "Salon demain"
    assert sorted(pledge.measures.values_list("measure__code", flat=True)) == ["01", "03", "04", "P1", "P2"]
