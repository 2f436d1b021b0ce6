"""An interpellation through the API: accepted with a job, rendered into one PDF per letter,
downloaded one by one, merged or zipped."""

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.letters.services.rendering import letters_render
from campaigns.models import Action, Interpellation, Letter
from tests.campaigns.factories import (
    CampaignFactory,
    InterpellationFactory,
    LetterFactory,
    LetterTemplateFactory,
    PledgeFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    pdf_of,
    pdf_pages,
    pdf_text,
    shared_templates,
)

pytestmark = pytest.mark.django_db

LONG = (
    "{% if official.role == 'maire' %}"
    "{% for i in range(60) %}Paragraphe {{ i }} du courrier.\n\n{% endfor %}"
    "{% endif %}"
)


@pytest.fixture
def council(salon, collective, pact):
    PledgeFactory(pact=pact, municipality=salon, collective=collective, list_name="Salon en transition")
    return [
        in_office(salon, "maire", sex="F", first_name="Élodie", last_name="IMBERT"),
        in_office(salon, "adjoint", sex="M", first_name="Karim", last_name="BENALI"),
    ]


@pytest.fixture
def sent(as_role, collective, council, django_capture_on_commit_callbacks):
    """The shipped interpellation template sent to Salon's mayor and deputy; the mayor's letter
    is made longer than a page."""
    template = next(t for t in shared_templates() if t.kind == "interpellation")
    template.body += "\n\n" + LONG
    template.save()
    api = as_role("member")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/interpellations/",
            {"collective": collective.slug, "template": template.pk, "recipient_rule": "mayors_and_deputies"},
            format="json",
        )
    return api, response


def test_creating_an_interpellation_answers_202_with_its_job(sent):
    _api, response = sent

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["job"]["kind"] == "interpellation"
    assert body["job"]["total"] == 2
    assert response["Location"] == f"/api/jobs/{body['job']['id']}/"
    assert body["interpellation"]["letters_count"] == 2
    assert Interpellation.objects.get(pk=body["interpellation"]["id"]).job_id == body["job"]["id"]


def test_the_job_reports_every_letter_done_and_the_result(sent):
    api, response = sent
    job_id = response.json()["job"]["id"]
    interpellation_id = response.json()["interpellation"]["id"]

    job = api.get(f"/api/jobs/{job_id}/").json()

    assert job["status"] == "succeeded"
    assert job["done"] == job["total"] == 2
    assert job["result"] == {
        "interpellation": interpellation_id,
        "letters": 2,
        "failed": 0,
        "by_email": 0,
        "on_paper": 2,
        "to_post": 2,
    }


@pytest.mark.usefixtures("sent")
def test_each_letter_is_ready_to_post_with_a_pdf_that_says_who_writes_to_whom_and_why():

    letters = {letter.official.last_name: letter for letter in Letter.objects.select_related("official")}

    assert {letter.status for letter in letters.values()} == {Letter.Status.TO_POST}
    assert {letter.sent_at for letter in letters.values()} == {None}  # nobody posted them yet
    mayor, deputy = pdf_text(pdf_of(letters["IMBERT"])), pdf_text(pdf_of(letters["BENALI"]))
    assert "Madame la Maire," in mayor and "Monsieur l'Adjoint au maire," in deputy
    for text, name in ((mayor, "Madame Élodie IMBERT"), (deputy, "Monsieur Karim BENALI")):
        assert name in text
        assert "Objet : Les engagements du Pacte d'essai" in text
        assert "à Salon-de-Provence" in text
        assert "Pays Salonais" in text
        assert "« Salon en transition »" in text
    assert letters["IMBERT"].pages >= 2
    assert letters["BENALI"].pages == 1
    assert pdf_pages(pdf_of(letters["IMBERT"])) == letters["IMBERT"].pages


