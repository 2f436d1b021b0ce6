"""email_queue(): one row per idempotency key, in the caller's transaction, never to a
recipient who refused e-mail."""

import pytest
from django.core import mail
from django.db import transaction

from tasks.outbox.models import OutboundEmail
from tasks.outbox.services import Attachment, RecipientRefused, email_queue, email_queued
from tests.officials.factories import OfficialFactory

pytestmark = pytest.mark.django_db


def queue(key="relance:1", to=("maire@salon.example",), **kwargs):
    kwargs.setdefault("subject", "Relance : votre réponse au collectif")
    kwargs.setdefault("body_text", "Madame la Maire,\nNous attendons votre réponse.\n")
    return email_queue(to=list(to), idempotency_key=key, **kwargs)


def test_it_queues_one_row_for_two_calls_with_the_same_key():
    first = queue()
    second = queue(subject="Un autre objet")

    assert second.pk == first.pk
    assert OutboundEmail.objects.count() == 1
    assert OutboundEmail.objects.get().subject == "Relance : votre réponse au collectif"
    assert email_queued("relance:1")
    assert not email_queued("relance:2")


def test_the_row_is_queued_with_its_domain_and_a_message_id():
    email = queue(to=["  Maire@Salon.Example ", ""])

    assert email.status == OutboundEmail.Status.QUEUED
    assert email.to == ["Maire@Salon.Example"]
    assert email.domain == "salon.example"
    assert email.message_id.startswith("<") and email.message_id.endswith("@pacte-tracker.local>")


def test_it_sends_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()
        assert mail.outbox == []

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert mail.outbox[0].extra_headers["Message-ID"] == email.message_id


def test_a_rolled_back_transaction_leaves_no_row_and_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue()
        raise RuntimeError("la suite a échoué")

    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_it_refuses_an_official_who_does_not_want_e_mail_with_the_reason_in_french():
    OfficialFactory(email="Maire@Salon.example", do_not_email=True)

    with pytest.raises(RecipientRefused) as refused:
        queue(to=["maire@salon.example"])

    assert refused.value.address == "maire@salon.example"
    assert refused.value.reason == "l'élu·e ne souhaite pas être contacté·e par courriel"
    assert str(refused.value) == (
        "maire@salon.example ne peut pas recevoir de courriel : l'élu·e ne souhaite pas être contacté·e par courriel"
    )
    assert not OutboundEmail.objects.exists()


def test_a_refused_address_in_copy_is_refused_too():
    OfficialFactory(email="adjoint@salon.example", do_not_email=True)

    with pytest.raises(RecipientRefused):
        queue(cc=["adjoint@salon.example"])


def test_officials_who_accept_e_mail_are_queued():
    official = OfficialFactory(do_not_email=False)

    assert queue(to=[official.email]).pk


def test_an_e_mail_needs_a_recipient():
    with pytest.raises(ValueError):
        queue(to=[" "])


def test_attachments_are_stored_with_the_row():
    email = queue(attachments=[Attachment("courrier.pdf", b"%PDF-1.7 lettre", "application/pdf")])

    (attachment,) = email.attachments.all()
    assert attachment.filename == "courrier.pdf"
    assert attachment.mimetype == "application/pdf"
    with attachment.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.7 lettre"


def test_e_mails_queued_in_one_transaction_ring_the_worker_once(django_capture_on_commit_callbacks):
    # One send task for a whole batch (an interpellation's chunk of letters, a round of
    # reminders): one SMTP session and one word to the listeners, not one per e-mail.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        emails = [queue(key=f"relance:{number}") for number in range(3)]

    assert len(callbacks) == 1
    assert len(mail.outbox) == 3
    assert {email.status for email in OutboundEmail.objects.all()} == {OutboundEmail.Status.SENT}
    assert [message.extra_headers["Message-ID"] for message in mail.outbox] == [email.message_id for email in emails]


def test_a_batch_rings_at_most_outbox_batch_size_e_mails(settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_BATCH_SIZE = 2
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for number in range(5):
            queue(key=f"relance:{number}")

    assert len(callbacks) == 3
    assert len(mail.outbox) == 5


def test_an_e_mail_queued_after_a_rolled_back_savepoint_is_still_rung(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue(key="relance:annulee")
            raise RuntimeError("cette partie a échoué")
        kept = queue(key="relance:gardee")

    assert [message.extra_headers["Message-ID"] for message in mail.outbox] == [kept.message_id]
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_each_commit_rings_for_its_own_e_mails(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue(key="relance:1")
    with django_capture_on_commit_callbacks(execute=True):
        queue(key="relance:2")

    assert len(mail.outbox) == 2
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}
