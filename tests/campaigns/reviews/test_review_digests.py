"""Review digests: a few days before a cycle closes, each collective gets one e-mail with
its pledged measures still "non évaluée" — never twice for the same reminder."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Assessment, AssessmentStatus, Membership, ReviewCycle
from campaigns.reviews.digests import reminder_number, review_digests_send
from campaigns.reviews.services import cycle_create
from tasks.outbox.models import OutboundEmail
from tasks.workers import digests
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import (
    CollectiveFactory,
    MeasureFactory,
    MembershipFactory,
    PactFactory,
    PledgedMeasureFactory,
    PledgeFactory,
)
from tests.officials.factories import MunicipalityFactory, OfficialFactory

pytestmark = pytest.mark.django_db
CLOSES_ON = dt.date(2026, 12, 18)


@pytest.fixture(autouse=True)
def thresholds(settings):
    settings.REVIEW_DIGEST_DAYS_BEFORE = [7, 2]


@pytest.mark.parametrize(
    ("days_left", "number"),
    [(30, None), (8, None), (7, 1), (5, 1), (3, 1), (2, 2), (1, 2), (0, 2), (-1, None)],
)
def test_the_reminder_due_depends_on_the_days_left(days_left, number):
    cycle = ReviewCycle(closes_on=CLOSES_ON)

    assert reminder_number(cycle, CLOSES_ON - dt.timedelta(days=days_left)) == number


def test_thresholds_are_numbered_from_the_earliest_whatever_their_order(settings):
    settings.REVIEW_DIGEST_DAYS_BEFORE = [1, 10, 4]
    cycle = ReviewCycle(closes_on=CLOSES_ON)

    assert [reminder_number(cycle, CLOSES_ON - dt.timedelta(days=days)) for days in (10, 4, 1)] == [1, 2, 3]


@pytest.fixture
def world():
    """Salon (3 measures, one done) followed by the Pays salonais; Aix (all done) by the Pays d'Aix."""
    pact = PactFactory(name="Pacte pour la Transition 2026")
    measures = [
        MeasureFactory(pact=pact, code=f"{n:02d}", title=title, position=n)
        for n, title in enumerate(["Cantines bio et locales", "Plan vélo", "Rénovation des écoles"], start=1)
    ]
    salon = MunicipalityFactory(insee_code="13103", name="Salon-de-Provence")
    aix = MunicipalityFactory(insee_code="13001", name="Aix-en-Provence")
    salonais = CollectiveFactory(name="Pays salonais", slug="pays-salonais", contact_email="", territory=[salon])
    coordinator = MembershipFactory(
        collective=salonais, role=Membership.Role.COORDINATOR, user=UserFactory(email="coordination@salon.example")
    )
    MembershipFactory(collective=salonais, role=Membership.Role.MEMBER, user=UserFactory(email="membre@salon.example"))
    aixois = CollectiveFactory(name="Pays d'Aix", slug="pays-aixois", contact_email="aix@collectif.example")
    aixois.territory.add(aix)
    for municipality, collective in ((salon, salonais), (aix, aixois)):
        pledge = PledgeFactory(pact=pact, municipality=municipality, collective=collective)
        for measure in measures:
            PledgedMeasureFactory(pledge=pledge, measure=measure)
    cycle = cycle_create(pact=pact, name="Bilan de mi-mandat 2026", opens_on=dt.date(2026, 9, 1), closes_on=CLOSES_ON)
    Assessment.objects.filter(cycle=cycle, pledged_measure__pledge__municipality=aix).update(status="done")
    in_salon = Assessment.objects.filter(cycle=cycle, pledged_measure__pledge__municipality=salon)
    in_salon.filter(pledged_measure__measure=measures[1]).update(status=AssessmentStatus.IN_PROGRESS)
    return {"cycle": cycle, "salonais": salonais, "aixois": aixois, "coordinator": coordinator, "salon": salon}


def digest_emails():
    return list(OutboundEmail.objects.order_by("pk"))


