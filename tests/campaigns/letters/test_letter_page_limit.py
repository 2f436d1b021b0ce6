"""A letter has a page limit (LETTER_MAX_PAGES): a template whose sample letter is longer
is refused when it is saved, and a letter longer than the limit fails alone, with its
reason, while the job sends the others and completes."""

import pytest

from campaigns.models import Letter, LetterTemplate
from tests.campaigns.factories import (
    LetterTemplateFactory,
    PledgeFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    pdf_of,
    pdf_pages,
)

pytestmark = pytest.mark.django_db

PARAGRAPHS = "{% for i in range(80) %}Paragraphe {{ i }} du courrier.\n\n{% endfor %}"


@pytest.fixture(autouse=True)
def two_pages(settings):
    settings.LETTER_MAX_PAGES = 2
    return settings


def test_a_template_whose_sample_letter_is_too_long_is_refused(as_role, collective):
    response = as_role("member").post(
        "/api/letter-templates/",
        {"collective": collective.slug, "name": "Trop long", "subject": "Objet", "body": PARAGRAPHS},
        format="json",
    )

    assert response.status_code == 400, response.content
    message = response.json()["body"][0]
    assert message.startswith("Le courrier d'exemple fait ") and message.endswith("un courrier en compte au plus 2.")
    assert not LetterTemplate.objects.filter(name="Trop long").exists()


def test_an_edit_of_the_closing_alone_is_checked_with_the_saved_body(as_role, collective):
    # Saved before the limit existed (or lowered since).
    template = LetterTemplateFactory(collective=collective, body=PARAGRAPHS)

    response = as_role("member").patch(
        f"/api/letter-templates/{template.pk}/", {"closing": "Bien cordialement."}, format="json"
    )

    assert response.status_code == 400, response.content
    assert "au plus 2" in response.json()["body"][0]
    template.refresh_from_db()
    assert template.closing != "Bien cordialement."


def test_a_template_within_the_limit_is_saved(as_role, collective):
    response = as_role("member").post(
        "/api/letter-templates/",
        {"collective": collective.slug, "name": "Court", "subject": "Objet", "body": "Bonjour {{ official.title }}."},
        format="json",
    )

    assert response.status_code == 201, response.content


def test_a_letter_over_the_limit_fails_alone_and_the_job_completes(
    as_role, collective, salon, pact, django_capture_on_commit_callbacks
):
    PledgeFactory(pact=pact, municipality=salon, collective=collective)
    in_office(salon, "maire", sex="F", first_name="Élodie", last_name="IMBERT")
    in_office(salon, "adjoint", sex="M", first_name="Karim", last_name="BENALI")
    # Long for Karim only: the sample letter (a mayor, Élodie) passes the check.
    template = LetterTemplateFactory(
        collective=collective, body="Bonjour.\n\n{% if official.first_name == 'Karim' %}" + PARAGRAPHS + "{% endif %}"
    )
    api = as_role("member")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/interpellations/",
            {"collective": collective.slug, "template": template.pk, "recipient_rule": "mayors_and_deputies"},
            format="json",
        )

    mayor, deputy = (Letter.objects.get(official__last_name=name) for name in ("IMBERT", "BENALI"))
    assert mayor.status == Letter.Status.TO_POST and pdf_pages(pdf_of(mayor)) == mayor.pages == 1
    assert deputy.status == Letter.Status.FAILED and not deputy.pdf
    assert deputy.error.startswith("le courrier fait ") and deputy.error.endswith("au-delà de la limite de 2.")
    job = api.get(f"/api/jobs/{response.json()['job']['id']}/").json()
    assert (job["status"], job["done"], job["result"]["to_post"], job["result"]["failed"]) == ("succeeded", 2, 1, 1)


def test_a_sample_letter_that_takes_too_long_to_lay_out_is_refused(as_role, collective, settings):
    settings.LETTER_CHECK_SECONDS = 0.001

    response = as_role("member").post(
        "/api/letter-templates/",
        {"collective": collective.slug, "name": "Lent", "subject": "Objet", "body": PARAGRAPHS},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert response.json() == {
        "body": ["Le courrier d'exemple met plus de 0.001 s à mettre en page : raccourcissez le modèle."]
    }
