"""Starting an interpellation: its parts checked, one draft letter per recipient, a job, and
the rendering enqueued in chunks."""

from __future__ import annotations

import datetime as dt
import logging
from html import unescape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.advocacy.models import Campaign
from campaigns.advocacy.services import campaign_of_collective_check
from campaigns.collectives.access import collective_scope, content_check
from campaigns.collectives.models import Collective
from campaigns.letters import lettering
from campaigns.letters.models import Interpellation, Letter, LetterTemplate, rendered_subject
from campaigns.letters.services.delivery import emails_per_official_per_day, emails_today
from campaigns.letters.services.merge_fields import batch_of, letter_context
from campaigns.letters.services.readiness import (
    InterpellationNotReady,
    ReadinessItem,
    interpellation_readiness,
    is_ready,
)
from campaigns.letters.services.recipients import recipients_of
from campaigns.letters.services.templates import template_check
from officials.models import Mandate, Official
from tasks.jobs import services as jobs
from tasks.jobs.models import Job

logger = logging.getLogger(__name__)
RENDER_TASK = "tasks.letters.render_letters"
JOB_KIND = "interpellation"


# Default number of letters per rendering task (settings.LETTERS_CHUNK_SIZE overrides it).
CHUNK_SIZE = 25


def _email_limit_problems(*, collective: Collective, mandates: list[Mandate]) -> list[str]:
    limit = emails_per_official_per_day()
    counts = emails_today(collective_id=collective.pk, official_ids=[m.official_id for m in mandates])
    return [
        _(
            "%(name)s a déjà reçu %(count)s courriels du collectif aujourd'hui (au plus %(limit)s par jour) : "
            "choisissez l'envoi papier ou réessayez demain."
        )
        % {"name": mandate.official, "count": counts[mandate.official_id], "limit": limit}
        for mandate in mandates
        if mandate.official.email and counts[mandate.official_id] >= limit
    ]


def interpellation_parts_check(
    *,
    collective: Collective,
    template: LetterTemplate | None = None,
    campaign: Campaign | None = None,
    reminder_template: LetterTemplate | None = None,
) -> None:
    """Refuse templates and a campaign of another collective (shared templates belong to all):
    an interpellation, and its preview, speak for one collective only."""
    for field, chosen in (("template", template), ("reminder_template", reminder_template)):
        if chosen is not None and chosen.collective_id not in (None, collective.pk):
            raise ValidationError({field: [_("Ce modèle appartient à un autre collectif.")]})
    campaign_of_collective_check(campaign=campaign, collective=collective)


def interpellation_create(
    *,
    collective: Collective,
    template: LetterTemplate,
    by,
    campaign: Campaign | None = None,
    subject: str = "",
    officials: list[Official] = (),
    recipient_rule: str = "",
    delivery: str = Interpellation.Delivery.PDF,
    town_hall_email: bool | None = None,
    remind_after_days: int | None = None,
    max_reminders: int = 0,
    reminder_template: LetterTemplate | None = None,
    confirmed: bool = False,
):
    """Write the interpellation and one draft letter per official, create its job and
    enqueue the rendering after commit. Returns (interpellation, job).

    Unless ``confirmed``, the readiness check runs first (outside the transaction: it
    renders a letter) and InterpellationNotReady lists the blocking items."""
    content_check(by=by, collective=collective)
    if town_hall_email is None:
        town_hall_email = settings.LETTERS_TOWN_HALL_EMAIL
    fields = {
        "collective": collective,
        "template": template,
        "by": by,
        "campaign": campaign,
        "subject": subject,
        "officials": list(officials),
        "recipient_rule": recipient_rule,
        "delivery": delivery,
        "town_hall_email": town_hall_email,
    }
    if not confirmed:
        items = interpellation_readiness_check(**fields)
        if not is_ready(items):
            raise InterpellationNotReady(items)
    return _interpellation_write(
        **fields, remind_after_days=remind_after_days, max_reminders=max_reminders, reminder_template=reminder_template
    )


def interpellation_readiness_check(**fields) -> list[ReadinessItem]:
    """The readiness check of a would-be interpellation (the keyword arguments of
    ``interpellation_readiness``), its parts checked as at creation."""
    content_check(by=fields["by"], collective=fields["collective"])
    interpellation_parts_check(
        collective=fields["collective"], template=fields["template"], campaign=fields.get("campaign")
    )
    if fields.get("subject"):
        template_check({"subject": fields["subject"]})
    return interpellation_readiness(**fields)


