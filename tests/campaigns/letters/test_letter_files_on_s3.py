"""Files on S3-compatible object storage (AWS_STORAGE_BUCKET_NAME): letters rendered by the
worker, the interpellation's merged PDF and a reply's scan go to the bucket and come back
through the same permission-checked views. The server is a real one (SeaweedFS) on loopback."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from backend.settings import _s3_storage
from campaigns.models import Interpellation, Letter
from tests.campaigns.factories import (
    LetterTemplateFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    pdf_pages,
)
from tests.support.processes import S3Server

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


BUCKET = "pacte-essais"


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    server = S3Server(tmp_path_factory.mktemp("s3")).start()
    server.client().create_bucket(Bucket=BUCKET)
    yield server
    server.stop()


def s3_environment(server: S3Server, folder: str) -> dict[str, str]:
    """One bucket for the run; each test stores under a folder of its own."""
    return {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_LOCATION": folder,
        "AWS_S3_ENDPOINT_URL": server.endpoint_url,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "essai",
        "AWS_SECRET_ACCESS_KEY": "essai-secret",
        "AWS_S3_ADDRESSING_STYLE": "path",
    }


@pytest.fixture
def bucket(s3_server, settings, monkeypatch) -> str:
    """A folder of the bucket, and the storage that the settings build from the environment."""
    folder = f"essai-{uuid.uuid4().hex[:12]}"
    for variable, value in s3_environment(s3_server, folder).items():
        monkeypatch.setenv(variable, value)
    settings.STORAGES = {**settings.STORAGES, "default": _s3_storage(BUCKET)}
    settings.MEDIA_ROOT = "/nonexistent/no-file-goes-to-disk"
    return folder


def objects(server: S3Server, folder: str) -> dict[str, bytes]:
    """What the bucket holds under ``folder``, by name relative to it (as the storage names files)."""
    client = server.client()
    listed = client.list_objects_v2(Bucket=BUCKET, Prefix=f"{folder}/").get("Contents", [])
    return {
        item["Key"].removeprefix(f"{folder}/"): client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
        for item in listed
    }


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def sent(as_role, collective, salon, bucket, django_capture_on_commit_callbacks):
    """An interpellation of three officials, its letters rendered and merged by the tasks."""
    officials = [in_office(salon, role).official_id for role in ("maire", "adjoint", "adjoint")]
    template = LetterTemplateFactory(collective=collective)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("member").post(
            "/api/interpellations/",
            {"collective": collective.slug, "template": template.pk, "officials": officials},
            format="json",
        )
    assert response.status_code == 202, response.content
    return Interpellation.objects.get(pk=response.json()["interpellation"]["id"])


def test_letters_and_the_merged_pdf_are_stored_in_the_bucket_and_served_to_members(as_role, sent, bucket, s3_server):
    stored = objects(s3_server, bucket)
    letters = list(Letter.objects.filter(interpellation=sent))
    assert len(letters) == 3
    for letter in letters:
        assert stored[letter.pdf.name].startswith(b"%PDF")
    assert pdf_pages(stored[sent.letters_pdf.name]) == 3

    member = as_role("member")
    letter_pdf = member.get(f"/api/letters/{letters[0].pk}/pdf/")
    merged = member.get(f"/api/interpellations/{sent.pk}/pdf/")

    assert (letter_pdf.status_code, merged.status_code) == (200, 200)
    assert body(letter_pdf) == stored[letters[0].pdf.name]
    assert pdf_pages(body(merged)) == 3
    assert as_role("outsider").get(f"/api/letters/{letters[0].pk}/pdf/").status_code == 404


def test_a_reply_scan_is_uploaded_to_the_bucket_and_read_back_by_a_member(as_role, sent, bucket, s3_server):
    letter = Letter.objects.filter(interpellation=sent).first()
    scan = SimpleUploadedFile("reponse-mairie.pdf", b"%PDF-1.4 reponse", content_type="application/pdf")
    posted = as_role("member").post(
        f"/api/letters/{letter.pk}/posted/", {"date": str(timezone.localdate())}, format="json"
    )
    assert posted.status_code == 200, posted.content

    response = as_role("member").post(
        f"/api/letters/{letter.pk}/reply/",
        {"date": "2026-11-21", "summary": "Réponse sans engagement.", "outcome": "neutral", "file": scan},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    letter.refresh_from_db()
    assert objects(s3_server, bucket)[letter.reply_file.name] == b"%PDF-1.4 reponse"
    download = as_role("member").get(f"/api/letters/{letter.pk}/reply-file/")
    assert download.status_code == 200
    assert body(download) == b"%PDF-1.4 reponse"


def manage(*args, **env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "MEDIA_SERVE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env={**environment, **env}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_environment_chooses_the_bucket(s3_server, tmp_path):
    name = f"essai-{uuid.uuid4().hex[:12]}"
    code = "from django.core.files.base import ContentFile; from django.core.files.storage import default_storage;"
    code += "print(default_storage.save('essai/bonjour.txt', ContentFile(b'bonjour')))"

    result = manage("shell", "-c", code, VAR_DIR=str(tmp_path), **s3_environment(s3_server, name))

    assert result.returncode == 0, result.stderr
    assert objects(s3_server, name) == {"essai/bonjour.txt": b"bonjour"}
    assert not (tmp_path / "media").exists()


def test_apache_x_sendfile_with_a_bucket_is_refused_at_start_up(s3_server, tmp_path):
    result = manage("check", VAR_DIR=str(tmp_path), MEDIA_SERVE="x-sendfile", **s3_environment(s3_server, "essai"))

    assert result.returncode != 0
    assert "MEDIA_SERVE=x-sendfile needs files on a local disk" in result.stderr
