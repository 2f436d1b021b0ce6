"""The feedback survey: organisers send a link to each participant through the outbox; each
link answers once, without an account; the figures say who recommends and which words came."""

import re

import pytest
from django.utils import timezone

from campaigns.models import FeedbackAnswer, FeedbackLink, FeedbackSurvey
from tasks.outbox.models import OutboundEmail
from tests.campaigns.factories import (
    EventFactory,
    FeedbackSurveyFactory,
    letter_settings,  # noqa: F401 - autouse fixture
)
from tests.officials.factories import OfficialFactory
from tests.openapi import assert_conforms, operation

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/api/feedback/(?P<token>[^/\s]+)/")


@pytest.fixture
def gathering(collective):
    return EventFactory(collective=collective, title="Rencontre régionale de Salon-de-Provence")


@pytest.fixture
def survey(gathering):
    return FeedbackSurveyFactory(event=gathering, scale_max=5, recommend_from=4)


def send_links(client, event, emails) -> list[str]:
    """The tokens of the links e-mailed to ``emails``, read from the queued e-mails."""
    response = client.post(f"/api/events/{event.pk}/feedback-links/", {"emails": emails}, format="json")
    assert response.status_code == 201, response.json()
    return [LINK.search(OutboundEmail.objects.get(to=[email.lower()]).body_text)["token"] for email in emails]


def answer(api, token, **body):
    return api.post(f"/api/feedback/{token}/", body, format="json")


