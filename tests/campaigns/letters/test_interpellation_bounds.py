"""An interpellation writes to the officials of the collective's territory only (staff may go
beyond), and one collective e-mails one official at most LETTERS_EMAILS_PER_OFFICIAL_PER_DAY
times a day: refused at creation, sent on paper at delivery."""

import pytest

from campaigns.letters.services.interpellations import interpellation_create
from campaigns.letters.services.reminders import reminder_send
from campaigns.letters.services.rendering import letters_render
from campaigns.models import Interpellation, Letter, LetterReminder
from tasks.outbox.models import OutboundEmail
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import (
    InterpellationFactory,
    LetterFactory,
    LetterTemplateFactory,
    PledgeFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limit(settings):
    settings.LETTERS_EMAILS_PER_OFFICIAL_PER_DAY = 2
    return settings


@pytest.fixture
def mayor(salon):
    return in_office(salon, "maire", last_name="IMBERT", email="maire@salon.example").official


@pytest.fixture
def aix_mayor(outside):
    return in_office(outside, "maire", last_name="JOISSAINS", email="maire@aix.example").official


def create(client, collective, officials, **fields):
    template = LetterTemplateFactory(collective=collective)
    body = {"collective": collective.slug, "template": template.pk, "officials": [o.pk for o in officials], **fields}
    return client.post("/api/interpellations/", body, format="json")


def test_it_refuses_officials_outside_the_collectives_territory_and_names_them(as_role, collective, mayor, aix_mayor):
    response = create(as_role("member"), collective, [mayor, aix_mayor])

    assert response.status_code == 400
    assert response.json() == {
        "officials": [f"{aix_mayor} n'est élu·e dans aucune commune du territoire du collectif « Pays Salonais »."]
    }
    assert not Interpellation.objects.exists()
    assert not Letter.objects.exists()


def test_staff_may_write_beyond_the_territory(as_role, collective, aix_mayor):
    response = create(as_role("staff"), collective, [aix_mayor])

    assert response.status_code == 202, response.json()


def test_an_official_of_the_territory_is_written_to_under_the_mandate_held_there(as_role, collective, salon, outside):
    from tests.officials.factories import MandateFactory

    official = in_office(outside, "maire", last_name="CUMUL").official
    MandateFactory(official=official, municipality=salon, role="conseiller_municipal")

    response = create(as_role("member"), collective, [official])

    assert response.status_code == 202, response.json()
    assert Letter.objects.get().municipality_id == salon.pk


def test_a_recipient_rule_keeps_to_the_territory(as_role, collective, pact, salon, outside, mayor, aix_mayor):
    PledgeFactory(pact=pact, municipality=salon, collective=collective)
    PledgeFactory(pact=pact, municipality=outside, collective=collective)  # recorded by staff, outside
    template = LetterTemplateFactory(collective=collective)

    response = as_role("member").post(
        "/api/interpellations/",
        {"collective": collective.slug, "template": template.pk, "recipient_rule": "mayors"},
        format="json",
    )

    assert response.status_code == 202, response.json()
    assert list(Letter.objects.values_list("official_id", flat=True)) == [mayor.pk]


def email_twice(collective, official, capture):
    for _ in range(2):
        with capture(execute=True):
            interpellation_create(
                collective=collective,
                template=LetterTemplateFactory(collective=collective),
                by=member_of(collective),
                officials=[official],
                delivery="email",
            )


def test_it_refuses_to_email_an_official_over_the_daily_limit(
    as_role, collective, mayor, django_capture_on_commit_callbacks
):
    email_twice(collective, mayor, django_capture_on_commit_callbacks)
    assert OutboundEmail.objects.count() == 2

    response = create(as_role("member"), collective, [mayor], delivery="email")

    assert response.status_code == 400
    assert response.json() == {
        "officials": [
            f"{mayor} a déjà reçu 2 courriels du collectif aujourd'hui (au plus 2 par jour) : "
            "choisissez l'envoi papier ou réessayez demain."
        ]
    }
    assert Interpellation.objects.count() == 2
    # On paper, the letter may go.
    assert create(as_role("member"), collective, [mayor], delivery="pdf").status_code == 202


def test_the_limit_counts_per_collective(
    as_role, collective, other_collective, salon, mayor, django_capture_on_commit_callbacks
):
    email_twice(collective, mayor, django_capture_on_commit_callbacks)
    other_collective.territory.add(salon)

    assert create(as_role("outsider"), other_collective, [mayor], delivery="email").status_code == 202


def test_at_delivery_a_letter_over_the_limit_goes_on_paper_with_the_reason(collective, mayor, limit):
    limit.LETTERS_EMAILS_PER_OFFICIAL_PER_DAY = 1
    # Two interpellations accepted before either was delivered: the worker holds the limit.
    first, _job = interpellation_create(
        collective=collective, template=LetterTemplateFactory(collective=collective), by=member_of(collective),
        officials=[mayor], delivery="email",
    )  # fmt: skip
    second, _job = interpellation_create(
        collective=collective, template=LetterTemplateFactory(collective=collective), by=member_of(collective),
        officials=[mayor], delivery="email",
    )  # fmt: skip

    letters_render(letter_ids=list(first.letters.values_list("pk", flat=True)))
    letters_render(letter_ids=list(second.letters.values_list("pk", flat=True)))

    sent, held = Letter.objects.get(interpellation=first), Letter.objects.get(interpellation=second)
    assert (sent.status, sent.channel) == (Letter.Status.SENDING, Letter.Channel.EMAIL)
    assert (held.status, held.channel, held.email) == (Letter.Status.TO_POST, Letter.Channel.PAPER, None)
    assert held.channel_note == "limite de 1 courriel par jour du collectif à cet·te élu·e atteinte"
    assert OutboundEmail.objects.count() == 1


def test_at_delivery_a_letter_to_an_official_no_longer_in_the_territory_fails_with_the_reason(collective, mayor, salon):
    interpellation, _job = interpellation_create(
        collective=collective, template=LetterTemplateFactory(collective=collective), by=member_of(collective),
        officials=[mayor], delivery="email",
    )  # fmt: skip
    collective.territory.remove(salon)

    letters_render(letter_ids=list(interpellation.letters.values_list("pk", flat=True)))

    letter = interpellation.letters.get()
    assert letter.status == Letter.Status.FAILED
    assert letter.error == "Salon-de-Provence ne fait plus partie du territoire du collectif : courrier non envoyé."
    assert not OutboundEmail.objects.exists()


def test_a_letter_of_staff_beyond_the_territory_is_delivered(collective, aix_mayor):
    interpellation, _job = interpellation_create(
        collective=collective, template=LetterTemplateFactory(collective=collective),
        by=UserFactory(is_staff=True), officials=[aix_mayor], delivery="email",
    )  # fmt: skip

    letters_render(letter_ids=list(interpellation.letters.values_list("pk", flat=True)))

    assert interpellation.letters.get().channel == Letter.Channel.EMAIL


def test_a_reminder_over_the_limit_goes_on_paper(collective, mayor, salon, limit, django_capture_on_commit_callbacks):
    from django.utils import timezone

    limit.LETTERS_EMAILS_PER_OFFICIAL_PER_DAY = 1
    interpellation = InterpellationFactory(collective=collective, delivery="email", remind_after_days=7,
                                           max_reminders=1)  # fmt: skip
    old = LetterFactory(interpellation=interpellation, official=mayor, municipality=salon,
                        channel=Letter.Channel.EMAIL, days_ago=10)  # fmt: skip
    email_today = InterpellationFactory(collective=collective, delivery="email")
    LetterFactory(interpellation=email_today, official=mayor, municipality=salon, channel=Letter.Channel.EMAIL,
                  days_ago=0)  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        reminder = reminder_send(letter_id=old.pk, now=timezone.now())

    assert reminder.channel == Letter.Channel.PAPER
    assert reminder.email is None
    assert LetterReminder.objects.count() == 1
