"""The admin applies the API's rules: members see and edit their collective's rows only,
coordinators also delete them, public reference data is read-only, staff see everything."""

import pytest

from campaigns.models import Action, Campaign, Membership, Pledge
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import (
    ActionFactory,
    CampaignFactory,
    CollectiveFactory,
    MembershipFactory,
    PactFactory,
    PledgeFactory,
)
from tests.officials.factories import MandateFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-solide"  # the one UserFactory sets


@pytest.fixture
def salon(db):
    return MunicipalityFactory(insee_code="13103", name="Salon-de-Provence")


@pytest.fixture
def aix(db):
    return MunicipalityFactory(insee_code="13001", name="Aix-en-Provence")


@pytest.fixture
def home(salon):
    return CollectiveFactory(slug="pays-salonais", name="Pays Salonais", territory=[salon])


@pytest.fixture
def away(aix):
    return CollectiveFactory(slug="pays-aixois", name="Pays d'Aix", territory=[aix])


@pytest.fixture
def rows(home, away, salon, aix):
    """A pledge, a campaign and an action for each collective, with telling names."""
    pact = PactFactory()
    return {
        home: {
            "pledge": PledgeFactory(pact=pact, municipality=salon, collective=home, list_name="Salon en transition"),
            "campaign": CampaignFactory(collective=home, title="Plan vélo salonais"),
            "action": ActionFactory(collective=home, municipality=salon, title="Courrier au maire de Salon"),
        },
        away: {
            "pledge": PledgeFactory(pact=pact, municipality=aix, collective=away, list_name="Aix demain"),
            "campaign": CampaignFactory(collective=away, title="Cantines aixoises"),
            "action": ActionFactory(collective=away, municipality=aix, title="Pétition à Aix"),
        },
    }


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def member(client, home):
    return logged_in(client, MembershipFactory(collective=home, role=Membership.Role.MEMBER).user)


@pytest.fixture
def coordinator(client, home):
    return logged_in(client, MembershipFactory(collective=home, role=Membership.Role.COORDINATOR).user)


@pytest.fixture
def staff(client):
    return logged_in(client, UserFactory(is_staff=True))


CHANGELISTS = {
    "pledge": ("/admin/campaigns/pledge/", "list_name"),
    "campaign": ("/admin/campaigns/campaign/", "title"),
    "action": ("/admin/campaigns/action/", "title"),
}


def listed(client, kind: str) -> set[str]:
    url, label = CHANGELISTS[kind]
    response = client.get(url)
    assert response.status_code == 200
    return {getattr(obj, label) for obj in response.context["cl"].result_list}


def action_data(action: Action, **changes) -> dict:
    data = {
        "collective": action.collective_id,
        "campaign": action.campaign_id or "",
        "kind": action.kind,
        "date": action.date.strftime("%d/%m/%Y"),
        "title": action.title,
        "description": action.description,
        "municipality": action.municipality_id or "",
        "outcome": action.outcome,
        "outcome_note": action.outcome_note,
        "links": "",
        "is_public": "on",
        "_save": "Enregistrer",
    }
    return {**data, **changes}


def change_url(obj) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def delete_url(obj) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/delete/"


# Entering the admin


def test_a_member_who_is_not_staff_enters_the_admin(member):
    response = member.get("/admin/")

    assert response.status_code == 200
    assert b"/admin/campaigns/action/" in response.content


