"""An action's links are typed in the admin one address per input, not as raw JSON; a
wrong one is refused with its line and nothing is saved."""

import html

import pytest

from campaigns.models import Action
from tests.campaigns.collectives.test_admin_scoping import action_data, change_url
from tests.campaigns.factories import ActionFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(collective, salon):
    return ActionFactory(collective=collective, municipality=salon, links=["https://pacte.example.org/lettre"])


def test_the_page_shows_one_input_per_link_and_one_to_add(client, collective, action):
    client.force_login(member_of(collective))

    page = client.get(change_url(action)).content.decode()

    assert page.count('name="links"') == 2
    assert 'value="https://pacte.example.org/lettre"' in page
    assert "core/url_list.js" in page and "Ajouter un lien" in page


def test_links_are_saved_one_per_input(client, collective, action):
    client.force_login(member_of(collective))

    response = client.post(
        change_url(action), action_data(action, links=["https://pacte.example.org/lettre", "", "mairie.example.fr/cr"])
    )

    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).links == [
        "https://pacte.example.org/lettre",
        "https://mairie.example.fr/cr",
    ]


def test_a_wrong_link_is_refused_with_its_line(client, collective, action):
    client.force_login(member_of(collective))

    response = client.post(
        change_url(action), action_data(action, title="Changé", links=["https://pacte.example.org", "pas un lien"])
    )

    assert response.status_code == 200
    assert "Ligne 2 : « pas un lien » n'est pas une adresse web (http ou https)." in html.unescape(
        response.content.decode()
    )
    assert Action.objects.get(pk=action.pk).title != "Changé"