def test_organisers_set_the_survey_with_a_put(as_role, gathering):
    response = as_role("member").put(
        f"/api/events/{gathering.pk}/survey/",
        {"question": "Recommanderiez-vous la rencontre ?", "scale_max": 10, "recommend_from": 8},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert FeedbackSurvey.objects.get(event=gathering).recommend_from == 8
    assert as_role("anonymous").get(f"/api/events/{gathering.pk}/survey/").json()["scale_max"] == 10


def test_a_threshold_above_the_scale_is_refused(as_role, gathering):
    response = as_role("member").put(
        f"/api/events/{gathering.pk}/survey/", {"scale_max": 5, "recommend_from": 6}, format="json"
    )

    assert response.status_code == 400
    assert "Le seuil de recommandation doit être compris entre 1 et la note maximale." in str(response.json())


def test_each_participant_gets_a_link_through_the_outbox_and_nobody_gets_two(as_role, gathering, survey):
    client = as_role("member")
    tokens = send_links(client, gathering, ["ana@example.org", "Bruno@Example.org"])

    again = client.post(
        f"/api/events/{gathering.pk}/feedback-links/",
        {"emails": ["ana@example.org", "chloe@example.org"]},
        format="json",
    )

    assert [link["email"] for link in again.json()["created"]] == ["chloe@example.org"]
    assert again.json()["skipped"] == ["ana@example.org"]
    assert OutboundEmail.objects.count() == 3
    email = OutboundEmail.objects.get(to=["ana@example.org"])
    assert email.subject == "Votre avis sur « Rencontre régionale de Salon-de-Provence »"
    assert len(set(tokens)) == 2
    # Only a digest is stored: the token itself is in the e-mail alone.
    assert not FeedbackLink.objects.filter(token_digest__in=tokens).exists()


def test_links_need_a_survey_first(as_role, gathering):
    response = as_role("member").post(
        f"/api/events/{gathering.pk}/feedback-links/", {"emails": ["ana@example.org"]}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"emails": ["Cette rencontre n'a pas encore de questionnaire : créez-le d'abord."]}


def test_a_link_shows_the_survey_and_answers_once(api, as_role, gathering, survey):
    [token] = send_links(as_role("member"), gathering, ["ana@example.org"])

    form = api.get(f"/api/feedback/{token}/").json()
    first = answer(api, token, score=5, words=["Constructive", " inspirante "], comment="Merci !")
    second = answer(api, token, score=1)

    assert form["event"] == "Rencontre régionale de Salon-de-Provence"
    assert (form["scale_max"], form["answered"]) == (5, False)
    assert first.status_code == 201, first.json()
    assert second.status_code == 409
    assert second.json() == {"detail": "Ce lien a déjà servi : une seule réponse par lien."}
    assert api.get(f"/api/feedback/{token}/").json()["answered"] is True
    stored = FeedbackAnswer.objects.get()
    assert (stored.score, stored.comment) == (5, "Merci !")
    assert sorted(stored.words.values_list("word", flat=True)) == ["constructive", "inspirante"]


def test_an_unknown_link_is_not_found(api, survey):
    assert api.get("/api/feedback/inconnu/").status_code == 404
    assert answer(api, "inconnu", score=3).status_code == 404


def test_a_score_off_the_scale_is_refused_and_leaves_the_link_unused(api, as_role, gathering, survey):
    [token] = send_links(as_role("member"), gathering, ["ana@example.org"])

    response = answer(api, token, score=6)

    assert response.status_code == 400
    assert response.json() == {"score": ["La note va de 1 à 5."]}
    assert FeedbackLink.objects.get().answered_at is None
    assert answer(api, token, score=4).status_code == 201


def test_a_closed_survey_takes_no_answer(api, as_role, gathering, survey):
    [token] = send_links(as_role("member"), gathering, ["ana@example.org"])
    survey.closes_on = timezone.localdate() - timezone.timedelta(days=1)
    survey.save()

    response = answer(api, token, score=4)

    assert response.status_code == 400
    assert "Ce questionnaire est clos depuis le" in response.json()["non_field_errors"][0]
    assert not FeedbackAnswer.objects.exists()


def test_the_figures_give_the_share_who_recommend_and_the_words_most_used(api, as_role, gathering, survey):
    emails = [f"p{index}@example.org" for index in range(7)]
    tokens = send_links(as_role("member"), gathering, emails)
    scores = [5, 5, 4, 4, 4, 5, 2]  # six of seven recommend (4 and up)
    words = [["constructive"], ["inspirante", "Constructive"], ["constructive"], ["conviviale"], [], ["inspirante"], []]
    for token, score, given in zip(tokens, scores, words, strict=True):
        assert answer(api, token, score=score, words=given).status_code == 201

    figures = as_role("anonymous").get(f"/api/events/{gathering.pk}/feedback/").json()

    assert (figures["links"], figures["answers"]) == (7, 7)
    assert figures["recommend_share"] == 85.7
    assert figures["average_score"] == 4.14
    assert figures["words"] == [
        {"word": "constructive", "count": 3},
        {"word": "inspirante", "count": 2},
        {"word": "conviviale", "count": 1},
    ]


def test_without_answers_the_share_is_empty(as_role, gathering, survey):
    figures = as_role("anonymous").get(f"/api/events/{gathering.pk}/feedback/").json()

    assert (figures["answers"], figures["recommend_share"], figures["words"]) == (0, None, [])


def test_too_many_words_are_refused(api, as_role, gathering, survey):
    [token] = send_links(as_role("member"), gathering, ["ana@example.org"])

    response = answer(api, token, score=4, words=["un", "deux", "trois", "quatre", "cinq", "six"])

    assert response.status_code == 400
    assert "words" in response.json()


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("outsider", 403), ("member", 200), ("staff", 200)])
def test_the_answers_and_the_links_are_for_the_organisers(api, as_role, gathering, survey, role, status):
    [token] = send_links(as_role("member"), gathering, ["ana@example.org"])
    answer(api, token, score=5, words=["inspirante"], comment='=HYPERLINK("x")')

    client = as_role(role)
    export = client.get(f"/api/events/{gathering.pk}/feedback/answers/")
    links = client.get(f"/api/events/{gathering.pk}/feedback-links/")

    assert (export.status_code, links.status_code) == (status, status)
    if status == 200:
        lines = export.content.decode("utf-8-sig").splitlines()
        assert lines == ["Note;Recommande;Mots;Commentaire", '5;oui;inspirante;"\'=HYPERLINK(""x"")"']
        assert links.json()["results"][0]["answered"] is True
        assert "ana@example.org" not in export.content.decode()


def test_a_stale_api_token_does_not_stop_a_participant_from_answering(api, as_role, gathering, survey):
    [token] = send_links(as_role("member"), gathering, ["ana@example.org"])
    api.credentials(HTTP_AUTHORIZATION="Token périmé")

    response = answer(api, token, score=4)

    assert response.status_code == 201
    assert_conforms(response)
    assert operation("post", "/api/feedback/{token}/").get("security", [{}]) == [{}]  # no credential asked


def test_an_address_that_refuses_e_mail_stops_the_sending_and_nothing_is_written(as_role, gathering, survey):
    OfficialFactory(email="maire@example.org", do_not_email=True)

    response = as_role("member").post(
        f"/api/events/{gathering.pk}/feedback-links/",
        {"emails": ["ana@example.org", "maire@example.org"]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "emails": [
            "maire@example.org ne peut pas recevoir de courriel : l'élu·e ne souhaite pas être contacté·e par courriel"
        ]
    }
    assert not FeedbackLink.objects.exists()
    assert not OutboundEmail.objects.exists()