def test_a_member_logs_in_through_the_admin_login_form(client, home):
    user = MembershipFactory(collective=home).user
    assert not user.is_staff

    response = client.post("/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_user_without_membership_cannot_enter_the_admin(client):
    client.force_login(UserFactory())

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    assert client.get("/admin/campaigns/action/").status_code == 302


def test_a_user_without_membership_cannot_log_in_through_the_admin_login_form(client):
    user = UserFactory()

    response = client.post("/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get("/admin/").status_code == 302


def test_an_inactive_member_cannot_enter_the_admin(client, home):
    user = MembershipFactory(collective=home, user__is_active=False).user
    client.force_login(user)

    assert client.get("/admin/").status_code == 302


# Changelists


@pytest.mark.parametrize("kind", ["pledge", "campaign", "action"])
def test_a_member_sees_only_their_collectives_rows(member, rows, home, away, kind):
    label = CHANGELISTS[kind][1]

    assert listed(member, kind) == {getattr(rows[home][kind], label)}


@pytest.mark.parametrize("kind", ["pledge", "campaign", "action"])
def test_another_collectives_rows_do_not_appear_in_the_page(member, rows, away, kind):
    label = CHANGELISTS[kind][1]

    response = member.get(CHANGELISTS[kind][0])

    assert getattr(rows[away][kind], label) not in response.content.decode()


def test_a_member_sees_only_their_collective_in_the_collectives_list(member, home, away):
    response = member.get("/admin/campaigns/collective/")

    assert response.status_code == 200
    assert [collective.pk for collective in response.context["cl"].result_list] == [home.pk]


def test_a_coordinator_changes_their_collectives_website(coordinator, home):
    data = {
        "name": home.name,
        "slug": home.slug,
        "contact_email": home.contact_email,
        "website": "pacte-pays-salonais.example.org",
        "territory": ["13103"],
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "_save": "Enregistrer",
    }

    assert coordinator.get(change_url(home)).status_code == 200
    response = coordinator.post(change_url(home), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    home.refresh_from_db()
    assert home.website == "https://pacte-pays-salonais.example.org"


def test_a_member_views_their_collective_read_only(member, home):
    response = member.get(change_url(home))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


def test_a_member_cannot_open_another_collective(member, away):
    response = member.get(change_url(away), follow=True)

    assert "Pays d&#x27;Aix" not in response.content.decode()
    assert "Pays d'Aix" not in response.content.decode()


@pytest.mark.parametrize("kind", ["pledge", "campaign", "action"])
def test_staff_see_every_collectives_rows(staff, rows, home, away, kind):
    label = CHANGELISTS[kind][1]

    assert listed(staff, kind) == {getattr(rows[home][kind], label), getattr(rows[away][kind], label)}


# Changing and deleting an action


def test_a_member_opens_their_collectives_action(member, rows, home):
    response = member.get(change_url(rows[home]["action"]))

    assert response.status_code == 200
    assert "Courrier au maire de Salon" in response.content.decode()


def test_a_member_changes_their_collectives_action(member, rows, home):
    action = rows[home]["action"]

    response = member.post(
        change_url(action), action_data(action, outcome=Action.Outcome.SUCCESS, outcome_note="Réponse reçue")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    action.refresh_from_db()
    assert (action.outcome, action.outcome_note) == (Action.Outcome.SUCCESS, "Réponse reçue")


def test_a_member_cannot_move_an_action_to_another_collective(member, rows, home, away):
    action = rows[home]["action"]

    response = member.post(change_url(action), action_data(action, collective=away.pk))

    assert response.status_code == 200
    assert "collective" in response.context["adminform"].form.errors
    action.refresh_from_db()
    assert action.collective_id == home.pk


def test_a_member_cannot_place_an_action_outside_their_territory(member, rows, home, aix):
    action = rows[home]["action"]

    response = member.post(change_url(action), action_data(action, municipality=aix.pk))

    assert response.status_code == 200
    assert "municipality" in response.context["adminform"].form.errors
    action.refresh_from_db()
    assert action.municipality_id == "13103"


def test_another_collectives_action_is_not_shown_to_a_member(member, rows, away):
    action = rows[away]["action"]

    response = member.get(change_url(action))

    # As for a missing object: back to the index, without revealing the action.
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response.url == "/admin/"
    assert "Pétition à Aix" not in member.get(change_url(action), follow=True).content.decode()


def test_a_member_cannot_change_another_collectives_action(member, rows, away):
    action = rows[away]["action"]

    response = member.post(change_url(action), action_data(action, title="Détournée"))

    assert response.status_code in (302, 403, 404)
    action.refresh_from_db()
    assert action.title == "Pétition à Aix"


def test_a_member_cannot_delete_their_collectives_action(member, rows, home):
    action = rows[home]["action"]

    assert member.get(delete_url(action)).status_code == 403
    assert member.post(delete_url(action), {"post": "yes"}).status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()


def test_a_coordinator_deletes_their_collectives_action(coordinator, rows, home):
    action = rows[home]["action"]

    assert coordinator.get(delete_url(action)).status_code == 200
    response = coordinator.post(delete_url(action), {"post": "yes"})

    assert response.status_code == 302
    assert not Action.objects.filter(pk=action.pk).exists()


def test_a_coordinator_cannot_delete_another_collectives_action(coordinator, rows, away):
    action = rows[away]["action"]

    response = coordinator.post(delete_url(action), {"post": "yes"})

    assert response.status_code in (302, 403, 404)
    assert Action.objects.filter(pk=action.pk).exists()


@pytest.mark.parametrize("model", [Pledge, Campaign])
def test_a_coordinator_deletes_their_collectives_pledges_and_campaigns(coordinator, rows, home, model):
    obj = rows[home][model._meta.model_name]

    response = coordinator.post(delete_url(obj), {"post": "yes"})

    assert response.status_code == 302
    assert not model.objects.filter(pk=obj.pk).exists()


def test_the_change_page_offers_deletion_only_to_coordinators(client, rows, home):
    action = rows[home]["action"]
    client.force_login(MembershipFactory(collective=home).user)
    assert delete_url(action) not in client.get(change_url(action)).content.decode()

    client.force_login(MembershipFactory(collective=home, role=Membership.Role.COORDINATOR).user)
    assert delete_url(action) in client.get(change_url(action)).content.decode()


# Public reference data


def test_a_member_views_officials_and_municipalities_read_only(member, salon):
    official = MandateFactory(municipality=salon).official

    for obj, field in [(official, "last_name"), (salon, "name")]:
        response = member.get(change_url(obj))
        assert response.status_code == 200
        assert response.context["has_change_permission"] is False
        assert f'name="{field}"' not in response.content.decode()

        assert member.post(change_url(obj), {field: "Modifié"}).status_code == 403
        obj.refresh_from_db()
        assert getattr(obj, field) != "Modifié"


def test_a_member_lists_officials_and_municipalities(member, salon):
    MandateFactory(municipality=salon, official__last_name="Durand")

    assert "Durand" in member.get("/admin/officials/official/").content.decode()
    assert "Salon-de-Provence" in member.get("/admin/officials/municipality/").content.decode()


def test_a_member_cannot_delete_a_municipality(member, salon):
    assert member.post(delete_url(salon), {"post": "yes"}).status_code == 403


# Language


def test_the_admin_speaks_french(member, rows):
    content = member.get("/admin/").content.decode()

    assert "Déconnexion" in content
    assert "Pactes signés" in content
    assert "Campagnes" in content
    assert "Actions" in content


def test_the_action_form_uses_french_labels(member, rows, home):
    content = member.get(change_url(rows[home]["action"])).content.decode()

    assert "Modification de l&#x27;action" in content
    assert 'value="Enregistrer"' in content
    assert "Cibles" in content
    assert "Résultat" in content
    assert "Élu·es visé·es" in content
