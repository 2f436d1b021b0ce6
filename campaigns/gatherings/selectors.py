"""Who reads which gathering, and the reads that aggregate: the feedback's figures, the
proposal grid, the participants' counts.

Public events, and what is linked to them, are for everyone; members-only events, private
resources and the shared experience without a public event are for the network's members
(anyone in a collective) and staff."""

from __future__ import annotations

from django.db.models import Avg, Count, Prefetch, Q, QuerySet, prefetch_related_objects

from campaigns.collectives.access import is_staff, roles_of
from campaigns.gatherings.models import (
    ActionIdea,
    Event,
    EventResource,
    FeedbackSurvey,
    FeedbackWord,
    Lesson,
    ParticipantCount,
    Proposal,
)

TOP_WORDS = 10


def in_network(user) -> bool:
    """Staff, or a member of any collective: who reads members-only gatherings."""
    return is_staff(user) or bool(roles_of(user))


def events_visible_to(user) -> QuerySet[Event]:
    events = Event.objects.all()
    return events if in_network(user) else events.filter(is_public=True)


def linked_initiatives() -> Prefetch:
    """The validated initiatives (those on the public map) linked to each event, as
    ``event.map_initiatives``. The map sits above the gatherings and declares the relation:
    its model is reached through it, not imported."""
    initiative = Event._meta.get_field("initiatives").related_model
    validated = initiative.objects.filter(status=initiative.Status.VALIDATED).only("id", "name", "kind")
    return Prefetch("initiatives", queryset=validated.order_by("name", "pk"), to_attr="map_initiatives")


def event_initiatives(event: Event) -> list:
    """``event.map_initiatives``, read when it was not prefetched (a row just written)."""
    if not hasattr(event, "map_initiatives"):
        prefetch_related_objects([event], linked_initiatives())
    return event.map_initiatives


def public_events() -> QuerySet[Event]:
    """What the calendar feed shows, whoever subscribes."""
    return Event.objects.filter(is_public=True)


def _linked_visible(queryset: QuerySet, user) -> QuerySet:
    return queryset if in_network(user) else queryset.filter(event__is_public=True)


def lessons_visible_to(user) -> QuerySet[Lesson]:
    return _linked_visible(Lesson.objects.all(), user)


def proposals_visible_to(user) -> QuerySet[Proposal]:
    return _linked_visible(Proposal.objects.all(), user)


def action_ideas_visible_to(user) -> QuerySet[ActionIdea]:
    return _linked_visible(ActionIdea.objects.all(), user)


def resources_visible_to(user, *, event: Event) -> QuerySet[EventResource]:
    resources = event.resources.all()
    return resources if in_network(user) else resources.filter(is_public=True)


def feedback_summary(*, survey: FeedbackSurvey) -> dict:
    """The survey's figures: how many answered, the share who recommend (in percent, None
    before any answer), the average score and the words most used."""
    figures = survey.answers.aggregate(
        answers=Count("id"),
        recommending=Count("id", filter=Q(score__gte=survey.recommend_from)),
        average=Avg("score"),
    )
    answers = figures["answers"]
    words = (
        FeedbackWord.objects.filter(answer__survey=survey)
        .values("word")
        .annotate(count=Count("id"))
        .order_by("-count", "word")[:TOP_WORDS]
    )
    return {
        "question": survey.question,
        "scale_max": survey.scale_max,
        "recommend_from": survey.recommend_from,
        "closes_on": survey.closes_on,
        "links": survey.links.count(),
        "answers": answers,
        "recommend_share": round(100 * figures["recommending"] / answers, 1) if answers else None,
        "average_score": round(figures["average"], 2) if answers else None,
        "words": list(words),
    }


def proposal_grid(*, proposals: QuerySet[Proposal]) -> list[dict]:
    """The "we could / they could / we need" grid: one row per question (in the order they
    came), each with its three columns."""
    rows: dict[str, dict] = {}
    for proposal in proposals.order_by("id"):
        row = rows.setdefault(
            proposal.question, {"question": proposal.question, **{kind: [] for kind in Proposal.Kind.values}}
        )
        row[proposal.kind].append(proposal)
    return list(rows.values())


def participant_rows(*, events: QuerySet[Event]) -> QuerySet[ParticipantCount]:
    """The participants' counts of ``events``, by event and category."""
    return (
        ParticipantCount.objects.filter(event__in=events)
        .select_related("event__municipality")
        .order_by("event__start_date", "event_id", "position", "id")
    )
