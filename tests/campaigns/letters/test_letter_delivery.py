"""Delivery: by e-mail through the outbox when asked and possible, on paper otherwise, and
every letter that left (e-mail accepted, paper posted) logged as an action of the collective."""

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.letters.services.departures import letters_post
from campaigns.letters.services.interpellations import interpellation_create
from campaigns.models import Action, Letter
from tasks.outbox.models import OutboundEmail
from tests.campaigns.factories import (
    CampaignFactory,
    LetterTemplateFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
    pdf_of,
    pdf_text,
)
from tests.campaigns.letters.conftest import letter_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def officials(salon):
    """Salon's mayor has an address; a deputy has none; another asked for paper only."""
    mayor = in_office(salon, "maire", first_name="Élodie", last_name="IMBERT", email="maire@salon.example")
    without = in_office(salon, "adjoint", first_name="Karim", last_name="BENALI", sex="M", email="")
    paper_only = in_office(salon, "adjoint", first_name="Inès", last_name="ROUX", email="ines.roux@salon.example")
    paper_only.official.do_not_email = True
    paper_only.official.save()
    return {"mayor": mayor.official, "without": without.official, "paper_only": paper_only.official}


def test_by_email_each_official_with_an_address_gets_one_email_with_the_pdf(send, officials):
    send(officials.values(), delivery="email")

    letter = letter_to(officials["mayor"])
    [queued] = OutboundEmail.objects.all()
    assert queued.to == ["maire@salon.example"]
    assert queued.reply_to == ["pays-salonais@example.org"]
    assert queued.subject == "Le plan vélo à Salon-de-Provence"
    assert queued.idempotency_key == f"letter:{letter.pk}"
    assert queued.cause == letter
    assert (letter.channel, letter.channel_note, letter.email) == (Letter.Channel.EMAIL, "", queued)
    [attachment] = queued.attachments.all()
    assert attachment.filename == f"courrier-{letter.pk}.pdf"
    with attachment.file.open("rb") as handle:
        assert handle.read() == pdf_of(letter)


def test_the_email_leaves_with_the_letter_as_text_and_attachment_and_the_collective_as_reply_to(send, officials):
    send([officials["mayor"]], delivery="email")

    [email] = mail.outbox
    assert email.to == ["maire@salon.example"]
    assert email.reply_to == ["pays-salonais@example.org"]
    assert email.subject == "Le plan vélo à Salon-de-Provence"
    assert "Madame la Maire," in email.body
    assert "Bonjour Élodie IMBERT." in email.body
    [(filename, content, mimetype)] = email.attachments
    assert (filename, mimetype) == (f"courrier-{letter_to(officials['mayor']).pk}.pdf", "application/pdf")
    assert "Madame la Maire," in pdf_text(content)
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_officials_without_an_address_or_flagged_do_not_email_get_paper_and_the_reason(send, officials):
    _interpellation, job = send(officials.values(), delivery="email")

    without, paper_only = letter_to(officials["without"]), letter_to(officials["paper_only"])
    assert (without.status, without.channel, without.email) == (Letter.Status.TO_POST, Letter.Channel.PAPER, None)
    assert without.get_channel_reason_display() == "aucune adresse électronique utilisable"
    assert (paper_only.status, paper_only.channel, paper_only.email) == (
        Letter.Status.TO_POST,
        Letter.Channel.PAPER,
        None,
    )
    assert paper_only.get_channel_reason_display() == "l'élu·e ne souhaite pas être contacté·e par courriel"
    assert not OutboundEmail.objects.filter(to__icontains="ines.roux").exists()
    assert [email.to for email in mail.outbox] == [["maire@salon.example"]]
    job.refresh_from_db()
    assert (job.result["by_email"], job.result["on_paper"]) == (1, 2)
    assert "Madame l'Adjointe au maire," in pdf_text(pdf_of(paper_only))


def test_paper_delivery_emails_nobody(send, officials):
    send(officials.values(), delivery="pdf")

    assert set(Letter.objects.values_list("status", "channel", "channel_reason", "sent_at")) == {
        (Letter.Status.TO_POST, Letter.Channel.PAPER, Letter.ChannelReason.PAPER_CHOSEN, None)
    }
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_a_collective_without_contact_address_sends_without_reply_to(send, collective, officials):
    collective.contact_email = ""
    collective.save()

    send([officials["mayor"]], delivery="email")

    assert OutboundEmail.objects.get().reply_to == []


def test_an_email_accepted_by_the_server_makes_the_letter_sent_at_that_time(send, officials):
    send([officials["mayor"]], delivery="email")

    letter, email = letter_to(officials["mayor"]), OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.SENT
    assert (letter.status, letter.sent_at) == (Letter.Status.SENT, email.sent_at)
    assert letter.action.date == timezone.localdate(email.sent_at)


def test_an_email_the_server_refuses_fails_the_letter_with_the_reply(send, officials, smtp_backend):
    smtp_backend.handler.data_reply = lambda message_id, copies: "554 5.7.1 Refusé par la politique du domaine"

    send([officials["mayor"]], delivery="email")

    letter = letter_to(officials["mayor"])
    assert (letter.status, letter.sent_at, letter.action) == (Letter.Status.FAILED, None, None)
    assert letter.error == "Courriel non remis : 554 5.7.1 Refusé par la politique du domaine"
    assert not Action.objects.exists()


def test_each_letter_that_left_is_logged_as_a_private_letter_action_on_its_official(send, collective, officials, pact):
    campaign = CampaignFactory(collective=collective, title="Mobilités durables")
    campaign.measures.add(pact.measures.get(code="01"))

    interpellation, _job = send(officials.values(), delivery="email", campaign=campaign)
    # The e-mailed letter is logged when the server accepted it; the paper ones once posted.
    assert list(Action.objects.values_list("officials", flat=True)) == [officials["mayor"].pk]
    posted_on = timezone.localdate()
    letters_post(letters=Letter.objects.filter(status=Letter.Status.TO_POST), date=posted_on)

    actions = Action.objects.prefetch_related("officials", "measures")
    assert actions.count() == 3
    assert {letter.action.date for letter in Letter.objects.exclude(official=officials["mayor"])} == {posted_on}
    for official in officials.values():
        [action] = [action for action in actions if list(action.officials.all()) == [official]]
        assert action.kind == Action.Kind.LETTER
        assert action.title == f"Courrier à {official} : Le plan vélo à Salon-de-Provence"
        assert (action.collective, action.campaign, action.municipality_id) == (collective, campaign, "13103")
        assert action.is_public is False
        assert action.created_by == interpellation.created_by
        assert [measure.code for measure in action.measures.all()] == ["01"]


def test_the_email_subject_is_plain_text(collective, officials, django_capture_on_commit_callbacks):
    template = LetterTemplateFactory(collective=collective, subject="L'engagement « {{ official.last_name }} » & vous")
    officials["mayor"].last_name = "D'ARTOIS"
    officials["mayor"].save()
    with django_capture_on_commit_callbacks(execute=True):
        interpellation_create(collective=collective, template=template, by=member_of(collective),
                              officials=[officials["mayor"]], delivery="email")  # fmt: skip

    assert mail.outbox[0].subject == "L'engagement « D'ARTOIS » & vous"
    assert Action.objects.get().title == "Courrier à Élodie D'ARTOIS : L'engagement « D'ARTOIS » & vous"
