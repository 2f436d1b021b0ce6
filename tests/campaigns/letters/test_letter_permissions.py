"""Interpellations, letters and their jobs belong to their collective: its members and staff
see them, members create them, coordinators delete them."""

import datetime as dt

import pytest

from campaigns.collectives.access import collective_scope
from campaigns.letters.services.downloads import interpellation_bundle
from campaigns.models import Interpellation, Letter
from tasks.jobs import services as jobs
from tests.campaigns.factories import (
    InterpellationFactory,
    LetterFactory,
    LetterTemplateFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
    with_pdf,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "coordinator", "staff"]
READ = {"anonymous": 401, "outsider": 404, "member": 200, "coordinator": 200, "staff": 200}


@pytest.fixture
def letter(collective, salon):
    job = jobs.job_create(kind="interpellation", by=member_of(collective), total=1,
                          scope=collective_scope(collective.pk))  # fmt: skip
    interpellation = InterpellationFactory(collective=collective, job=job)
    mayor = in_office(salon, "maire")
    letter = with_pdf(LetterFactory(interpellation=interpellation, official=mayor.official, municipality=salon))
    interpellation_bundle(interpellation_id=interpellation.pk)  # as the worker does once letters are done
    return letter


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url",
    [
        "/api/interpellations/{interpellation}/",
        "/api/interpellations/{interpellation}/pdf/",
        "/api/interpellations/{interpellation}/zip/",
        "/api/letters/{letter}/",
        "/api/letters/{letter}/pdf/",
        "/api/jobs/{job}/",
    ],
)
def test_interpellations_letters_and_jobs_are_read_by_their_collective_and_staff_only(as_role, letter, role, url):
    path = url.format(interpellation=letter.interpellation_id, letter=letter.pk, job=letter.interpellation.job_id)

    response = as_role(role).get(path)

    assert response.status_code == READ[role], response.content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ["/api/interpellations/", "/api/letters/", "/api/jobs/"])
def test_lists_show_only_the_rows_of_your_collectives(as_role, letter, other_collective, role, url):
    InterpellationFactory(collective=other_collective)
    LetterFactory(interpellation__collective=other_collective)

    response = as_role(role).get(url)

    if role == "anonymous":
        assert response.status_code == 401
        return
    ids = {row["id"] for row in response.json()["results"]}
    mine = {"/api/interpellations/": letter.interpellation_id, "/api/letters/": letter.pk,
            "/api/jobs/": letter.interpellation.job_id}[url]  # fmt: skip
    assert (mine in ids) == (role != "outsider")
    if role in ("member", "coordinator"):
        assert len(ids) == 1


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("outsider", 400), ("member", 202), ("coordinator", 202), ("staff", 202)],
)
def test_members_of_the_collective_create_interpellations(as_role, collective, salon, role, expected):
    mayor = in_office(salon, "maire")
    template = LetterTemplateFactory(collective=collective)

    response = as_role(role).post(
        "/api/interpellations/",
        {"collective": collective.slug, "template": template.pk, "officials": [mayor.official_id]},
        format="json",
    )

    assert response.status_code == expected, response.content
    assert Interpellation.objects.exists() == (expected == 202)
    if role == "outsider":
        assert response.json() == {"collective": ["Vous n'êtes pas membre du collectif « Pays Salonais »."]}


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("outsider", 404), ("member", 403), ("coordinator", 204), ("staff", 204)],
)
def test_coordinators_delete_interpellations(as_role, letter, role, expected):
    response = as_role(role).delete(f"/api/interpellations/{letter.interpellation_id}/")

    assert response.status_code == expected
    assert Interpellation.objects.filter(pk=letter.interpellation_id).exists() == (expected != 204)
    assert Letter.objects.filter(pk=letter.pk).exists() == (expected != 204)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("outsider", 404), ("member", 200), ("coordinator", 200), ("staff", 200)],
)
def test_members_record_replies(as_role, letter, role, expected):
    response = as_role(role).post(
        f"/api/letters/{letter.pk}/reply/",
        {"date": "2026-11-20", "summary": "Rendez-vous accepté.", "outcome": "positive"},
        format="json",
    )

    assert response.status_code == expected
    letter.refresh_from_db()
    assert (letter.status == Letter.Status.ANSWERED) == (expected == 200)
    assert (letter.reply_date == dt.date(2026, 11, 20)) == (expected == 200)


def test_letters_cannot_be_written_through_the_api(as_role, letter):
    api = as_role("coordinator")

    assert api.patch(f"/api/letters/{letter.pk}/", {"status": "answered"}, format="json").status_code == 405
    assert api.delete(f"/api/letters/{letter.pk}/").status_code == 405
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
