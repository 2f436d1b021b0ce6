"""Reads of the campaigns app that need care: visibility and the municipality timeline."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.access import roles_of, territory_ids
from campaigns.models import Action, Assessment, Campaign, Collective, Letter, Pledge, ReviewCycle
from officials.models import Municipality


def _visible(queryset: QuerySet, user) -> QuerySet:
    """Public rows for everyone; private ones for the collective's members and staff."""
    if user.is_authenticated and user.is_staff:
        return queryset
    return queryset.filter(Q(is_public=True) | Q(collective_id__in=list(roles_of(user))))


def actions_visible_to(user) -> QuerySet[Action]:
    return _visible(Action.objects.all(), user)


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    return _visible(Campaign.objects.all(), user)


def municipality_timeline(*, municipality: Municipality, user) -> list[dict]:
    """Everything that happened in a municipality, oldest first: one query per kind of event."""
    events = []
    pledges = Pledge.objects.filter(municipality=municipality).select_related("pact", "collective")
    for pledge in pledges:
        events.append(
            {
                "date": pledge.signed_on or pledge.created_at.date(),
                "kind": "pledge",
                "title": _("La liste « %(list)s » signe le %(pact)s")
                % {"list": pledge.list_name, "pact": pledge.pact.name},
                "summary": pledge.get_election_outcome_display(),
                "collective": pledge.collective.slug if pledge.collective else None,
                "object_id": pledge.pk,
            }
        )
    actions = actions_visible_to(user).filter(municipality=municipality).select_related("collective")
    for action in actions:
        events.append(
            {
                "date": action.date,
                "kind": "action",
                "title": action.title,
                "summary": f"{action.get_kind_display()} — {action.get_outcome_display()}",
                "collective": action.collective.slug,
                "object_id": action.pk,
            }
        )
    assessed = (
        assessments_visible_to(user)
        .filter(pledged_measure__pledge__municipality=municipality, assessed_at__isnull=False)
        .select_related("cycle", "pledged_measure__measure")
    )
    for assessment in assessed:
        events.append(
            {
                "date": timezone.localdate(assessment.assessed_at),
                "kind": "assessment",
                "title": _("%(cycle)s : mesure %(code)s %(status)s")
                % {
                    "cycle": assessment.cycle.name,
                    "code": assessment.pledged_measure.measure.code,
                    "status": assessment.get_status_display(),
                },
                "summary": assessment.evidence[:200],
                "collective": None,
                "object_id": assessment.pk,
            }
        )
    # Letters and replies: only their collective's members (and staff) see them.
    letters = Letter.objects.filter(municipality=municipality, sent_at__isnull=False).select_related(
        "official", "interpellation__collective"
    )
    if not (user.is_authenticated and user.is_staff):
        letters = letters.filter(interpellation__collective_id__in=list(roles_of(user)))
    for letter in letters:
        collective = letter.interpellation.collective.slug
        events.append(
            {
                "date": timezone.localdate(letter.sent_at),
                "kind": "letter",
                "title": _("Courrier à %(name)s") % {"name": letter.official},
                "summary": letter.get_channel_display(),
                "collective": collective,
                "object_id": letter.pk,
            }
        )
        if letter.reply_date:
            events.append(
                {
                    "date": letter.reply_date,
                    "kind": "reply",
                    "title": _("Réponse de %(name)s") % {"name": letter.official},
                    "summary": letter.reply_summary[:200],
                    "collective": collective,
                    "object_id": letter.pk,
                }
            )
    events.sort(key=lambda event: (event["date"], event["kind"], event["object_id"]))
    return events


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
