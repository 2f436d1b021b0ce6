"""The admin as a French volunteer reads it: titles with elision, history in words, no
English label, searches that forgive what people type, an index that starts with the week's
work and keeps technical sections to staff."""

import datetime
import html
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission

from campaigns.models import AssessmentStatus, Letter, Membership
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import (
    LetterFactory,
    MembershipFactory,
    assess,
    assessment_of,
    in_office,
    make_cycle,
    sign,
)
from tests.officials.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def title_of(response) -> str:
    return html.unescape(re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1)).strip()


@pytest.fixture
def member(client, collective):
    client.force_login(MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user)
    return client


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def cycle(pact, salon, collective, measures):
    sign(pact, salon, measures[:2], collective=collective, list_name="Salon en transition")
    return make_cycle(pact, name="Bilan de mi-mandat 2026")


def test_the_change_form_title_elides_de_before_a_vowel(member, cycle, pact):
    assessment = assessment_of(cycle, pact.measures.get(position=3).pledged_measures.get())

    page = member.get(f"/admin/campaigns/assessment/{assessment.pk}/change/")

    assert title_of(page) == "Modification de l'évaluation"
    assert "Modification de l'évaluation" in html.unescape(
        re.search(r"<title>(.*?)</title>", page.content.decode()).group(1)
    )


def test_titles_keep_de_before_a_consonant_and_say_ajout_on_the_add_form(staff):
    assert title_of(staff.get("/admin/officials/municipality/add/")) == "Ajout de commune"
    assert title_of(staff.get("/admin/campaigns/action/add/")) == "Ajout de l'action"


def test_a_member_reads_a_public_row_with_the_affichage_title(member, salon):
    page = member.get(f"/admin/officials/municipality/{salon.pk}/change/")

    assert title_of(page) == "Affichage de commune"


def test_the_assessment_history_shows_the_statuses_in_words(member, cycle, pact):
    pledged_measure = pact.measures.get(position=3).pledged_measures.get()
    assess(cycle, pledged_measure, AssessmentStatus.PARTIAL, 40)
    assessment = assessment_of(cycle, pledged_measure)

    page = text_of(member.get(f"/admin/campaigns/assessment/{assessment.pk}/change/"))

    assert f"{AssessmentStatus.NOT_ASSESSED.label} → {AssessmentStatus.PARTIAL.label}" in page
    assert "not_assessed" not in page and "partial →" not in page


def test_the_reply_of_an_official_is_titled_with_elision_in_the_timeline(as_role, collective, salon):
    mayor = in_office(salon, "maire", sex="F", first_name="Élodie", last_name="IMBERT")
    letter = LetterFactory(official=mayor.official, municipality=salon, interpellation__collective=collective)
    Letter.objects.filter(pk=letter.pk).update(
        status=Letter.Status.ANSWERED, reply_summary="Merci.", reply_date=datetime.date(2026, 3, 2)
    )

    rows = as_role("member").get(f"/api/municipalities/{salon.pk}/timeline/").json()

    assert "Réponse d'Élodie IMBERT" in [row["title"] for row in rows]


def test_every_field_of_the_projects_models_has_a_french_name():
    """Django would otherwise name it after the code ("created by") in forms and lists."""
    unnamed = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_app_configs()
        if model.name in ("accounts", "officials", "campaigns", "tasks")
        for model in model.get_models()
        for field in model._meta.get_fields()
        if field.concrete and not field.auto_created and field._verbose_name is None
    ]

    assert unnamed == []


def test_no_english_label_on_the_pages_a_member_opens(member, cycle, collective):
    for url in ["/admin/", "/admin/campaigns/action/add/", "/admin/campaigns/assessment/", "/admin/campaigns/pledge/"]:
        page = text_of(member.get(url))
        assert "Created by" not in page and "Created at" not in page, url


@pytest.mark.parametrize("typed", ["salon de provence", "SALON-DE-PROVENCE", "salondeprovence", "Salon de Provence "])
def test_the_admin_search_forgives_spaces_hyphens_and_case(staff, salon, typed):
    MunicipalityFactory(insee_code="13001", name="Aix-en-Provence")

    page = text_of(staff.get("/admin/officials/municipality/", {"q": typed}))

    assert "Salon-de-Provence" in page
    assert "Aix-en-Provence" not in page


def test_the_admin_search_forgives_accents_and_apostrophes(staff, db):
    MunicipalityFactory(insee_code="13062", name="L'Isle-sur-la-Sorgue")
    MunicipalityFactory(insee_code="42218", name="Saint-Étienne")

    assert "Saint-Étienne" in text_of(staff.get("/admin/officials/municipality/", {"q": "Saint Étienne"}))
    assert "L'Isle-sur-la-Sorgue" in text_of(staff.get("/admin/officials/municipality/", {"q": "L’Isle sur la Sorgue"}))


def test_the_admin_search_of_officials_and_related_rows_forgives_as_well(staff, salon):
    in_office(salon, "maire", first_name="Jean-Marc", last_name="DE LA TOUR")

    assert "DE LA TOUR" in text_of(staff.get("/admin/officials/official/", {"q": "delatour jean marc"}))
    assert "DE LA TOUR" in text_of(staff.get("/admin/officials/mandate/", {"q": "salon de provence"}))


def index_sections(response) -> dict[str, list[str]]:
    return {str(app["name"]): [str(model["name"]) for model in app["models"]] for app in response.context["app_list"]}


def test_a_members_index_starts_with_their_collective_the_review_and_letters_to_post(member, cycle, collective, salon):
    LetterFactory(municipality=salon, interpellation__collective=collective, status=Letter.Status.TO_POST)

    sections = index_sections(member.get("/admin/"))

    assert next(iter(sections)) == "Cette semaine"
    assert sections["Cette semaine"] == [
        "Mon collectif : Pays Salonais",
        "Bilan en cours : Bilan de mi-mandat 2026",
        "Courriers à poster (1)",
    ]
    assert not any("technique" in name for name in sections)
    assert "Bilans" in sections and "Courriers et interpellations" in sections


def test_the_weeks_links_open_the_filtered_lists(member, cycle, collective, salon):
    LetterFactory(municipality=salon, interpellation__collective=collective, status=Letter.Status.TO_POST)
    week = member.get("/admin/").context["app_list"][0]["models"]

    for link in week:
        assert member.get(link["admin_url"]).status_code == 200, link["admin_url"]
    assert week[2]["admin_url"].endswith("?status__exact=to_post")


def test_staff_see_the_technical_sections_last(staff):
    sections = list(index_sections(staff.get("/admin/")))

    technical = [name for name in sections if "technique" in name]
    assert "Tâches planifiées (technique)" in technical
    assert "Jetons d'accès à l'API (technique)" in technical
    assert sections[-len(technical) :] == technical


def test_technical_admins_refuse_a_member_even_with_permissions(client, collective):
    user = MembershipFactory(collective=collective).user
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=["django_celery_beat", "tasks"]))
    client.force_login(user)

    for url in ["/admin/django_celery_beat/periodictask/", "/admin/tasks/job/", "/admin/tasks/outboundemail/"]:
        assert client.get(url).status_code == 403, url
