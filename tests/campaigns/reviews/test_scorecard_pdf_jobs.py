"""A scorecard PDF is never laid out inside a web request: the first request answers 202
with the job that makes it, the worker stores it per (municipality, cycle, content), and
the same URL then serves the stored file, until anything on the card changes."""

import pytest

from campaigns.models import Assessment, AssessmentStatus
from tasks.jobs.models import Job
from tests.campaigns.factories import assess, make_cycle, sign
from tests.campaigns.reviews.test_scorecard import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cycle(pact, measures, salon, collective):
    pledged = sign(pact, salon, measures[:2], collective=collective, list_name="Salon en transition")
    cycle = make_cycle(pact, name="Bilan de mi-mandat 2026", published=True)
    assess(cycle, pledged[0], AssessmentStatus.DONE, evidence="Délibération du 12 mars")
    assess(cycle, pledged[1], AssessmentStatus.IN_PROGRESS, evidence="Étude lancée")
    return cycle


def pdf_url(cycle) -> str:
    return f"/api/municipalities/13103/scorecard/?cycle={cycle.pk}&format=pdf"


def test_a_pdf_not_yet_made_answers_202_with_a_job_in_french(as_role, cycle):
    response = as_role("member").get(pdf_url(cycle))

    assert response.status_code == 202
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] == "Le bilan en PDF est en préparation : redemandez cette adresse dans quelques secondes."
    assert (body["job"]["kind"], body["job"]["status"]) == ("scorecard_pdf", "queued")
    assert response["Location"] == f"/api/jobs/{body['job']['id']}/"
    assert response["Retry-After"] == "3"


def test_the_job_makes_the_pdf_that_the_same_url_then_serves(as_role, cycle, django_capture_on_commit_callbacks):
    api = as_role("member")
    with django_capture_on_commit_callbacks(execute=True):
        job_id = api.get(pdf_url(cycle)).json()["job"]["id"]

    job = api.get(f"/api/jobs/{job_id}/").json()
    response = api.get(pdf_url(cycle))

    assert job["status"] == "succeeded"
    assert job["result"] == {"url": pdf_url(cycle)}
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Délibération du 12 mars" in pdf_text(response.content)


def test_asking_again_while_it_is_made_starts_no_second_job(api, cycle):
    first, second = api.get(pdf_url(cycle)), api.get(pdf_url(cycle))

    assert first.json()["job"]["id"] == second.json()["job"]["id"]
    assert Job.objects.filter(kind="scorecard_pdf").count() == 1


def test_a_change_on_the_card_makes_a_new_pdf(api, cycle, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api.get(pdf_url(cycle))
    assert api.get(pdf_url(cycle)).status_code == 200
    Assessment.objects.filter(evidence="Étude lancée").update(evidence="Marché attribué")

    with django_capture_on_commit_callbacks(execute=True):
        changed = api.get(pdf_url(cycle))
    again = api.get(pdf_url(cycle))

    assert changed.status_code == 202
    assert again.status_code == 200 and "Marché attribué" in pdf_text(again.content)


def test_members_and_the_public_get_the_pdf_of_what_each_may_see(as_role, cycle, django_capture_on_commit_callbacks):
    cycle.is_published = False
    cycle.save()
    member, outsider = as_role("member"), as_role("outsider")
    for api in (member, outsider):
        with django_capture_on_commit_callbacks(execute=True):
            assert api.get(pdf_url(cycle)).status_code == 202

    assert "Délibération du 12 mars" in pdf_text(member.get(pdf_url(cycle)).content)
    assert "Délibération du 12 mars" not in pdf_text(outsider.get(pdf_url(cycle)).content)
