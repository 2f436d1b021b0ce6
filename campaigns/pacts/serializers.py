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
    theme_name = serializers.CharField(
        label="Nom de la thématique", source="theme.name", read_only=True, allow_null=True
    )
    kind_display = serializers.CharField(label="Type (en toutes lettres)", source="get_kind_display", read_only=True)
    levels = MeasureLevelSerializer(label="Niveaux d'ambition", many=True, read_only=True)
    title_is_placeholder = serializers.BooleanField(
        label="Intitulé à compléter",
        read_only=True,
        help_text="L'intitulé n'est pas encore connu (« à compléter ») : à ne pas imprimer.",
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
    themes = ThemeSerializer(label="Thématiques", many=True, read_only=True)
    measures = MeasureSerializer(label="Mesures", many=True, read_only=True)

    class Meta(PactSerializer.Meta):
        fields = [*PactSerializer.Meta.fields, "themes", "measures"]
