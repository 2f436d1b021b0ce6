"""Letter templates through the API: checked on save, previewed, shared or owned by a collective."""

import importlib

import pytest
from django.apps import apps
from django.db.migrations.recorder import MigrationRecorder

from campaigns.models import LetterTemplate, MeasureLevel
from tests.campaigns.factories import (
    SHARED_TEMPLATE_NAMES,
    InterpellationFactory,
    LetterTemplateFactory,
    PledgeFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    shared_templates,
)

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Lettre au conseil",
    "kind": "free",
    "subject": "Le Pacte à {{ municipality.name }}",
    "body": "Le collectif {{ collective.name }} vous écrit.",
}


def test_the_four_shared_templates_are_installed_by_a_migration():
    applied = MigrationRecorder.Migration.objects.filter(app="campaigns", name="0005_default_letter_templates")
    assert applied.exists()
    assert sorted(LetterTemplate.objects.filter(collective=None).values_list("name", flat=True)) == sorted(
        SHARED_TEMPLATE_NAMES
    )
    assert sorted(LetterTemplate.objects.filter(collective=None).values_list("kind", flat=True)) == sorted(
        ["interpellation", "meeting_request", "follow_up", "free"]
    )


def test_members_see_the_shared_templates_and_their_collectives_but_not_others(as_role, collective, other_collective):
    shared_templates()
    LetterTemplateFactory(collective=collective, name="Le nôtre")
    LetterTemplateFactory(collective=other_collective, name="Celui d'Aix")

    response = as_role("member").get("/api/letter-templates/")

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert set(rows) == {*SHARED_TEMPLATE_NAMES, "Le nôtre"}
    assert all(rows[name]["shared"] and rows[name]["collective"] is None for name in SHARED_TEMPLATE_NAMES)
    assert rows["Le nôtre"]["shared"] is False
    assert rows["Le nôtre"]["collective"] == "pays-salonais"


def test_anonymous_visitors_cannot_list_templates(as_role):
    assert as_role("anonymous").get("/api/letter-templates/").status_code == 401


def test_every_shipped_template_renders_for_a_mayor_of_a_signed_municipality(as_role, salon, collective, pact):
    PledgeFactory(pact=pact, municipality=salon, collective=collective, list_name="Salon en transition")
    mayor = in_office(salon, "maire", sex="F", first_name="Élodie", last_name="IMBERT")
    for template, response in shared_previews(as_role("member"), mayor, collective):
        assert response.status_code == 200, (template.name, response.content)
        assert "Madame la Maire," in response.json()["html"]
        assert "Madame Élodie IMBERT" in response.json()["html"]


def shared_previews(api, mandate, collective):
    """(template, preview response) of each shipped template for ``mandate``'s official."""
    for template in shared_templates():
        response = api.post(
            f"/api/letter-templates/{template.pk}/preview/",
            {"official": mandate.official_id, "collective": collective.slug},
            format="json",
        )
        yield template, response


def test_a_member_creates_a_template_for_their_collective(as_role, collective):
    response = as_role("member").post("/api/letter-templates/", {**VALID, "collective": collective.slug}, format="json")

    assert response.status_code == 201, response.content
    template = LetterTemplate.objects.get(pk=response.json()["id"])
    assert template.collective == collective
    assert response.json()["shared"] is False


