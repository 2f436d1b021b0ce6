from rest_framework import serializers

from campaigns.pacts.models import Measure, MeasureLevel, Pact, Theme


class MeasureLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasureLevel
        fields = ["id", "rank", "description"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "code", "name", "position"]


class MeasureSerializer(serializers.ModelSerializer):
    theme_name = serializers.CharField(source="theme.name", read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    levels = MeasureLevelSerializer(many=True, read_only=True)
    title_is_placeholder = serializers.BooleanField(
        read_only=True, help_text="L'intitulé n'est pas encore connu (« à compléter ») : à ne pas imprimer."
    )

    class Meta:
        model = Measure
        fields = [
            "id",
            "pact",
            "kind",
            "kind_display",
            "code",
            "title",
            "title_is_placeholder",
            "description",
            "theme",
            "theme_name",
            "levels",
        ]


class PactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pact
        fields = ["id", "name", "year", "description", "min_measures", "principles_required"]


class PactDetailSerializer(PactSerializer):
    themes = ThemeSerializer(many=True, read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)

    class Meta(PactSerializer.Meta):
        fields = [*PactSerializer.Meta.fields, "themes", "measures"]
