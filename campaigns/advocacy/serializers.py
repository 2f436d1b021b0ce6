from rest_framework import serializers

from campaigns.advocacy.models import Action, Campaign
from campaigns.advocacy.services import action_create, action_update, campaign_create, campaign_update
from campaigns.collectives.serializers import CollectiveContentSerializer
from officials.models import Municipality


class CampaignSerializer(CollectiveContentSerializer):
    municipalities = serializers.SlugRelatedField(
        slug_field="insee_code", many=True, queryset=Municipality.objects.all(), required=False
    )
    status_display = serializers.CharField(
        label="Statut (en toutes lettres)", source="get_status_display", read_only=True
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "collective",
            "title",
            "objective",
            "measures",
            "municipalities",
            "officials",
            "start_date",
            "end_date",
            "status",
            "status_display",
            "is_public",
            "created_at",
            "updated_at",
        ]

    def create(self, validated_data):
        return campaign_create(by=self.by, **validated_data)

    def update(self, instance, validated_data):
        return campaign_update(campaign=instance, by=self.by, **validated_data)


class ActionSerializer(CollectiveContentSerializer):
    municipality = serializers.SlugRelatedField(
        slug_field="insee_code", queryset=Municipality.objects.all(), required=False, allow_null=True
    )
    municipality_name = serializers.CharField(
        label="Nom de la commune", source="municipality.name", read_only=True, allow_null=True
    )
    kind_display = serializers.CharField(label="Type (en toutes lettres)", source="get_kind_display", read_only=True)
    outcome_display = serializers.CharField(
        label="Résultat (en toutes lettres)", source="get_outcome_display", read_only=True
    )
    links = serializers.ListField(child=serializers.URLField(), required=False)

    class Meta:
        model = Action
        fields = [
            "id",
            "collective",
            "campaign",
            "kind",
            "kind_display",
            "date",
            "title",
            "description",
            "municipality",
            "municipality_name",
            "officials",
            "measures",
            "outcome",
            "outcome_display",
            "outcome_note",
            "links",
            "is_public",
            "created_at",
            "updated_at",
        ]

    def create(self, validated_data):
        return action_create(by=self.by, **validated_data)

    def update(self, instance, validated_data):
        return action_update(action=instance, by=self.by, **validated_data)
