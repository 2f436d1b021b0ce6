"""Letter jobs that finish: a job left behind (broker down at enqueue, a chunk that raised)
is taken up again by beat after LETTERS_JOB_STALE_MINUTES, or by staff at once; a letter
that cannot render fails alone, and the job completes with the count of failures."""

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from campaigns.letters.services import rendering
from campaigns.letters.services.interpellations import interpellation_create, interpellations_resume_stalled
from campaigns.models import Letter
from tasks.jobs import services as jobs
from tasks.jobs.models import Job
from tests.campaigns.factories import (
    LetterTemplateFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
    pdf_pages,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def stale_after(settings):
    settings.LETTERS_JOB_STALE_MINUTES = 15
    settings.LETTERS_CHUNK_SIZE = 2


@pytest.fixture
def officials(salon):
    return [in_office(salon, role, last_name=name).official for role, name in
            (("maire", "IMBERT"), ("adjoint", "BENALI"), ("adjoint", "ROUX"))]  # fmt: skip


def create_unrung(collective, officials, **fields):
    """An interpellation whose chunks were never enqueued: the broker was down at commit."""
    template = fields.pop("template", None) or LetterTemplateFactory(collective=collective)
    return interpellation_create(
        collective=collective, template=template, by=member_of(collective), officials=officials, **fields
    )


def minutes(count: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=count)


def test_a_job_whose_chunks_were_never_enqueued_is_resumed_once_silent_long_enough(
    collective, officials, django_capture_on_commit_callbacks
):
    interpellation, job = create_unrung(collective, officials)
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.DRAFT}

    with django_capture_on_commit_callbacks(execute=True):
        too_soon = interpellations_resume_stalled(now=minutes(10))
        resumed = interpellations_resume_stalled(now=minutes(16))

    assert (too_soon, resumed) == ([], [interpellation.pk])
    job.refresh_from_db()
    assert (job.status, job.done, job.result["letters"], job.result["to_post"]) == (Job.Status.SUCCEEDED, 3, 3, 3)
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.TO_POST}
    with django_capture_on_commit_callbacks(execute=True):
        assert interpellations_resume_stalled(now=minutes(60)) == []  # finished: nothing to resume


def test_a_job_failed_by_a_chunk_that_raised_is_resumed(collective, officials, django_capture_on_commit_callbacks):
    interpellation, job = create_unrung(collective, officials)
    jobs.job_fail(job.pk, "OperationalError: connexion perdue")

    with django_capture_on_commit_callbacks(execute=True):
        assert interpellations_resume_stalled(now=minutes(16)) == [interpellation.pk]

    job.refresh_from_db()
    assert (job.status, job.error, job.result["failed"]) == (Job.Status.SUCCEEDED, "", 0)


def test_a_letter_whose_pdf_cannot_be_made_fails_alone_and_the_job_counts_it(
    collective, officials, monkeypatch, django_capture_on_commit_callbacks
):
    render = rendering.html_sections_to_pdfs

    def failing_on_roux(sections, **kwargs):
        if any("ROUX" in section for section in sections):
            raise ValueError("police introuvable")
        return render(sections, **kwargs)

    monkeypatch.setattr(rendering, "html_sections_to_pdfs", failing_on_roux)
    with django_capture_on_commit_callbacks(execute=True):
        _interpellation, job = create_unrung(collective, officials)

    roux = Letter.objects.get(official__last_name="ROUX")
    assert (roux.status, roux.error) == (
        Letter.Status.FAILED,
        "Le PDF n'a pas pu être produit : ValueError: police introuvable",
    )
    assert set(Letter.objects.exclude(pk=roux.pk).values_list("status", flat=True)) == {Letter.Status.TO_POST}
    job.refresh_from_db()
    assert (job.status, job.result["failed"], job.result["to_post"]) == (Job.Status.SUCCEEDED, 1, 2)


def test_staff_resume_a_job_at_once_and_the_downloads_are_built_again_with_every_letter(
    as_role, collective, officials, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interpellation, job = create_unrung(collective, officials[:1])
    assert interpellation.letters.get().status == Letter.Status.TO_POST
    # A letter added after the job finished (as a resumed job renders letters after its downloads).
    Letter.objects.create(interpellation=interpellation, official=officials[1], municipality_id="13103")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)

    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("staff").post(f"/api/interpellations/{interpellation.pk}/resume/")
    again = as_role("staff").post(f"/api/interpellations/{interpellation.pk}/resume/")

    assert response.status_code == 200, response.content
    assert response.json()["letters"] == 1
    assert (again.status_code, again.json()) == (
        400,
        {"job": ["La préparation de ces courriers est terminée : rien à reprendre."]},
    )
    interpellation.refresh_from_db()
    with interpellation.letters_pdf.open("rb") as handle:
        assert pdf_pages(handle.read()) == 2
    with interpellation.letters_zip.open("rb") as handle:
        assert len(zipfile.ZipFile(io.BytesIO(handle.read())).namelist()) == 2


def test_members_may_not_resume(as_role, collective, officials):
    interpellation, _job = create_unrung(collective, officials)

    response = as_role("coordinator").post(f"/api/interpellations/{interpellation.pk}/resume/")

    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Seule l'équipe nationale reprend la préparation des courriers."},
    )


def test_staff_resume_from_the_admin(client, admin_user, collective, officials, django_capture_on_commit_callbacks):
    interpellation, job = create_unrung(collective, officials)
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/campaigns/interpellation/",
            {"action": "resume", "_selected_action": [interpellation.pk]},
            follow=True,
        )

    assert "3 courriers remis en préparation." in response.content.decode()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