@transaction.atomic
def _interpellation_write(
    *,
    collective: Collective,
    template: LetterTemplate,
    by,
    campaign: Campaign | None,
    subject: str,
    officials: list[Official],
    recipient_rule: str,
    delivery: str,
    town_hall_email: bool,
    remind_after_days: int | None,
    max_reminders: int,
    reminder_template: LetterTemplate | None,
):
    interpellation_parts_check(
        collective=collective, template=template, campaign=campaign, reminder_template=reminder_template
    )
    if remind_after_days and not max_reminders:
        max_reminders = 1
    if max_reminders and not remind_after_days:
        raise ValidationError({"remind_after_days": [_("Indiquez après combien de jours relancer.")]})
    if subject:
        template_check({"subject": subject})
    mandates = recipients_of(collective=collective, campaign=campaign, rule=recipient_rule, officials=officials, by=by)
    if delivery == Interpellation.Delivery.EMAIL:
        problems = _email_limit_problems(collective=collective, mandates=mandates)
        if problems:
            raise ValidationError({"officials": problems})
    interpellation = Interpellation.objects.create(
        collective=collective,
        campaign=campaign,
        template=template,
        subject=subject,
        recipient_rule=recipient_rule,
        delivery=delivery,
        town_hall_email=town_hall_email,
        remind_after_days=remind_after_days,
        max_reminders=max_reminders,
        reminder_template=reminder_template,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    letters = Letter.objects.bulk_create(
        Letter(
            interpellation=interpellation,
            official_id=mandate.official_id,
            municipality_id=mandate.municipality_id,
            role=mandate.role,
        )
        for mandate in mandates
    )
    interpellation.title = first_subject(interpellation, letters[0])
    interpellation.save(update_fields=["title"])
    job = jobs.job_create(
        kind=JOB_KIND,
        by=by,
        total=len(mandates),
        params={"interpellation": interpellation.pk},
        scope=collective_scope(collective.pk),
    )
    interpellation.job = job
    interpellation.save(update_fields=["job"])
    interpellation_enqueue(interpellation)
    return interpellation, job


def first_subject(interpellation: Interpellation, letter: Letter) -> str:
    """The subject as ``letter`` reads it: what people call the interpellation."""
    letter.interpellation = interpellation
    context = letter_context(letter, batch_of([letter]))
    try:
        subject = lettering.render("subject", interpellation.subject or interpellation.template.subject, context)
    except lettering.TemplateInvalid:
        return ""
    return rendered_subject(unescape(subject))


def interpellation_enqueue(interpellation: Interpellation) -> int:
    """Enqueue the rendering of the letters still to render, in chunks that workers share;
    with none left, one empty chunk finishes the job. Returns the number of letters."""
    ids = list(interpellation.letters.filter(status=Letter.Status.DRAFT).order_by("pk").values_list("pk", flat=True))
    size = chunk_size()
    for start in range(0, len(ids), size):
        jobs.job_enqueue(interpellation.job, RENDER_TASK, ids[start : start + size])
    if not ids:
        jobs.job_enqueue(interpellation.job, RENDER_TASK, [])
    return len(ids)


@transaction.atomic
def interpellation_resume(*, interpellation: Interpellation) -> int:
    """Take up an interpellation whose job was left unfinished (broker down at enqueue, a
    chunk that raised, a worker killed): its draft letters are enqueued again. Chunks skip
    letters rendered meanwhile, so nothing is rendered or e-mailed twice. Returns the
    number of letters enqueued."""
    if interpellation.job_id is None:
        raise ValidationError({"job": [_("Cette interpellation n'a pas de tâche à reprendre.")]})
    job = Job.objects.select_for_update().get(pk=interpellation.job_id)
    if job.status == Job.Status.SUCCEEDED:
        raise ValidationError({"job": [_("La préparation de ces courriers est terminée : rien à reprendre.")]})
    jobs.job_resume(job.pk)
    return interpellation_enqueue(interpellation)


def interpellations_resume_stalled(*, now: dt.datetime | None = None) -> list[int]:
    """Resume the interpellations whose job has not progressed for
    LETTERS_JOB_STALE_MINUTES (beat runs it). Returns their ids."""
    now = now or timezone.now()
    stale = now - dt.timedelta(minutes=settings.LETTERS_JOB_STALE_MINUTES)
    unfinished = Q(status__in=[Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.FAILED], kind=JOB_KIND)
    silent = Q(progressed_at__lt=stale) | Q(progressed_at__isnull=True, created_at__lt=stale)
    resumed = []
    for job in Job.objects.filter(unfinished & silent).order_by("pk"):
        interpellation = Interpellation.objects.filter(job=job).first()
        if interpellation is None:
            continue
        # Claimed by its silence: two beat processes at once resume it once.
        if not Job.objects.filter(unfinished & silent, pk=job.pk).update(progressed_at=now):
            continue
        logger.warning("Interpellation %s: job %s silent since %s, resumed", interpellation.pk, job.pk, stale)
        interpellation_resume(interpellation=interpellation)
        resumed.append(interpellation.pk)
    return resumed


def chunk_size() -> int:
    """Letters per rendering task. A chunk is one WeasyPrint document held in memory, so
    a worker's memory follows the chunk, never the batch; chunks also spread a batch over
    the workers. Read at each enqueue, so that a setting override applies."""
    return max(1, int(getattr(settings, "LETTERS_CHUNK_SIZE", CHUNK_SIZE)))
