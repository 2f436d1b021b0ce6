"""The outbox in the admin: staff read e-mails and retry or cancel them in bulk."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail

from campaigns.models import Membership
from tasks.outbox.models import OutboundEmail
from tests.campaigns.factories import MembershipFactory
from tests.tasks.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status
URL = "/admin/tasks/outboundemail/"


def act(client, action, emails):
    return client.post(URL, {"action": action, "_selected_action": [email.pk for email in emails]}, follow=True)


def test_staff_see_the_outbox(admin_client):
    OutboundEmailFactory(to=["maire@salon.example"], subject="Bilan de mi-mandat")

    response = admin_client.get(URL)

    assert response.status_code == 200
    assert "maire@salon.example" in response.text
    assert "Bilan de mi-mandat" in response.text


def test_retry_requeues_failed_and_cancelled_e_mails_only(admin_client, django_capture_on_commit_callbacks):
    failed = OutboundEmailFactory(status=Status.FAILED, attempts=8)
    cancelled = OutboundEmailFactory(status=Status.CANCELLED)
    sent = OutboundEmailFactory(status=Status.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client, "retry", [failed, cancelled, sent])

    assert [str(message) for message in get_messages(response.wsgi_request)] == ["2 courriels remis en file."]
    assert set(OutboundEmail.objects.filter(status=Status.SENT).values_list("pk", flat=True)) == {
        failed.pk,
        cancelled.pk,
        sent.pk,
    }
    assert len(mail.outbox) == 2


def test_cancel_stops_queued_e_mails_only(admin_client):
    queued = OutboundEmailFactory()
    sent = OutboundEmailFactory(status=Status.SENT)

    response = act(admin_client, "cancel", [queued, sent])

    assert [str(message) for message in get_messages(response.wsgi_request)] == ["1 courriel annulé."]
    queued.refresh_from_db()
    sent.refresh_from_db()
    assert (queued.status, sent.status) == (Status.CANCELLED, Status.SENT)


def test_nobody_writes_an_e_mail_by_hand(admin_client):
    assert admin_client.get(f"{URL}add/").status_code == 403


def test_members_of_a_collective_do_not_see_the_outbox(client):
    client.force_login(MembershipFactory(role=Membership.Role.COORDINATOR).user)
    OutboundEmailFactory()

    assert client.get(URL).status_code == 403
