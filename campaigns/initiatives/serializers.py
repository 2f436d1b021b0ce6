from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from campaigns.advocacy.selectors import campaigns_visible_to
from campaigns.collectives.models import Collective
from campaigns.collectives.serializers import CollectiveContentSerializer
from campaigns.gatherings.selectors import events_visible_to
from campaigns.initiatives.models import MAX_LINKS, Initiative
from campaigns.initiatives.services import initiative_create, initiative_update
from campaigns.pacts.models import Theme
from officials.models import Municipality


class VisiblePrimaryKeys(serializers.PrimaryKeyRelatedField):
    """Rows the caller may read (another one is "not found"); the service checks it again."""

    def __init__(self, *, visible, **kwargs):
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.visible(self.context["request"].user)


class InitiativeSerializer(CollectiveContentSerializer):
    # Imported initiatives follow no collective; the services say who may write one so (staff).
    collective = serializers.SlugRelatedField(slug_field="slug", queryset=Collective.objects.all(), allow_null=True)
    municipality = serializers.SlugRelatedField(slug_field="insee_code", queryset=Municipality.objects.all())
    municipality_name = serializers.CharField(label="Nom de la commune", source="municipality.name", read_only=True)
    themes = serializers.PrimaryKeyRelatedField(many=True, queryset=Theme.objects.all(), required=False)
    campaigns = VisiblePrimaryKeys(label="Campagnes liées", many=True, required=False, visible=campaigns_visible_to)
    events = VisiblePrimaryKeys(
        label="Rencontres liées",
        many=True,
        required=False,
        visible=events_visible_to,
        help_text=_("les rencontres liées (identifiants)"),
    )
    kind_display = serializers.CharField(label="Type (en toutes lettres)", source="get_kind_display", read_only=True)
    status_display = serializers.CharField(
        label="Statut (en toutes lettres)", source="get_status_display", read_only=True
    )
    links = serializers.ListField(child=serializers.URLField(max_length=500), required=False, max_length=MAX_LINKS)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)

    class Meta:
        model = Initiative
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "description",
            "municipality",
            "municipality_name",
            "longitude",
            "latitude",
            "themes",
            "contact",
            "email",
            "links",
            "collective",
            "campaigns",
            "events",
            "status",
            "status_display",
            "source",
            "source_id",
            "validated_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "source", "source_id", "validated_at"]

    def create(self, validated_data):
        return initiative_create(by=self.by, **validated_data)

    def update(self, instance, validated_data):
        return initiative_update(initiative=instance, by=self.by, **validated_data)
