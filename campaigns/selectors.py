"""Reads of the campaigns app that need care: visibility and the municipality timeline."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from campaigns.access import roles_of
from campaigns.models import Action, Campaign, Pledge
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
    events.sort(key=lambda event: (event["date"], event["kind"], event["object_id"]))
    return events
