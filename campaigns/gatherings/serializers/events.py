"""Events and their parts as the API reads and writes them; writes go to the services."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.collectives.models import Collective
from campaigns.collectives.serializers import CollectiveContentSerializer
from campaigns.gatherings.models import Event, EventResource, ParticipantCount, ProgrammeItem, Speaker
from campaigns.gatherings.models.events import LIST_ITEM_MAX_LENGTH, PARTNERS_MAX_COUNT, REQUESTS_MAX_COUNT
from campaigns.gatherings.selectors import event_initiatives, events_visible_to
from campaigns.gatherings.services.events import (
    ParticipantInput,
    SpeakerInput,
    event_create,
    event_update,
    programme_item_create,
    programme_item_update,
    resource_create,
    resource_update,
)
from core.serializers import ModelConstraintsMixin
from officials.models import Municipality, Official

PARTICIPANT_CATEGORIES_MAX = 30
SPEAKERS_MAX = 30


def by_of(serializer) -> object:
    """Who writes an event's part: its services check they organise the event."""
    return serializer.context["request"].user


class VisibleEventField(serializers.PrimaryKeyRelatedField):
    """An event the caller may read (another one is "not found", as in its URL)."""

    def get_queryset(self):
        return events_visible_to(self.context["request"].user)


def collectives_field(**kwargs):
    return serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Collective.objects.all(), required=False, **kwargs
    )


def text_list(max_count: int, **kwargs):
    return serializers.ListField(
        child=serializers.CharField(max_length=LIST_ITEM_MAX_LENGTH), max_length=max_count, required=False, **kwargs
    )


class ParticipantCountSerializer(serializers.ModelSerializer):
    class Meta:
        model = ParticipantCount
        fields = ["category", "count"]


class LinkedInitiativeSerializer(serializers.Serializer):
    id = serializers.IntegerField(label="Identifiant")
    name = serializers.CharField(label="Nom")
    kind = serializers.CharField(label="Type")


class EventSerializer(CollectiveContentSerializer):
    co_organisers = collectives_field()
    attending_collectives = collectives_field()
    partners = text_list(PARTNERS_MAX_COUNT)
    requests = text_list(REQUESTS_MAX_COUNT, help_text=_("demandes exprimées (par exemple une carte des initiatives)"))
    municipality = serializers.SlugRelatedField(
        slug_field="insee_code", queryset=Municipality.objects.all(), required=False, allow_null=True
    )
    municipality_name = serializers.CharField(
        label="Nom de la commune", source="municipality.name", read_only=True, allow_null=True
    )
    kind_display = serializers.CharField(label="Type (en toutes lettres)", source="get_kind_display", read_only=True)
    follows = VisibleEventField(required=False, allow_null=True)
    participants = ParticipantCountSerializer(
        label="Participants par catégorie",
        source="participant_counts",
        many=True,
        required=False,
        max_length=PARTICIPANT_CATEGORIES_MAX,
    )
    participants_total = serializers.SerializerMethodField(label="Nombre total de participants")
    initiatives = serializers.SerializerMethodField(
        label="Initiatives liées",
        help_text=_("les initiatives de la carte liées à la rencontre (liées depuis l'initiative)"),
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "collective",
            "co_organisers",
            "partners",
            "title",
            "kind",
            "kind_display",
            "start_date",
            "start_time",
            "end_date",
            "end_time",
            "municipality",
            "municipality_name",
            "venue",
            "address",
            "description",
            "follows",
            "is_public",
            "attending_collectives",
            "participants",
            "participants_total",
            "next_subject",
            "requests",
            "initiatives",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(LinkedInitiativeSerializer(many=True))
    def get_initiatives(self, event) -> list[dict]:
        return LinkedInitiativeSerializer(event_initiatives(event), many=True).data

    def get_participants_total(self, event) -> int:
        return sum(row.count for row in event.participant_counts.all())

    def _fields(self, validated_data):
        counts = validated_data.pop("participant_counts", None)
        if counts is not None:
            validated_data["participants"] = [ParticipantInput(**row) for row in counts]
        return validated_data

    def create(self, validated_data):
        return event_create(by=self.by, **self._fields(validated_data))

    def update(self, instance, validated_data):
        return event_update(event=instance, by=self.by, **self._fields(validated_data))


class SpeakerSerializer(serializers.ModelSerializer):
    official = serializers.PrimaryKeyRelatedField(queryset=Official.objects.all(), required=False, allow_null=True)
    official_name = serializers.SerializerMethodField(label="Élu·e")

    class Meta:
        model = Speaker
        fields = ["official", "official_name", "name", "organisation", "role"]

    def get_official_name(self, speaker) -> str | None:
        return str(speaker.official) if speaker.official_id else None


class ProgrammeItemSerializer(ModelConstraintsMixin, serializers.ModelSerializer):
    kind_display = serializers.CharField(label="Type (en toutes lettres)", source="get_kind_display", read_only=True)
    speakers = SpeakerSerializer(label="Intervenant·es", many=True, required=False, max_length=SPEAKERS_MAX)

    class Meta:
        model = ProgrammeItem
        fields = [
            "id",
            "event",
            "date",
            "start_time",
            "end_time",
            "title",
            "kind",
            "kind_display",
            "question",
            "speakers",
            "description",
            "write_up",
        ]
        read_only_fields = ["event"]

    def _fields(self, validated_data):
        speakers = validated_data.pop("speakers", None)
        if speakers is not None:
            validated_data["speakers"] = [SpeakerInput(**speaker) for speaker in speakers]
        return validated_data

    def create(self, validated_data):
        return programme_item_create(event=self.context["event"], by=by_of(self), **self._fields(validated_data))

    def update(self, instance, validated_data):
        return programme_item_update(item=instance, by=by_of(self), **self._fields(validated_data))


class EventResourceSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(label="Type (en toutes lettres)", source="get_kind_display", read_only=True)
    file = serializers.FileField(write_only=True, required=False, max_length=200)
    file_url = serializers.SerializerMethodField(
        label="Adresse du fichier", help_text=_("adresse de téléchargement du fichier (API)")
    )
    # A form (multipart) without the box means the default, not "unchecked".
    is_public = serializers.BooleanField(default=True)

    class Meta:
        model = EventResource
        fields = ["id", "event", "title", "kind", "kind_display", "url", "file", "file_url", "is_public", "created_at"]
        read_only_fields = ["event"]

    def get_file_url(self, resource) -> str | None:
        if not resource.file:
            return None
        return reverse("event-resource-file", kwargs={"event_pk": resource.event_id, "pk": resource.pk})

    def create(self, validated_data):
        return resource_create(event=self.context["event"], by=by_of(self), **validated_data)

    def update(self, instance, validated_data):
        return resource_update(resource=instance, by=by_of(self), **validated_data)