def test_a_member_cannot_create_a_template_for_another_collective(as_role, other_collective):
    response = as_role("member").post(
        "/api/letter-templates/", {**VALID, "collective": other_collective.slug}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["collective"] == ["Vous n'êtes pas membre du collectif « Pays d'Aix »."]
    assert not LetterTemplate.objects.filter(name=VALID["name"]).exists()


def test_a_member_cannot_create_a_shared_template(as_role):
    response = as_role("member").post("/api/letter-templates/", VALID, format="json")

    assert response.status_code == 400
    assert response.json()["collective"] == [
        "Seule l'équipe nationale publie des modèles partagés ; indiquez votre collectif."
    ]
    assert not LetterTemplate.objects.filter(name=VALID["name"]).exists()


def test_staff_publish_a_shared_template(as_role):
    response = as_role("staff").post("/api/letter-templates/", VALID, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["shared"] is True
    assert LetterTemplate.objects.get(pk=response.json()["id"]).collective is None


@pytest.mark.parametrize(("role", "expected"), [("member", 403), ("coordinator", 403), ("staff", 200)])
def test_only_staff_edit_a_shared_template(as_role, role, expected):
    template = shared_templates()[0]

    response = as_role(role).patch(f"/api/letter-templates/{template.pk}/", {"name": "Renommé"}, format="json")

    assert response.status_code == expected
    template.refresh_from_db()
    assert (template.name == "Renommé") == (expected == 200)


@pytest.mark.parametrize(("role", "expected"), [("member", 403), ("coordinator", 403), ("staff", 204)])
def test_only_staff_delete_a_shared_template(as_role, role, expected):
    template = LetterTemplateFactory(collective=None, name="Partagé à supprimer")

    response = as_role(role).delete(f"/api/letter-templates/{template.pk}/")

    assert response.status_code == expected
    assert LetterTemplate.objects.filter(pk=template.pk).exists() == (expected != 204)


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 401), ("outsider", 404), ("member", 200), ("staff", 200)])
def test_a_collectives_template_is_edited_by_its_members_only(as_role, collective, role, expected):
    template = LetterTemplateFactory(collective=collective, name="À nous")

    response = as_role(role).patch(f"/api/letter-templates/{template.pk}/", {"name": "Modifié"}, format="json")

    assert response.status_code == expected
    template.refresh_from_db()
    assert (template.name == "Modifié") == (expected == 200)


def test_a_member_cannot_give_their_template_to_another_collective(as_role, collective, other_collective):
    template = LetterTemplateFactory(collective=collective)

    response = as_role("member").patch(
        f"/api/letter-templates/{template.pk}/", {"collective": other_collective.slug}, format="json"
    )

    assert response.status_code == 400
    template.refresh_from_db()
    assert template.collective == collective


def test_a_template_used_by_an_interpellation_is_kept_with_a_reason(as_role, collective):
    template = LetterTemplateFactory(collective=collective)
    InterpellationFactory(collective=collective, template=template)

    response = as_role("coordinator").delete(f"/api/letter-templates/{template.pk}/")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Suppression impossible : d'autres données y font référence : 1 interpellation."
    }
    assert LetterTemplate.objects.filter(pk=template.pk).exists()


# Refused on save, with the line and the reason in French


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "Bonjour,\n\nLe collectif {{ collective.name",
            "ligne 3 : le modèle se termine avant la fin d'un champ : « }} » manquant.",
        ),
        (
            "Bonjour,\n{% if pledge %}\nMerci.",
            "ligne 2 : le bloc « if » n'est pas fermé : « {% endif %} » manquant.",
        ),
        (
            "Bonjour,\n{% for measure in pledge.measures %}\n{{ measure.title }}\n{% endif %}",
            "ligne 4 : balise « endif » inattendue : « {% endfor %} » attendu.",
        ),
        ("{{ official.salutation | majuscules }}", "ligne 1 : le filtre « majuscules » n'existe pas."),
        ("Cher {{ elu.nom }}", "ligne 1 : « elu » n'est pas défini."),
        ("{% bonjour %}", "ligne 1 : balise « bonjour » inconnue."),
        ("{{ official.full_name ) }}", "ligne 1 : « ) » inattendu."),
        ("{{ official.full_name ] }}", "ligne 1 : « ] » inattendu."),
        (
            "{% if pledge %}{{ pledge.list_name }}{% endfor %}",
            "ligne 1 : balise « endfor » inattendue : « {% endif %} » attendu.",
        ),
        ("{{ 1 / 0 }}", "ligne 1 : division par zéro."),
        (
            'Bonjour\n{% include "campaigns/letter_section.html" %}',
            "ligne 2 : les inclusions de fichiers ne sont pas permises.",
        ),
        ('{% extends "base.html" %}', "ligne 1 : les inclusions de fichiers ne sont pas permises."),
        ('{% import "macros.html" as m %}', "ligne 1 : les inclusions de fichiers ne sont pas permises."),
    ],
)
def test_a_template_that_does_not_compile_is_refused_with_its_line_and_reason(as_role, collective, body, message):
    response = as_role("member").post(
        "/api/letter-templates/", {**VALID, "collective": collective.slug, "body": body}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"body": [message]}
    assert not LetterTemplate.objects.filter(name=VALID["name"]).exists()


