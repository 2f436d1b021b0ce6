"""An interpellation's job on a real worker process, killed in the middle, then resumed as
beat does: no letter lost, none rendered again, each e-mail at the SMTP server once."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from email import message_from_bytes

import pytest
from django.db import transaction
from django.utils import timezone

from campaigns.letters.services.interpellations import interpellation_create, interpellations_resume_stalled
from campaigns.models import Letter
from tasks.jobs.models import Job
from tasks.outbox import services as outbox
from tasks.outbox.models import OutboundEmail
from tests.campaigns.factories import (
    CollectiveFactory,
    LetterTemplateFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
)
from tests.officials.factories import MunicipalityFactory
from tests.support.processes import wait_until

pytestmark = pytest.mark.worker
LETTERS = 12


@pytest.fixture
def interpellation_parts(transactional_db, settings):
    settings.LETTERS_CHUNK_SIZE = 2
    salon = MunicipalityFactory(insee_code="13103", name="Salon-de-Provence")
    collective = CollectiveFactory(slug="pays-salonais", name="Pays Salonais", territory=[salon])
    officials = [
        in_office(salon, "conseiller_municipal", last_name=f"ÉLU{n:02d}", email=f"elu{n}@salon.example").official
        for n in range(LETTERS)
    ]
    template = LetterTemplateFactory(
        collective=collective,
        subject="Le plan vélo à {{ municipality.name }}",
        body="Où en est le plan vélo ?\n\nNous serions heureux d'en parler avec vous.",
    )
    return {"collective": collective, "template": template, "officials": officials, "by": member_of(collective)}


def statuses() -> Counter:
    return Counter(Letter.objects.values_list("status", flat=True))


def test_a_worker_killed_in_the_middle_of_a_job_loses_no_letter_and_repeats_none(
    interpellation_parts, workers, smtp_server
):
    first = workers.start()
    with transaction.atomic():
        interpellation, job = interpellation_create(delivery="email", **interpellation_parts)

    wait_until(
        lambda: statuses()[Letter.Status.DRAFT] <= LETTERS - 2,
        "a first chunk rendered",
        every=0.02,
        logs=workers,
    )
    first.kill()  # SIGKILL between chunks, or in the middle of one
    done_before = dict(Letter.objects.exclude(status=Letter.Status.DRAFT).values_list("pk", "pdf"))
    assert 0 < len(done_before) < LETTERS, "the worker was killed after the whole job: nothing to resume"

    workers.start()
    # Beat, once the job has been silent long enough.
    later = timezone.now() + dt.timedelta(minutes=60)
    assert interpellations_resume_stalled(now=later) == [interpellation.pk]

    def all_sent():
        outbox.sweep()  # as beat does every minute: e-mails whose doorbell died with the worker
        return statuses() == {Letter.Status.SENT: LETTERS}

    wait_until(all_sent, lambda: f"every letter sent (now {dict(statuses())})", every=0.5, logs=workers)

    letters = list(Letter.objects.select_related("email"))
    # Letters rendered before the kill kept their PDF: not rendered a second time.
    assert {letter.pk: letter.pdf.name for letter in letters if letter.pk in done_before} == done_before
    assert len({letter.pdf.name for letter in letters}) == LETTERS
    # One e-mail per letter, each at the server once.
    assert OutboundEmail.objects.count() == LETTERS
    assert Counter(smtp_server.handler.accepted) == {letter.email.message_id: 1 for letter in letters}
    assert smtp_server.handler.duplicates() == {}
    message = message_from_bytes(smtp_server.handler.messages[letters[0].email.message_id])
    assert message.get_content_type() == "multipart/mixed"
    job.refresh_from_db()
    assert (job.status, job.result["letters"], job.result["failed"]) == (Job.Status.SUCCEEDED, LETTERS, 0)
