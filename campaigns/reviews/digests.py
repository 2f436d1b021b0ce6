"""Reminder digests of a review cycle: a few days before it closes, each collective gets
one e-mail listing its pledged measures still "non évaluée" — never twice for the same
(cycle, collective, reminder)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import ngettext

from campaigns.collectives.access import collective_recipients
from campaigns.collectives.models import Collective
from campaigns.reviews.models import Assessment, AssessmentStatus, ReviewCycle
from tasks.outbox.services import RecipientRefused, email_queue, email_queued

logger = logging.getLogger(__name__)


def reminder_number(cycle: ReviewCycle, today: dt.date) -> int | None:
    """Which reminder is due today (1 for the earliest threshold), or None.

    With thresholds 7 and 2 days, a cycle closing in 5 days is in reminder 1's window and
    one closing in 1 day in reminder 2's: a digest sent late is still sent once per window.
    """
    days_left = (cycle.closes_on - today).days
    if days_left < 0:
        return None
    thresholds = sorted(settings.REVIEW_DIGEST_DAYS_BEFORE, reverse=True)
    due = [number for number, days in enumerate(thresholds, start=1) if days_left <= days]
    return due[-1] if due else None


def review_digests_send(*, today: dt.date | None = None) -> int:
    """Queue the digests due today; returns how many were queued (existing ones don't count)."""
    today = today or timezone.localdate()
    queued = 0
    for cycle in ReviewCycle.objects.filter(status=ReviewCycle.Status.OPEN):
        number = reminder_number(cycle, today)
        if number is None:
            continue
        pending = (
            Assessment.objects.filter(cycle=cycle, status=AssessmentStatus.NOT_ASSESSED)
            .select_related("pledged_measure__pledge__municipality", "pledged_measure__measure")
            .order_by("pledged_measure__pledge__municipality__name", "pledged_measure__measure__position")
        )
        by_municipality = defaultdict(list)
        for assessment in pending:
            by_municipality[assessment.pledged_measure.pledge.municipality_id].append(assessment)
        if not by_municipality:
            continue
        collectives = Collective.objects.filter(territory__in=list(by_municipality)).distinct()
        for collective in collectives:
            territory = set(collective.territory.values_list("pk", flat=True))
            measures = [a for insee, rows in by_municipality.items() if insee in territory for a in rows]
            recipients = collective_recipients(collective, purpose="Review digest")
            if not measures or not recipients:
                continue
            key = f"review-digest:{cycle.pk}:{collective.pk}:{number}"
            if email_queued(key):
                continue
            context = {
                "cycle": cycle,
                "collective": collective,
                "measures": measures,
                "days_left": (cycle.closes_on - today).days,
                "site_url": settings.SITE_URL,
            }
            try:
                with transaction.atomic():
                    email_queue(
                        to=recipients,
                        subject=ngettext(
                            "%(cycle)s : %(count)s mesure reste à évaluer",
                            "%(cycle)s : %(count)s mesures restent à évaluer",
                            len(measures),
                        )
                        % {"cycle": cycle.name, "count": len(measures)},
                        body_text=render_to_string("campaigns/email/review_digest.txt", context),
                        idempotency_key=key,
                        cause=cycle,
                    )
            except RecipientRefused as exc:
                # Refused since the check (a flag set meanwhile): this digest waits, the others go.
                logger.warning("Review digest of %s not queued: %s", collective.slug, exc)
                continue
            queued += 1
    return queued
