"""The admin's page that sends the survey's links: addresses typed one a line, each bad line
named and nothing sent then; sent through the outbox as by the API; how many links went out
and how many answers came back."""

import re

import pytest

from campaigns.gatherings.services.feedback import feedback_answer, link_of_token
from campaigns.models import FeedbackLink
from tasks.outbox.models import OutboundEmail
from tests.campaigns.factories import (
    EventFactory,
    FeedbackSurveyFactory,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
)
from tests.officials.factories import OfficialFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/api/feedback/(?P<token>[^/\s]+)/")


@pytest.fixture
def gathering(collective):
    return EventFactory(collective=collective, title="Rencontre régionale")


@pytest.fixture
def survey(gathering):
    return FeedbackSurveyFactory(event=gathering, scale_max=5, recommend_from=4)


@pytest.fixture
def member(client, collective):
    client.force_login(member_of(collective))
    return client


def page_url(event) -> str:
    return f"/admin/campaigns/event/{event.pk}/liens-questionnaire/"


def test_the_events_page_leads_to_the_sending_page(member, gathering):
    page = member.get(f"/admin/campaigns/event/{gathering.pk}/change/").content.decode()

    assert f'href="{page_url(gathering)}"' in page
    assert "Envoyer les liens du questionnaire aux participant·es" in page


def test_links_go_through_the_outbox_and_the_page_counts_links_and_answers(member, gathering, survey):
    response = member.post(page_url(gathering), {"emails": "ana@example.org\n\n  Bruno@Example.org \n"}, follow=True)

    assert response.redirect_chain == [(page_url(gathering), 302)]
    assert "2 liens envoyés." in response.content.decode()
    assert sorted(FeedbackLink.objects.values_list("email", flat=True)) == ["ana@example.org", "bruno@example.org"]
    email = OutboundEmail.objects.get(to=["ana@example.org"])
    assert email.subject == "Votre avis sur « Rencontre régionale »"
    feedback_answer(link=link_of_token(LINK.search(email.body_text)["token"]), score=5)

    again = member.post(page_url(gathering), {"emails": "ana@example.org\nchloe@example.org"}, follow=True)

    page = again.content.decode()
    assert "1 lien envoyé." in page
    assert "1 adresse avait déjà son lien (aucun second envoi) : ana@example.org." in page
    assert '<strong id="links-sent">3</strong>' in page
    assert '<strong id="answers-received">1</strong>' in page
    assert OutboundEmail.objects.count() == 3


def test_each_bad_line_is_named_and_nothing_is_sent(member, gathering, survey):
    response = member.post(page_url(gathering), {"emails": "ana@example.org\nbruno@\n\nchloe arobase example.org"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ligne 2 : « bruno@ » n&#x27;est pas une adresse électronique valide." in page
    assert "Ligne 4 : « chloe arobase example.org » n&#x27;est pas une adresse électronique valide." in page
    assert not FeedbackLink.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_refusal_of_the_service_is_shown_and_nothing_is_sent(member, gathering, survey):
    OfficialFactory(email="maire@example.org", do_not_email=True)

    response = member.post(page_url(gathering), {"emails": "ana@example.org\nmaire@example.org"})

    assert response.status_code == 200
    assert "maire@example.org ne peut pas recevoir de courriel" in response.content.decode()
    assert not FeedbackLink.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_without_a_survey_the_page_says_to_create_it_first(member, gathering):
    response = member.post(page_url(gathering), {"emails": "ana@example.org"})

    page = response.content.decode()
    assert "Cette rencontre n&#x27;a pas encore de questionnaire : créez-le d&#x27;abord." in page
    assert not OutboundEmail.objects.exists()


def test_another_collectives_event_is_out_of_reach(client, gathering, survey, other_collective):
    client.force_login(member_of(other_collective))

    response = client.post(page_url(gathering), {"emails": "ana@example.org"})

    assert response.status_code == 404
    assert not FeedbackLink.objects.exists()
