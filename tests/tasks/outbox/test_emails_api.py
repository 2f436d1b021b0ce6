"""/api/emails/: the outbox for staff, with filters, retry and cancel."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from tasks.outbox.models import EmailAttachment, OutboundEmail
from tests.tasks.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status
URL = "/api/emails/"


def test_anonymous_callers_must_authenticate(api):
    assert api.get(URL).status_code == 401


def test_members_who_are_not_staff_are_refused(user_api):
    email = OutboundEmailFactory(status=Status.FAILED)

    assert user_api.get(URL).status_code == 403
    assert user_api.get(f"{URL}{email.pk}/").status_code == 403
    assert user_api.post(f"{URL}{email.pk}/retry/").status_code == 403


def test_staff_read_every_e_mail_with_its_state_and_error(staff_api):
    email = OutboundEmailFactory(
        to=["maire@salon.example"], status=Status.FAILED, attempts=1, last_error="550 5.1.1 Boîte inconnue"
    )

    response = staff_api.get(f"{URL}{email.pk}/")

    assert response.status_code == 200
    data = response.json()
    assert data["to"] == ["maire@salon.example"]
    assert data["status"] == "failed"
    assert data["status_display"] == "échec"
    assert data["last_error"] == "550 5.1.1 Boîte inconnue"
    assert data["message_id"] == email.message_id


def test_the_list_runs_a_constant_number_of_queries(staff_api, django_assert_max_num_queries):
    for email in OutboundEmailFactory.create_batch(8):
        for name in ("courrier.pdf", "annexe.pdf"):
            EmailAttachment.objects.create(email=email, filename=name, file=ContentFile(b"%PDF", name=name))

    with django_assert_max_num_queries(5):
        response = staff_api.get(URL)

    assert response.json()["count"] == 8
    assert all(len(row["attachments"]) == 2 for row in response.json()["results"])


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_staff_filter_by_status(staff_api):
    failed = OutboundEmailFactory(status=Status.FAILED)
    OutboundEmailFactory(status=Status.SENT)

    assert ids(staff_api.get(URL, {"status": "failed"})) == {failed.pk}


def test_staff_filter_by_recipient(staff_api):
    salon = OutboundEmailFactory(to=["maire@salon.example", "dgs@salon.example"])
    OutboundEmailFactory(to=["maire@aix.example"])

    assert ids(staff_api.get(URL, {"recipient": "DGS@salon"})) == {salon.pk}


def test_staff_filter_by_creation_date(staff_api):
    old, recent = OutboundEmailFactory(), OutboundEmailFactory()
    OutboundEmail.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=10))
    since = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    until = (timezone.localdate() - dt.timedelta(days=5)).isoformat()

    assert ids(staff_api.get(URL, {"created_after": since})) == {recent.pk}
    assert ids(staff_api.get(URL, {"created_before": until})) == {old.pk}


def test_retry_queues_a_failed_e_mail_again_and_sends_it(staff_api, django_capture_on_commit_callbacks):
    email = OutboundEmailFactory(status=Status.FAILED, attempts=8, last_error="451 trop tard")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(f"{URL}{email.pk}/retry/")

    assert response.status_code == 200
    assert response.json()["status"] == "queued"
    assert response.json()["attempts"] == 0
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert [message.extra_headers["Message-ID"] for message in mail.outbox] == [email.message_id]


def test_a_cancelled_e_mail_can_be_retried(staff_api):
    email = OutboundEmailFactory(status=Status.CANCELLED)

    assert staff_api.post(f"{URL}{email.pk}/retry/").json()["status"] == "queued"


@pytest.mark.parametrize("status", [Status.QUEUED, Status.SENDING, Status.SENT])
def test_only_failed_or_cancelled_e_mails_are_retried(staff_api, status):
    email = OutboundEmailFactory(status=status)

    response = staff_api.post(f"{URL}{email.pk}/retry/")

    assert response.status_code == 400
    assert response.json() == {"status": ["Seul un courriel en échec ou annulé peut être renvoyé."]}
    email.refresh_from_db()
    assert email.status == status


def test_cancel_stops_a_queued_e_mail(staff_api):
    email = OutboundEmailFactory()

    response = staff_api.post(f"{URL}{email.pk}/cancel/")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["status_display"] == "annulé"


@pytest.mark.parametrize("status", [Status.SENDING, Status.SENT, Status.FAILED])
def test_only_queued_e_mails_are_cancelled(staff_api, status):
    email = OutboundEmailFactory(status=status)

    response = staff_api.post(f"{URL}{email.pk}/cancel/")

    assert response.status_code == 400
    assert response.json() == {"status": ["Seul un courriel en attente peut être annulé."]}


def test_e_mails_are_read_only_through_the_api(staff_api):
    email = OutboundEmailFactory()

    assert staff_api.patch(f"{URL}{email.pk}/", {"subject": "autre"}, format="json").status_code == 405
    assert staff_api.delete(f"{URL}{email.pk}/").status_code == 405
