"""The merged PDF and the ZIP of an interpellation are built once by the worker when its
letters are done, stored, then served as files: never merged inside a web request. Until
they are ready, the API says so (409, in French, with the job to follow)."""

import io
import zipfile

import pytest

from campaigns.letters.services.downloads import interpellation_bundle
from campaigns.letters.services.rendering import letters_render
from campaigns.models import Interpellation, Letter
from tasks.jobs import services as jobs
from tests.campaigns.factories import (
    InterpellationFactory,
    LetterFactory,
    LetterTemplateFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    pdf_pages,
    with_pdf,
)

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def sent(as_role, collective, salon, django_capture_on_commit_callbacks):
    officials = [in_office(salon, role).official_id for role in ("maire", "adjoint", "adjoint")]
    template = LetterTemplateFactory(collective=collective)
    api = as_role("member")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/interpellations/",
            {"collective": collective.slug, "template": template.pk, "officials": officials},
            format="json",
        )
    return api, Interpellation.objects.get(pk=response.json()["interpellation"]["id"])


def test_the_worker_stores_the_merged_pdf_and_the_zip_when_the_letters_are_done(sent):
    _api, interpellation = sent

    assert interpellation.letters_pdf.name == f"letters/{interpellation.pk}/interpellation-{interpellation.pk}.pdf"
    assert interpellation.letters_zip.name == f"letters/{interpellation.pk}/interpellation-{interpellation.pk}.zip"
    with interpellation.letters_pdf.open("rb") as handle:
        assert pdf_pages(handle.read()) == 3
    with interpellation.letters_zip.open("rb") as handle:
        assert len(zipfile.ZipFile(io.BytesIO(handle.read())).namelist()) == 3


def test_the_downloads_serve_the_stored_files_without_merging_again(sent):
    api, interpellation = sent
    # Were the letters merged again, the download would change with them.
    for letter in Letter.objects.all():
        letter.pdf.delete(save=True)

    merged = api.get(f"/api/interpellations/{interpellation.pk}/pdf/")
    archive = api.get(f"/api/interpellations/{interpellation.pk}/zip/")

    assert (merged.status_code, archive.status_code) == (200, 200)
    assert pdf_pages(body(merged)) == 3
    assert len(zipfile.ZipFile(io.BytesIO(body(archive))).namelist()) == 3
    assert merged["Content-Disposition"] == f'attachment; filename="interpellation-{interpellation.pk}.pdf"'


def test_until_the_letters_are_done_the_downloads_answer_409_with_the_job(as_role, collective):
    job = jobs.job_create(kind="interpellation", total=2)
    interpellation = InterpellationFactory(collective=collective, job=job)
    with_pdf(LetterFactory(interpellation=interpellation))
    LetterFactory(interpellation=interpellation, status=Letter.Status.DRAFT, sent_at=None)

    for kind in ("pdf", "zip"):
        response = as_role("member").get(f"/api/interpellations/{interpellation.pk}/{kind}/")

        assert response.status_code == 409
        assert response.json()["detail"] == (
            "Les courriers sont en cours de préparation : le fichier sera prêt quand la tâche sera finie."
        )
        assert response.json()["job"]["id"] == job.pk
        assert response["Retry-After"] == "5"


def test_letters_rendered_before_the_downloads_existed_get_them_built_by_the_worker(
    as_role, collective, django_capture_on_commit_callbacks
):
    interpellation = InterpellationFactory(collective=collective)
    with_pdf(LetterFactory(interpellation=interpellation), pages=2)
    api = as_role("member")

    with django_capture_on_commit_callbacks(execute=True):
        first = api.get(f"/api/interpellations/{interpellation.pk}/pdf/")
    then = api.get(f"/api/interpellations/{interpellation.pk}/pdf/")

    assert first.status_code == 409
    assert first.json()["detail"] == "Le fichier est en préparation : réessayez dans un instant."
    assert then.status_code == 200 and pdf_pages(body(then)) == 2


def test_building_the_downloads_twice_builds_them_once(sent):
    _api, interpellation = sent
    names = (interpellation.letters_pdf.name, interpellation.letters_zip.name)

    assert interpellation_bundle(interpellation_id=interpellation.pk) is False
    interpellation.refresh_from_db()
    assert (interpellation.letters_pdf.name, interpellation.letters_zip.name) == names


def test_a_failed_build_of_the_downloads_leaves_the_job_succeeded(collective):
    job = jobs.job_create(kind="interpellation", total=1)
    interpellation = InterpellationFactory(collective=collective, job=job)
    job.params = {"interpellation": interpellation.pk}
    job.save()
    LetterFactory(interpellation=interpellation, pdf="letters/0/courrier-perdu.pdf")  # no such file

    letters_render(letter_ids=[], job_id=job.pk)  # the last chunk, with nothing left to render

    job.refresh_from_db()
    interpellation.refresh_from_db()
    assert job.status == job.Status.SUCCEEDED
    assert not interpellation.letters_pdf and not interpellation.letters_zip
