from rest_framework import serializers

from campaigns.collectives.models import Collective
from campaigns.collectives.serializers import CollectiveContentSerializer
from campaigns.pacts.models import Measure, MeasureLevel
from campaigns.pledges.models import Pledge, PledgedMeasure
from campaigns.pledges.services import PledgedMeasureInput, pledge_create, pledge_update
from officials.models import Municipality, Official


class PledgedMeasureSerializer(serializers.ModelSerializer):
    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all())
    level = serializers.PrimaryKeyRelatedField(queryset=MeasureLevel.objects.all(), required=False, allow_null=True)
    measure_code = serializers.CharField(label="Code de la mesure", source="measure.code", read_only=True)
    measure_title = serializers.CharField(label="Intitulé de la mesure", source="measure.title", read_only=True)
    level_rank = serializers.IntegerField(label="Niveau", source="level.rank", read_only=True, allow_null=True)

    class Meta:
        model = PledgedMeasure
        fields = ["id", "measure", "measure_code", "measure_title", "level", "level_rank", "local_wording"]


class PledgeSerializer(CollectiveContentSerializer):
    collective = serializers.SlugRelatedField(
        slug_field="slug", queryset=Collective.objects.all(), required=False, allow_null=True
    )
    municipality = serializers.SlugRelatedField(slug_field="insee_code", queryset=Municipality.objects.all())
    municipality_name = serializers.CharField(label="Nom de la commune", source="municipality.name", read_only=True)
    head_of_list = serializers.PrimaryKeyRelatedField(queryset=Official.objects.all(), required=False, allow_null=True)
    measures = PledgedMeasureSerializer(label="Mesures", many=True)

    class Meta:
        model = Pledge
        fields = [
            "id",
            "pact",
            "municipality",
            "municipality_name",
            "list_name",
            "head_of_list",
            "head_of_list_name",
            "collective",
            "signed_on",
            "election_outcome",
            "notes",
            "measures",
            "created_at",
            "updated_at",
        ]
        # The unique (pact, municipality, list) is checked by ModelConstraintsMixin.
        validators = []

    def validate(self, attrs):
        measures = attrs.pop("measures", None)
        attrs = super().validate(attrs)
        if measures is not None:
            attrs["measures"] = [PledgedMeasureInput(**item) for item in measures]
        return attrs

    def create(self, validated_data):
        return pledge_create(by=self.by, **validated_data)

    def update(self, instance, validated_data):
        return pledge_update(pledge=instance, by=self.by, **validated_data)