def test_each_broken_field_is_reported_under_its_name(as_role, collective):
    response = as_role("member").post(
        "/api/letter-templates/",
        {**VALID, "collective": collective.slug, "subject": "{{ municipality.name", "closing": "{% if x %}"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"subject", "closing"}
    assert response.json()["subject"][0].startswith("ligne 1 : ")


def test_an_edit_that_breaks_the_template_is_refused_and_the_template_kept(as_role, collective):
    template = LetterTemplateFactory(collective=collective, body="Le collectif {{ collective.name }} vous écrit.")

    response = as_role("member").patch(
        f"/api/letter-templates/{template.pk}/", {"body": "Bonjour\n{{ collective.name }"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["body"][0].startswith("ligne 2 : ")
    template.refresh_from_db()
    assert template.body == "Le collectif {{ collective.name }} vous écrit."


def test_a_valid_edit_is_saved(as_role, collective):
    template = LetterTemplateFactory(collective=collective)

    response = as_role("member").patch(
        f"/api/letter-templates/{template.pk}/",
        {"body": "{% if pledge %}La liste {{ pledge.list_name }}{% endif %} — {{ today }}"},
        format="json",
    )

    assert response.status_code == 200, response.content
    template.refresh_from_db()
    assert template.body.startswith("{% if pledge %}")


# Preview


def test_the_preview_renders_the_template_for_one_official(as_role, collective, salon, pact):
    PledgeFactory(pact=pact, municipality=salon, collective=collective, list_name="Salon en transition")
    deputy = in_office(salon, "adjoint", sex="M", first_name="Karim", last_name="BENALI")
    template = LetterTemplateFactory(
        collective=collective,
        subject="Rendez-vous à {{ municipality.name }}",
        body="{{ official.function }} ; liste « {{ pledge.list_name }} » ; {{ collective.name }}",
    )

    response = as_role("member").post(
        f"/api/letter-templates/{template.pk}/preview/",
        {"official": deputy.official_id, "collective": collective.slug},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["subject"] == "Rendez-vous à Salon-de-Provence"
    assert "Monsieur l&#x27;Adjoint au maire," in body["html"]
    assert "Adjoint au maire de Salon-de-Provence ; liste « Salon en transition » ; Pays Salonais" in body["html"]
    assert "Monsieur Karim BENALI" in body["html"]


def test_the_preview_of_a_shared_template_needs_one_of_your_collectives(as_role, salon, other_collective):
    mayor = in_office(salon, "maire")
    template = shared_templates()[0]

    response = as_role("member").post(
        f"/api/letter-templates/{template.pk}/preview/",
        {"official": mayor.official_id, "collective": other_collective.slug},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"collective": ["Indiquez un de vos collectifs."]}


def test_an_outsider_cannot_preview_a_collectives_template(as_role, collective, salon):
    mayor = in_office(salon, "maire")
    template = LetterTemplateFactory(collective=collective)

    response = as_role("outsider").post(
        f"/api/letter-templates/{template.pk}/preview/", {"official": mayor.official_id}, format="json"
    )

    assert response.status_code == 404


def migration_0006():
    return importlib.import_module("campaigns.migrations.0006_compact_interpellation_template")


def test_the_shipped_interpellation_lists_the_measures_one_per_line_in_one_paragraph():
    template = next(t for t in shared_templates() if t.kind == "interpellation")

    assert template.body == level_wording_migration().NEW_BODY
    assert "{% for measure in pledge.measures %}– n° {{ measure.code }}" in template.body


def level_wording_migration():
    return importlib.import_module("campaigns.migrations.0021_level_wording_niveau")


def test_the_shipped_interpellation_calls_a_level_niveau():
    template = next(t for t in shared_templates() if t.kind == "interpellation")

    assert "(niveau {{ measure.level }})" in template.body
    assert "palier" not in template.body


def test_the_niveau_wording_replaces_shipped_texts_only_and_can_be_undone(pact):
    migration = level_wording_migration()
    shipped = next(t for t in shared_templates() if t.kind == "interpellation")
    edited = LetterTemplateFactory(collective=None, name=f"{migration.NAME} (copie)", body=migration.SHIPPED_BODY)
    level, typed = MeasureLevel.objects.filter(measure__pact=pact)[:2]
    MeasureLevel.objects.filter(pk=level.pk).update(description=migration.OLD_LEVEL)
    MeasureLevel.objects.filter(pk=typed.pk).update(description="Premier palier : cantine bio à 20 %")

    migration.restore(apps, None)
    shipped.refresh_from_db()
    assert shipped.body == migration.SHIPPED_BODY
    migration.rename(apps, None)

    shipped.refresh_from_db()
    edited.refresh_from_db()
    assert shipped.body == migration.NEW_BODY
    assert edited.body == migration.SHIPPED_BODY  # another template is left as its authors wrote it
    assert MeasureLevel.objects.get(pk=level.pk).description == migration.NEW_LEVEL
    assert MeasureLevel.objects.get(pk=typed.pk).description == "Premier palier : cantine bio à 20 %"


def shipped_templates_migration():
    return importlib.import_module("campaigns.migrations.0016_shipped_templates_collective_name")


@pytest.mark.parametrize("name", ["Collectif Pacte pour la Transition du Pays Salonais", "Alternatiba Salon"])
def test_the_shipped_templates_name_the_collective_as_it_writes_its_name(as_role, salon, collective, pact, name):
    collective.name = name
    collective.save()
    PledgeFactory(pact=pact, municipality=salon, collective=collective, list_name="Salon en transition")
    mayor = in_office(salon, "maire", sex="F", first_name="Élodie", last_name="IMBERT")
    for template, response in shared_previews(as_role("member"), mayor, collective):
        html = response.json()["html"]
        assert "collectif collectif" not in html.lower(), template.name
        assert "Le collectif" not in html, template.name
        if template.kind != "follow_up":
            assert f"Nous, {name}, " in html, template.name


def test_the_collective_name_wording_replaces_shipped_bodies_only_and_can_be_undone():
    level_wording_migration().restore(apps, None)  # the later migration first, as migrate does
    migration = shipped_templates_migration()
    templates = {t.kind: t for t in shared_templates()}
    for template in templates.values():
        template.refresh_from_db()
    meeting = templates["meeting_request"]
    old_meeting = meeting.body.replace(migration.MEETING_NEW, migration.MEETING_OLD)
    edited = old_meeting + "\n\nUn paragraphe ajouté."
    LetterTemplate.objects.filter(pk=meeting.pk).update(body=edited)
    migration.restore(apps, None)
    interpellation = LetterTemplate.objects.get(pk=templates["interpellation"].pk)
    assert interpellation.body == migration_0006().COMPACT_BODY

    migration.rename(apps, None)

    assert LetterTemplate.objects.get(pk=meeting.pk).body == edited
    assert "Nous, {{ collective.name }}, suivons" in LetterTemplate.objects.get(pk=interpellation.pk).body


def test_the_compact_list_replaces_the_shipped_text_only_and_can_be_undone():
    migration = migration_0006()
    shipped = next(t for t in shared_templates() if t.kind == "interpellation")
    shipped.body = migration.SHIPPED_BODY
    shipped.save()
    edited = LetterTemplateFactory(collective=None, name="Interpellation sur les mesures signées (copie)",
                                   body=migration.SHIPPED_BODY)  # fmt: skip
    shipped_elsewhere = LetterTemplateFactory(name=migration.NAME, body=migration.SHIPPED_BODY)

    migration.compact(apps, None)

    for template in (shipped, edited, shipped_elsewhere):
        template.refresh_from_db()
    assert shipped.body == migration.COMPACT_BODY
    # Another template, or a collective's own copy of it, is left as its authors wrote it.
    assert edited.body == shipped_elsewhere.body == migration.SHIPPED_BODY

    migration.restore(apps, None)

    shipped.refresh_from_db()
    assert shipped.body == migration.SHIPPED_BODY


def test_a_shared_interpellation_edited_by_staff_is_kept():
    migration = migration_0006()
    shipped = next(t for t in shared_templates() if t.kind == "interpellation")
    shipped.body = migration.SHIPPED_BODY + "\n\nUn paragraphe ajouté par l'équipe nationale."
    shipped.save()

    migration.compact(apps, None)

    shipped.refresh_from_db()
    assert shipped.body.endswith("Un paragraphe ajouté par l'équipe nationale.")
    assert shipped.body.startswith(migration.SHIPPED_BODY)
