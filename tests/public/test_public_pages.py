"""The public pages as the server renders them: French, public data only, from the cache,
and a new page once a review is published."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campaigns.models import AssessmentStatus, Campaign
from campaigns.reviews.services import cycle_publish
from tests.campaigns.factories import ActionFactory, CampaignFactory, InterpellationFactory, LetterFactory, assess

pytestmark = pytest.mark.django_db


def page(address: str, status: int = 200) -> str:
    response = Client().get(address)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "text/html; charset=utf-8"
    return response.content.decode()


def test_the_map_page_is_french_with_its_legend_filters_and_lists(reviewed):
    html = page("/carte/?departement=13")

    assert '<html lang="fr">' in html
    assert "<h1>Carte des engagements : Bouches-du-Rhône (13)</h1>" in html
    assert "<main" in html and "<nav" in html and "<footer" in html
    for label in ["moins de 2", "de 8 à 10", "pas de bilan publié", "une initiative"]:
        assert label in html
    assert '<option value="mobilite">Mobilités</option>' in html
    assert '<option value="13" selected>13 — Bouches-du-Rhône</option>' in html
    # Leaflet and the page's script are the project's files; no inline script runs.
    assert '<script src="/static/leaflet/leaflet.js"></script>' in html
    assert re.findall(r"<script(?![^>]*\b(?:src|type=\"application/json\"))", html) == []
    assert re.search(r'<a href="/communes/13103/">Salon-de-Provence</a></th>\s*<td>5,0</td>', html)


def test_non_published_reviews_and_proposed_initiatives_never_show(reviewed):
    pages = page("/carte/?departement=13") + page("/carte/") + page("/communes/13103/") + page("/communes/13001/")

    assert "Bilan interne 2025" not in pages
    assert "Texte d'un bilan non publié" not in pages
    assert "abandonnée" not in pages
    assert "Jardin proposé" not in pages
    assert "Aucun bilan publié pour cette commune." in page("/communes/13001/")


def test_the_map_of_france_lists_only_municipalities_with_a_published_score(reviewed):
    html = page("/carte/")

    assert "<h1>Carte des engagements : France</h1>" in html
    assert "Salon-de-Provence" in html
    assert "Aix-en-Provence</a></th>" not in html and "Marseille" not in html


def test_filters_are_applied_and_bad_ones_get_a_french_message(reviewed):
    projects = page("/carte/?departement=13&type=project")
    unknown = page("/carte/?departement=99&theme=absente", status=400)

    assert "Ferme du Merle" in projects and "Vélo-école" not in projects
    assert "Département « 99 » inconnu." in unknown
    assert "Thématique « absente » inconnue." in unknown


def test_the_scorecard_shows_score_themes_measures_sources_and_reply(reviewed):
    html = page("/communes/13103/")

    assert '<html lang="fr">' in html
    assert '<strong id="score">5,0</strong>' in html
    assert "Bilan de mi-mandat 2023 : 2 mesures évaluées sur 2" in html
    assert re.search(r"Mobilités</span>.*?10,0 sur 10 \(1 mesure\)", html, re.S)
    assert re.search(r"Alimentation</span>.*?0,0 sur 10 \(1 mesure\)", html, re.S)
    assert "réalisée" in html and "non engagée" in html
    assert '<a href="https://www.salon-de-provence.org/bus" rel="nofollow noopener">' in html
    # A source that is no web address is text, never a link.
    assert 'href="javascript:' not in html and "<li>javascript:alert(1)</li>" in html
    assert "La troisième ligne ouvrira en 2027." in html
    assert "La liste élue « Salon en transition » a signé" in html


def test_the_scorecard_counts_public_actions_and_letters_of_public_campaigns(reviewed):
    salon = reviewed["salon"]
    ActionFactory(municipality=salon, kind="meeting", is_public=True)
    ActionFactory(municipality=salon, kind="petition", is_public=True)
    ActionFactory(municipality=salon, kind="meeting", is_public=False)
    public = InterpellationFactory(campaign=CampaignFactory(is_public=True))
    private = InterpellationFactory(campaign=CampaignFactory(is_public=False))
    LetterFactory(interpellation=public, municipality=salon, status="answered")
    LetterFactory(interpellation=public, municipality=salon, status="sent")
    LetterFactory(interpellation=public, municipality=salon, status="draft")
    LetterFactory(interpellation=private, municipality=salon, status="answered")

    html = page("/communes/13103/")

    assert "<strong>2</strong> actions publiques" in html
    assert "<strong>2</strong> courriers envoyés aux élu·es, <strong>1</strong> réponse reçue" in html
    assert "Taux de réponse : <strong>50 %</strong>" in html
    assert Campaign.objects.filter(is_public=False).count() == 1


def test_an_unknown_municipality_gets_a_french_404(reviewed):
    html = page("/communes/99999/", status=404) + page("/communes/pas-un-code/", status=404)

    assert "Commune introuvable" in html and '<html lang="fr">' in html


def test_pages_are_served_from_the_cache_and_a_publication_serves_new_ones(
    reviewed, django_capture_on_commit_callbacks
):
    hidden = reviewed["hidden"]
    page("/communes/13001/"), page("/carte/?departement=13")

    with CaptureQueriesContext(connection) as municipality_queries:
        before = page("/communes/13001/")
    with CaptureQueriesContext(connection) as map_queries:
        page("/carte/?departement=13")
    with django_capture_on_commit_callbacks(execute=True):
        cycle_publish(cycle=hidden)
    after = page("/communes/13001/")
    new_map = page("/carte/?departement=13")

    # The municipality, its two counts and the published cycles; the map's page: the cycles.
    assert len(municipality_queries) <= 4 and len(map_queries) <= 1
    assert "Aucun bilan publié pour cette commune." in before
    assert '<strong id="score">10,0</strong>' in after and "Bilan interne 2025" in after
    assert re.search(r"Aix-en-Provence</a></th>\s*<td>10,0</td>", new_map)


def test_an_assessment_saved_in_a_published_cycle_serves_a_new_scorecard(reviewed, django_capture_on_commit_callbacks):
    assert '<strong id="score">5,0</strong>' in page("/communes/13103/")

    with django_capture_on_commit_callbacks(execute=True):
        assess(reviewed["published"], reviewed["pledged"][1], AssessmentStatus.DONE)

    assert '<strong id="score">10,0</strong>' in page("/communes/13103/")


def test_a_new_public_action_shows_at_once_despite_the_cache(reviewed):
    assert "<strong>0</strong> action publique" in page("/communes/13103/")

    ActionFactory(municipality=reviewed["salon"], kind="meeting", is_public=True)

    assert "<strong>1</strong> action publique" in page("/communes/13103/")


def test_the_pages_answer_only_reads(reviewed):
    assert Client().post("/carte/").status_code == 405
    assert Client().post("/communes/13103/").status_code == 405
