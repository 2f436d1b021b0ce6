"""Who reads which review cycle and which assessment: one visibility rule."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from campaigns.collectives.access import roles_of, territory_ids
from campaigns.collectives.models import Collective
from campaigns.reviews.models import Assessment, AssessmentStatus, ReviewCycle


def cycles_visible_to(user) -> QuerySet[ReviewCycle]:
    """Published cycles for everyone; work in progress for members and staff."""
    if user.is_authenticated and (user.is_staff or roles_of(user)):
        return ReviewCycle.objects.all()
    return ReviewCycle.objects.filter(is_published=True)


def assessments_visible_in(*, territory) -> QuerySet[Assessment]:
    """The one rule of who reads which assessment: published cycles for everyone, and the
    work in progress of ``territory`` (INSEE codes, or a query of them) for those who follow it."""
    return Assessment.objects.filter(
        Q(cycle__is_published=True) | Q(pledged_measure__pledge__municipality__in=territory)
    )


def assessments_visible_to_collective(*, collective_id: int) -> QuerySet[Assessment]:
    """What a collective may read, with no user at hand (letters rendered by a worker)."""
    territory = Collective.territory.through.objects.filter(collective_id=collective_id).values("municipality_id")
    return assessments_visible_in(territory=territory)


def assessments_visible_to(user) -> QuerySet[Assessment]:
    """Assessments of published cycles; members also see their collectives' territory's work in progress."""
    if user.is_authenticated and user.is_staff:
        return Assessment.objects.all()
    return assessments_visible_in(territory=list(territory_ids(user)))


def cycle_municipalities(*, cycle: ReviewCycle, user) -> QuerySet:
    """The municipalities of a cycle whose grid ``user`` may fill in (staff: all), each with
    its number of assessments and of those assessed: {insee, name, total, assessed}."""
    assessments = Assessment.objects.filter(cycle=cycle)
    if not (user.is_authenticated and user.is_staff):
        assessments = assessments.filter(pledged_measure__pledge__municipality__in=list(territory_ids(user)))
    return (
        assessments.values(
            insee=F("pledged_measure__pledge__municipality_id"),
            name=F("pledged_measure__pledge__municipality__name"),
        )
        .annotate(total=Count("pk"), assessed=Count("pk", filter=~Q(status=AssessmentStatus.NOT_ASSESSED)))
        .order_by("name", "insee")
    )
