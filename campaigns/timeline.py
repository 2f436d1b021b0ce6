"""A municipality's timeline: what every concept did there, oldest first. It reads every
concept, so it sits on top of them."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.advocacy.selectors import actions_visible_to
from campaigns.collectives.access import roles_of
from campaigns.gatherings.selectors import events_visible_to
from campaigns.letters.models import Letter, LetterReminder
from campaigns.pledges.models import Pledge
from campaigns.reviews.selectors import assessments_visible_to
from core.text import of
from officials.models import Municipality

# What an entry is, as the API documents it: "event" is a gathering held in the municipality.
ENTRY_KINDS = ["pledge", "action", "event", "assessment", "letter", "reminder", "reply"]


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
    # A "courrier" action of a letter is the letter's entry below: one entry per letter.
    actions = (
        actions_visible_to(user).filter(municipality=municipality, letter__isnull=True).select_related("collective")
    )
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
    events_held = events_visible_to(user).filter(municipality=municipality).select_related("collective")
    for event in events_held:
        events.append(
            {
                "date": event.start_date,
                "kind": "event",
                "title": event.title,
                "summary": event.get_kind_display(),
                "collective": event.collective.slug,
                "object_id": event.pk,
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
    events += _letter_events(municipality=municipality, user=user)
    events.sort(key=lambda event: (event["date"], event["kind"], event["object_id"]))
    return events


def _letter_events(*, municipality: Municipality, user) -> list[dict]:
    """One entry per letter rendered (with its state, on the day it left, else the day it
    was rendered), its reply, and each of its reminders. Only their collective's members
    (and staff) see them."""
    letters = (
        Letter.objects.filter(municipality=municipality)
        .exclude(status=Letter.Status.DRAFT)
        .exclude(rendered_at=None, sent_at=None)
        .select_related("official", "interpellation__collective")
        .prefetch_related(Prefetch("reminders", LetterReminder.objects.exclude(status=Letter.Status.DRAFT)))
    )
    if not (user.is_authenticated and user.is_staff):
        letters = letters.filter(interpellation__collective_id__in=list(roles_of(user)))
    events = []
    for letter in letters:
        collective = letter.interpellation.collective.slug
        events.append(
            {
                "date": timezone.localdate(letter.sent_at or letter.rendered_at),
                "kind": "letter",
                "title": _("Courrier à %(name)s : %(subject)s") % {"name": letter.official, "subject": letter.subject}
                if letter.subject
                else _("Courrier à %(name)s") % {"name": letter.official},
                "summary": f"{letter.get_status_display()} — {letter.get_channel_display()}",
                "collective": collective,
                "object_id": letter.pk,
            }
        )
        for reminder in letter.reminders.all():
            events.append(
                {
                    "date": timezone.localdate(reminder.sent_at or reminder.created_at),
                    "kind": "reminder",
                    "title": _("Relance n°%(number)s à %(name)s")
                    % {"number": reminder.number, "name": letter.official},
                    "summary": f"{reminder.get_status_display()} — {reminder.get_channel_display()}",
                    "collective": collective,
                    "object_id": reminder.pk,
                }
            )
        if letter.reply_date:
            events.append(
                {
                    "date": letter.reply_date,
                    "kind": "reply",
                    "title": _("Réponse %(of_official)s") % {"of_official": of(letter.official)},
                    "summary": letter.reply_summary[:200],
                    "collective": collective,
                    "object_id": letter.pk,
                }
            )
    return events


class MunicipalityTimelineView(APIView):
    """Everything that happened in a municipality, oldest first."""

    @extend_schema(
        responses=inline_serializer(
            "TimelineEvent",
            {
                "date": serializers.DateField(label="Date"),
                "kind": serializers.ChoiceField(
                    label="Type d'événement",
                    choices=ENTRY_KINDS,
                    help_text="pledge : pacte signé ; action ; event : rencontre tenue dans la commune ; "
                    "assessment : évaluation ; letter : courrier ; reminder : relance ; reply : réponse",
                ),
                "title": serializers.CharField(label="Titre"),
                "summary": serializers.CharField(label="Résumé"),
                "collective": serializers.CharField(label="Collectif", allow_null=True),
                "object_id": serializers.IntegerField(label="Identifiant de l'objet"),
            },
            many=True,
        )
    )
    def get(self, request, insee_code: str):
        municipality = get_object_or_404(Municipality, insee_code=insee_code)
        return Response(municipality_timeline(municipality=municipality, user=request.user))
