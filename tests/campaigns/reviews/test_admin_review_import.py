"""CSV export and import of a cycle in the admin: upload, a preview of every change and of
every refused line, then a confirmation that applies exactly what was previewed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import AssessmentChange, AssessmentStatus, Membership
from tests.campaigns.factories import MembershipFactory, assess, assessment_of, make_cycle, sign
from tests.campaigns.reviews.test_review_csv import csv_of

pytestmark = pytest.mark.django_db

S = AssessmentStatus


@pytest.fixture
def pledged(pact, salon, collective, measures):
    return sign(pact, salon, measures[:3], collective=collective, list_name="Salon en transition")


@pytest.fixture
def pledged_aix(pact, outside, other_collective, measures):
    return sign(pact, outside, measures[:1], collective=other_collective, list_name="Aix demain")


@pytest.fixture
def cycle(pact, pledged, pledged_aix):
    return make_cycle(pact, name="Bilan de mi-mandat 2026")


@pytest.fixture
def member(client, collective):
    client.force_login(MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user)
    return client


def import_url(cycle) -> str:
    return f"/admin/campaigns/reviewcycle/{cycle.pk}/import/"


def upload(client, cycle, *rows):
    return client.post(import_url(cycle), {"file": SimpleUploadedFile("bilan.csv", csv_of(*rows).encode(), "text/csv")})


def confirm(client, cycle, preview):
    context = preview.context
    return client.post(
        import_url(cycle),
        {"token": context["token"], "fingerprint": context["fingerprint"], "filename": context["filename"]},
    )


def test_the_cycles_page_offers_the_export_and_the_import(member, cycle):
    content = member.get(f"/admin/campaigns/reviewcycle/{cycle.pk}/change/").content.decode()

    assert f'href="/admin/campaigns/reviewcycle/{cycle.pk}/export/"' in content
    assert f'href="{import_url(cycle)}"' in content


def test_the_export_holds_the_members_territory(member, cycle):
    response = member.get(f"/admin/campaigns/reviewcycle/{cycle.pk}/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = response.content.decode("utf-8-sig").split("\r\n")[1:-1]
    assert [row.split(";")[0] for row in rows] == ["13103"] * 3


def test_an_upload_shows_a_preview_and_writes_nothing_until_confirmed(member, cycle, pledged):
    assess(cycle, pledged[1], S.IN_PROGRESS)

    preview = upload(
        member,
        cycle,
        "13103;;Salon en transition;01;;réalisée;;Délibération du 12 mars;;;",
        "13103;;Salon en transition;02;;en cours;;;;;",
    )

    assert preview.status_code == 200
    content = preview.content.decode()
    assert "1 à créer" not in content
    assert "0 à créer, 1 à modifier, 1 sans changement, 0 refusée(s)" in content
    assert "non évaluée → réalisée" in content
    assert "Délibération du 12 mars" in content
    assert 'id="import-confirm"' in content
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED

    response = confirm(member, cycle, preview)

    assert response.status_code == 302
    assert response["Location"] == f"/admin/campaigns/reviewcycle/{cycle.pk}/change/"
    done = assessment_of(cycle, pledged[0])
    assert (done.status, done.progress, done.evidence) == (S.DONE, 100, "Délibération du 12 mars")
    assert AssessmentChange.objects.filter(new_status=S.DONE).count() == 1
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["Import enregistré : 0 évaluation(s) créée(s), 1 modifiée(s), 1 ligne(s) inchangée(s)."]


def test_the_preview_lists_every_refused_line_with_its_reason_and_offers_no_confirmation(member, cycle, pledged):
    preview = upload(
        member,
        cycle,
        "13103;;Salon en transition;01;;réalisée;;;;;",
        "13103;;Salon en transition;02;;terminée;;;;;",
        "13103;;Salon en transition;03;;en cours;beaucoup;;;;",
        "13001;;Aix demain;01;;réalisée;;;;;",
    )

    assert preview.status_code == 200
    errors = [(error.line, error.message) for error in preview.context["report"].errors]
    assert errors == [
        (3, "statut « terminée » inconnu."),
        (4, "avancement « beaucoup » invalide (0 à 100)."),
        (5, "vous ne pouvez pas évaluer les mesures de la commune 13001."),
    ]
    content = preview.content.decode()
    assert "statut « terminée » inconnu." in content
    assert "vous ne pouvez pas évaluer les mesures de la commune 13001." in content
    assert 'id="import-confirm"' not in content
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED


def test_a_confirmation_after_the_data_changed_says_so_and_writes_nothing(member, cycle, pledged):
    preview = upload(member, cycle, "13103;;Salon en transition;01;;réalisée;;;;;")
    assess(cycle, pledged[0], S.PARTIAL, 60)  # another volunteer, meanwhile

    response = confirm(member, cycle, preview)

    assert response.status_code == 200
    assert response.context["stale"] is True
    assert "Les évaluations ont changé depuis l'aperçu" in response.content.decode()
    assert "partiellement réalisée → réalisée" in response.content.decode()
    assert (assessment_of(cycle, pledged[0]).status, assessment_of(cycle, pledged[0]).progress) == (S.PARTIAL, 60)

    # The new preview can be confirmed in turn.
    assert confirm(member, cycle, response).status_code == 302
    assert assessment_of(cycle, pledged[0]).status == S.DONE


def test_a_confirmation_of_an_unknown_preview_says_it_expired(member, cycle, pledged):
    response = member.post(import_url(cycle), {"token": "inconnu", "fingerprint": "x"})

    assert response.status_code == 200
    assert "L'aperçu a expiré" in response.content.decode()
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED


def test_a_preview_is_confirmed_only_by_whoever_uploaded_it(member, client, cycle, pledged, collective):
    preview = upload(member, cycle, "13103;;Salon en transition;01;;réalisée;;;;;")
    client.force_login(MembershipFactory(collective=collective).user)

    response = confirm(client, cycle, preview)

    assert "L'aperçu a expiré" in response.content.decode()
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED


def test_a_file_that_is_not_the_exports_format_is_refused_on_the_form(member, cycle):
    response = member.post(
        import_url(cycle), {"file": SimpleUploadedFile("bilan.csv", b"Code INSEE;Liste\r\n13103;x\r\n", "text/csv")}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "En-tête inattendu (ligne 1) : colonne(s) manquante(s) « Mesure », « Statut »."
    ]