def test_a_letter_downloads_as_its_pdf(sent):
    api, _response = sent
    letter = Letter.objects.get(official__last_name="BENALI")

    response = api.get(f"/api/letters/{letter.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="courrier-{letter.pk}.pdf"'
    assert "Monsieur l'Adjoint au maire," in pdf_text(response.getvalue())


def test_the_interpellation_downloads_as_one_pdf_of_every_page(sent):
    api, response = sent
    interpellation_id = response.json()["interpellation"]["id"]

    merged = api.get(f"/api/interpellations/{interpellation_id}/pdf/")

    assert merged.status_code == 200
    assert merged["Content-Type"] == "application/pdf"
    content = b"".join(merged.streaming_content)
    pages = [letter.pages for letter in Letter.objects.all()]
    assert pdf_pages(content) == sum(pages) >= 3
    text = pdf_text(content)
    assert "Monsieur l'Adjoint au maire," in text and "Madame la Maire," in text


def test_the_interpellation_downloads_as_a_zip_of_one_pdf_per_letter(sent):
    api, response = sent
    interpellation_id = response.json()["interpellation"]["id"]
    mayor, deputy = (Letter.objects.get(official__last_name=name) for name in ("IMBERT", "BENALI"))

    download = api.get(f"/api/interpellations/{interpellation_id}/zip/")

    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"] == f'attachment; filename="interpellation-{interpellation_id}.zip"'
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.namelist() == [
        f"Salon-de-Provence-BENALI-{deputy.pk}.pdf",
        f"Salon-de-Provence-IMBERT-{mayor.pk}.pdf",
    ]
    assert "Monsieur Karim BENALI" in pdf_text(archive.read(f"Salon-de-Provence-BENALI-{deputy.pk}.pdf"))
    assert pdf_pages(archive.read(f"Salon-de-Provence-IMBERT-{mayor.pk}.pdf")) == mayor.pages


def test_downloads_of_an_interpellation_without_any_rendered_letter_are_a_404(as_role, collective):
    interpellation = InterpellationFactory(collective=collective)
    LetterFactory(interpellation=interpellation, status=Letter.Status.FAILED, sent_at=None)

    for kind in ("pdf", "zip"):
        response = as_role("member").get(f"/api/interpellations/{interpellation.pk}/{kind}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "Aucun courrier n'est encore prêt."}


def test_a_letter_whose_template_fails_is_marked_failed_and_the_others_are_ready(
    as_role, collective, council, django_capture_on_commit_callbacks
):
    template = LetterTemplateFactory(
        collective=collective, body="{% if official.role == 'adjoint' %}{{ 1 / 0 }}{% endif %}Bonjour."
    )
    api = as_role("member")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/interpellations/",
            {"collective": collective.slug, "template": template.pk, "recipient_rule": "mayors_and_deputies"},
            format="json",
        )

    statuses = dict(Letter.objects.values_list("role", "status"))
    assert statuses == {"maire": Letter.Status.TO_POST, "adjoint": Letter.Status.FAILED}
    assert Letter.objects.get(role="adjoint").error == "ligne 1 : division par zéro."
    job = api.get(f"/api/jobs/{response.json()['job']['id']}/").json()
    assert (job["status"], job["done"], job["result"]["to_post"], job["result"]["failed"]) == ("succeeded", 2, 1, 1)


def test_a_chunk_rendered_twice_renders_and_sends_nothing_twice(
    as_role, collective, council, django_capture_on_commit_callbacks
):
    api = as_role("member")
    template = LetterTemplateFactory(collective=collective)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/interpellations/", {"collective": collective.slug, "template": template.pk,
                            "officials": [mandate.official_id for mandate in council]}, format="json")  # fmt: skip
    letters = list(Letter.objects.order_by("pk"))

    again = letters_render(letter_ids=[letter.pk for letter in letters], job_id=response.json()["job"]["id"])

    assert again == 0
    assert [letter.pdf.name for letter in Letter.objects.order_by("pk")] == [letter.pdf.name for letter in letters]
    assert api.get(f"/api/jobs/{response.json()['job']['id']}/").json()["done"] == 2
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.TO_POST}
    assert not Action.objects.exists()  # logged when posted, not when rendered


def test_a_template_of_another_collective_is_refused(as_role, collective, other_collective, council):
    foreign = LetterTemplateFactory(collective=other_collective)

    response = as_role("member").post(
        "/api/interpellations/",
        {"collective": collective.slug, "template": foreign.pk, "recipient_rule": "mayors"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"template": ["Ce modèle appartient à un autre collectif."]}


def test_a_reminder_template_of_another_collective_is_refused(as_role, collective, other_collective, council):
    foreign = LetterTemplateFactory(collective=other_collective, body="Le texte privé d'un autre collectif.")

    response = as_role("member").post(
        "/api/interpellations/",
        {"collective": collective.slug, "template": LetterTemplateFactory(collective=collective).pk,
         "recipient_rule": "mayors", "remind_after_days": 15, "reminder_template": foreign.pk},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    assert response.json() == {"reminder_template": ["Ce modèle appartient à un autre collectif."]}
    assert not Interpellation.objects.exists()


def test_a_campaign_of_another_collective_is_refused(as_role, collective, other_collective, council):
    response = as_role("member").post(
        "/api/interpellations/",
        {"collective": collective.slug, "template": LetterTemplateFactory(collective=collective).pk,
         "recipient_rule": "mayors", "campaign": CampaignFactory(collective=other_collective).pk},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    assert response.json() == {"campaign": ["Cette campagne appartient à un autre collectif."]}


def test_interpellations_are_listed_newest_first(as_role, collective):
    first, second, third = (InterpellationFactory(collective=collective) for _ in range(3))

    response = as_role("member").get("/api/interpellations/")

    assert [row["id"] for row in response.json()["results"]] == [third.pk, second.pk, first.pk]


# Query counts


def count_queries(api, url) -> int:
    api.get(url)  # the user's memberships are read once, then kept on the user
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries)


def letters_of(collective, interpellations: int, letters: int):
    for _ in range(interpellations):
        interpellation = InterpellationFactory(collective=collective, campaign=CampaignFactory(collective=collective))
        for _ in range(letters):
            LetterFactory(interpellation=interpellation, municipality=None)


def test_the_letters_list_runs_the_same_queries_for_2_or_20_letters(as_role, collective):
    api = as_role("member")
    letters_of(collective, 1, 2)
    few = count_queries(api, "/api/letters/")
    letters_of(collective, 3, 6)

    assert count_queries(api, "/api/letters/") == few
    assert api.get("/api/letters/").json()["count"] == 20


def test_the_interpellations_list_runs_the_same_queries_for_1_or_10_interpellations(as_role, collective):
    api = as_role("member")
    letters_of(collective, 1, 2)
    few = count_queries(api, "/api/interpellations/")
    letters_of(collective, 9, 3)

    assert count_queries(api, "/api/interpellations/") == few
    rows = api.get("/api/interpellations/").json()["results"]
    assert sorted(row["letters_count"] for row in rows) == [2] + [3] * 9