def test_a_collective_gets_the_measures_of_its_territory_still_unassessed(world):
    assert review_digests_send(today=CLOSES_ON - dt.timedelta(days=5)) == 1

    (email,) = digest_emails()
    assert email.to == ["coordination@salon.example"]
    assert email.subject == "Bilan de mi-mandat 2026 : 2 mesures restent à évaluer"
    assert email.idempotency_key == f"review-digest:{world['cycle'].pk}:{world['salonais'].pk}:1"
    assert email.cause == world["cycle"]
    assert "Salon-de-Provence :" in email.body_text
    assert "01 Cantines bio et locales" in email.body_text
    assert "03 Rénovation des écoles" in email.body_text
    assert "Plan vélo" not in email.body_text  # assessed
    assert "Aix" not in email.body_text
    assert "18 décembre 2026" in email.body_text


def test_running_twice_queues_nothing_more(world):
    today = CLOSES_ON - dt.timedelta(days=5)

    assert review_digests_send(today=today) == 1
    assert review_digests_send(today=today) == 0
    assert review_digests_send(today=today + dt.timedelta(days=1)) == 0  # same window

    assert len(digest_emails()) == 1


def test_the_next_window_sends_the_second_reminder(world):
    review_digests_send(today=CLOSES_ON - dt.timedelta(days=6))

    assert review_digests_send(today=CLOSES_ON - dt.timedelta(days=1)) == 1

    assert [email.idempotency_key.rsplit(":", 1)[-1] for email in digest_emails()] == ["1", "2"]


def test_nothing_is_sent_outside_the_windows_or_for_a_closed_cycle(world):
    assert review_digests_send(today=CLOSES_ON - dt.timedelta(days=8)) == 0
    assert review_digests_send(today=CLOSES_ON + dt.timedelta(days=1)) == 0

    ReviewCycle.objects.filter(pk=world["cycle"].pk).update(status=ReviewCycle.Status.CLOSED)
    assert review_digests_send(today=CLOSES_ON - dt.timedelta(days=1)) == 0
    assert digest_emails() == []


def test_the_contact_address_and_every_coordinator_receive_it_once(world):
    salonais = world["salonais"]
    salonais.contact_email = "contact@salon.example"
    salonais.save()
    MembershipFactory(
        collective=salonais, role=Membership.Role.COORDINATOR, user=UserFactory(email="contact@salon.example")
    )

    review_digests_send(today=CLOSES_ON - dt.timedelta(days=5))

    assert digest_emails()[0].to == ["contact@salon.example", "coordination@salon.example"]


def test_a_collective_without_address_is_skipped(world):
    world["coordinator"].user.email = ""
    world["coordinator"].user.save()

    assert review_digests_send(today=CLOSES_ON - dt.timedelta(days=5)) == 0


def test_one_unassessed_measure_is_said_in_the_singular(world):
    Assessment.objects.filter(
        cycle=world["cycle"], pledged_measure__measure__code="01", pledged_measure__pledge__municipality=world["salon"]
    ).update(status="done")

    review_digests_send(today=CLOSES_ON - dt.timedelta(days=5))

    assert digest_emails()[0].subject == "Bilan de mi-mandat 2026 : 1 mesure reste à évaluer"


def test_the_daily_beat_task_uses_today(world):
    today = timezone.localdate()
    ReviewCycle.objects.filter(pk=world["cycle"].pk).update(
        opens_on=today - dt.timedelta(days=30), closes_on=today + dt.timedelta(days=3)
    )

    assert digests.review_digests.delay().get() == 1


def test_a_refused_address_is_left_out_and_the_others_still_get_the_digest(world):
    # A coordinator who is also an official flagged do-not-e-mail, with the same address.
    MembershipFactory(
        collective=world["salonais"], role=Membership.Role.COORDINATOR, user=UserFactory(email="maire@salon.example")
    )
    OfficialFactory(email="Maire@Salon.example", do_not_email=True)

    assert review_digests_send(today=CLOSES_ON - dt.timedelta(days=5)) == 1

    assert digest_emails()[0].to == ["coordination@salon.example"]


def test_a_collective_whose_only_address_is_refused_does_not_stop_the_others(world):
    Assessment.objects.filter(cycle=world["cycle"], pledged_measure__pledge__municipality_id="13001").update(
        status=AssessmentStatus.NOT_ASSESSED
    )
    OfficialFactory(email="aix@collectif.example", do_not_email=True)

    assert review_digests_send(today=CLOSES_ON - dt.timedelta(days=5)) == 1

    assert [email.to for email in digest_emails()] == [["coordination@salon.example"]]
