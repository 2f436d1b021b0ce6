"""Who reads which campaign and action: public ones for everyone, private ones for the
collective's members and staff."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from campaigns.advocacy.models import Action, Campaign
from campaigns.collectives.access import roles_of


def _visible(queryset: QuerySet, user) -> QuerySet:
    """Public rows for everyone; private ones for the collective's members and staff."""
    if user.is_authenticated and user.is_staff:
        return queryset
    return queryset.filter(Q(is_public=True) | Q(collective_id__in=list(roles_of(user))))


def actions_visible_to(user) -> QuerySet[Action]:
    return _visible(Action.objects.all(), user)


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    return _visible(Campaign.objects.all(), user)
