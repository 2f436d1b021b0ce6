"""Letters, replies and reminders are files no URL serves bare: only the API's views that
check who asks (letters of your collectives) answer them, in any mode."""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import clear_url_caches

import backend.urls
from campaigns.models import LetterReminder
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import (
    LetterFactory,
    blank_pdf,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    with_pdf,
)

pytestmark = pytest.mark.django_db

REPLY = b"%PDF-1.4 reponse de la mairie"


@pytest.fixture
def letter(collective, salon):
    mayor = in_office(salon, "maire")
    letter = with_pdf(LetterFactory(interpellation__collective=collective, official=mayor.official, municipality=salon))
    letter.reply_file.save("reponse-mairie.pdf", ContentFile(REPLY), save=True)
    reminder = LetterReminder(letter=letter, number=1, channel=letter.channel)
    reminder.pdf.save(f"relance-{letter.pk}-1.pdf", ContentFile(blank_pdf()), save=True)
    return letter


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def urls_of_mode(request, settings):
    """The URL configuration as ``make run`` (DEBUG=1) or production builds it at start-up."""
    debug = settings.DEBUG
    settings.DEBUG = request.param
    importlib.reload(backend.urls)
    clear_url_caches()
    yield
    settings.DEBUG = debug
    importlib.reload(backend.urls)
    clear_url_caches()


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "staff"])
def test_no_stored_file_is_served_by_its_media_path(as_role, letter, role, urls_of_mode):
    client = as_role(role)
    for name in (letter.pdf.name, letter.reply_file.name, letter.reminders.get().pdf.name):
        assert (letter.pdf.storage.path(name)).endswith(name)  # the files do exist

        response = client.get(f"/media/{name}")

        assert response.status_code == 404, name


def test_a_member_reads_the_letter_its_reply_and_its_reminder(as_role, letter):
    member = as_role("member")

    pdf = member.get(f"/api/letters/{letter.pk}/pdf/")
    reply = member.get(f"/api/letters/{letter.pk}/reply-file/")
    reminder = member.get(f"/api/letters/{letter.pk}/reminders/1/pdf/")

    assert (pdf.status_code, reply.status_code, reminder.status_code) == (200, 200, 200)
    assert body(pdf).startswith(b"%PDF")
    assert body(reply) == REPLY
    # Uploaded by a member: downloaded, never displayed as a page of the site.
    assert reply["Content-Disposition"] == f'attachment; filename="{letter.pk}-reponse-mairie.pdf"'
    assert body(reminder).startswith(b"%PDF")
    assert pdf["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("outsider", 404)])
@pytest.mark.parametrize("path", ["pdf/", "reply-file/", "reminders/1/pdf/"])
def test_an_outsider_or_an_anonymous_caller_reads_no_file(as_role, letter, role, status, path):
    response = as_role(role).get(f"/api/letters/{letter.pk}/{path}")

    assert response.status_code == status
    assert b"%PDF" not in body(response)


def test_a_missing_reminder_is_a_404_in_french(as_role, letter):
    response = as_role("member").get(f"/api/letters/{letter.pk}/reminders/2/pdf/")

    assert response.status_code == 404
    assert "relance" in response.json()["detail"]


def test_nginx_can_send_the_file_after_the_permission_check(as_role, letter, settings):
    settings.MEDIA_SERVE = "x-accel-redirect"
    settings.MEDIA_ACCEL_PREFIX = "/protected-media/"

    response = as_role("member").get(f"/api/letters/{letter.pk}/pdf/")

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{letter.pdf.name}"
    assert response.content == b""
    assert as_role("outsider").get(f"/api/letters/{letter.pk}/pdf/").has_header("X-Accel-Redirect") is False


def test_apache_can_send_the_file_after_the_permission_check(as_role, letter, settings):
    settings.MEDIA_SERVE = "x-sendfile"

    response = as_role("member").get(f"/api/letters/{letter.pk}/reply-file/")

    assert response["X-Sendfile"] == letter.reply_file.path
    assert response.content == b""


def test_the_admin_links_files_to_the_checked_views_not_to_media(letter):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(f"/admin/campaigns/letter/{letter.pk}/change/").content.decode()

    assert "/media/" not in page
    assert f'href="/api/letters/{letter.pk}/pdf/"' in page
    assert f'href="/api/letters/{letter.pk}/reply-file/"' in page
    assert f'href="/api/letters/{letter.pk}/reminders/1/pdf/"' in page


def test_the_letter_names_its_files_by_their_checked_urls(as_role, letter):
    data = as_role("member").get(f"/api/letters/{letter.pk}/").json()

    assert data["pdf_url"] == f"http://testserver/api/letters/{letter.pk}/pdf/"
    assert data["reply_file_url"] == f"http://testserver/api/letters/{letter.pk}/reply-file/"
    assert "/media/" not in str(data)
