from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.pledges.models import PledgedMeasure
from campaigns.reviews import analytics
from campaigns.reviews.models import (
    EVIDENCE_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    SOURCE_MAX_LENGTH,
    SOURCES_MAX_COUNT,
    Assessment,
    AssessmentStatus,
    ReviewCycle,
    ScoringScale,
)
from campaigns.reviews.services import ASSESSED_FIELDS, UNSET, AssessmentInput, cycle_update, default_scale
from core.serializers import ModelConstraintsMixin
from tasks.jobs.serializers import JobSerializer


class ReviewCycleSerializer(ModelConstraintsMixin, serializers.ModelSerializer):
    scale = serializers.PrimaryKeyRelatedField(queryset=ScoringScale.objects.all(), required=False)
    scale_name = serializers.CharField(label="Nom du barème", source="scale.name", read_only=True)
    status_display = serializers.CharField(
        label="Statut (en toutes lettres)", source="get_status_display", read_only=True
    )

    class Meta:
        model = ReviewCycle
        fields = [
            "id",
            "pact",
            "name",
            "opens_on",
            "closes_on",
            "status",
            "status_display",
            "is_published",
            "scale",
            "scale_name",
        ]
        read_only_fields = ["status", "is_published"]

    def validate(self, attrs):
        if self.instance is None and "scale" not in attrs:
            attrs["scale"] = default_scale()
        return super().validate(attrs)

    def update(self, instance, validated_data):
        return cycle_update(cycle=instance, **validated_data)


class AssessmentSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(
        label="Commune (code INSEE)", source="pledged_measure.pledge.municipality_id", read_only=True
    )
    municipality_name = serializers.CharField(
        label="Nom de la commune", source="pledged_measure.pledge.municipality.name", read_only=True
    )
    list_name = serializers.CharField(label="Liste", source="pledged_measure.pledge.list_name", read_only=True)
    measure = serializers.IntegerField(label="Mesure", source="pledged_measure.measure_id", read_only=True)
    measure_code = serializers.CharField(
        label="Code de la mesure", source="pledged_measure.measure.code", read_only=True
    )
    measure_title = serializers.CharField(
        label="Intitulé de la mesure", source="pledged_measure.measure.title", read_only=True
    )
    status_display = serializers.CharField(
        label="Statut (en toutes lettres)", source="get_status_display", read_only=True
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "cycle",
            "pledged_measure",
            "municipality",
            "municipality_name",
            "list_name",
            "measure",
            "measure_code",
            "measure_title",
            "status",
            "status_display",
            "progress",
            "evidence",
            "sources",
            "assessed_at",
            "municipality_reply",
            "reply_date",
        ]
        read_only_fields = fields


class GridRowSerializer(serializers.Serializer):
    """One row of a municipality's grid: a pledged measure and its assessment in the cycle."""

    pledged_measure = serializers.PrimaryKeyRelatedField(label="Mesure signée", queryset=PledgedMeasure.objects.all())
    status = serializers.ChoiceField(label="Statut", choices=AssessmentStatus.choices)
    progress = serializers.IntegerField(label="Avancement", min_value=0, max_value=100, required=False, allow_null=True)
    evidence = serializers.CharField(
        label="Éléments de preuve", required=False, allow_blank=True, max_length=EVIDENCE_MAX_LENGTH
    )
    sources = serializers.ListField(
        label="Sources",
        child=serializers.URLField(max_length=SOURCE_MAX_LENGTH),
        required=False,
        max_length=SOURCES_MAX_COUNT,
    )
    municipality_reply = serializers.CharField(
        label="Réponse de la commune", required=False, allow_blank=True, max_length=REPLY_MAX_LENGTH
    )
    reply_date = serializers.DateField(label="Date de la réponse", required=False, allow_null=True)

    def to_input(self, data: dict) -> AssessmentInput:
        return AssessmentInput(**{name: data.get(name, UNSET) for name in (
            "pledged_measure", "status", "progress", "evidence", "sources", "municipality_reply", "reply_date"
        )})  # fmt: skip


class GridSerializer(serializers.Serializer):
    rows = GridRowSerializer(label="Lignes", many=True, allow_empty=False)

    def validate_rows(self, rows):
        allowed = self.context["pledged_measure_ids"]
        foreign = [str(row["pledged_measure"].pk) for row in rows if row["pledged_measure"].pk not in allowed]
        if foreign:
            raise serializers.ValidationError(
                _("Mesures signées hors de cette commune ou de ce cycle : %(ids)s.") % {"ids": ", ".join(foreign)}
            )
        return rows


class GridMeasureSerializer(serializers.Serializer):
    pledged_measure = serializers.IntegerField(label="Mesure signée", source="pk")
    list_name = serializers.CharField(label="Liste", source="pledge.list_name")
    measure = serializers.IntegerField(label="Mesure", source="measure_id")
    measure_code = serializers.CharField(label="Code de la mesure", source="measure.code")
    measure_title = serializers.CharField(label="Intitulé de la mesure", source="measure.title")
    theme = serializers.CharField(label="Thématique", source="measure.theme.name", allow_null=True)
    level = serializers.IntegerField(label="Niveau", source="level.rank", allow_null=True)
    assessment = serializers.SerializerMethodField(label="Évaluation")

    def get_assessment(self, pledged) -> dict | None:
        assessment = self.context["assessments"].get(pledged.pk)
        if assessment is None:
            return None
        return {
            "id": assessment.pk,
            "status": assessment.status,
            "status_display": assessment.get_status_display(),
            "progress": assessment.progress,
            "evidence": assessment.evidence,
            "sources": assessment.sources,
            "assessed_at": serializers.DateTimeField().to_representation(assessment.assessed_at)
            if assessment.assessed_at
            else None,
            "municipality_reply": assessment.municipality_reply,
            "reply_date": assessment.reply_date.isoformat() if assessment.reply_date else None,
        }


# Responses of the analytics, scorecard and import endpoints (dicts shaped by
# ``campaigns.reviews.analytics`` and ``campaigns.reviews.scorecards``).


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": True})
class GroupKeyField(serializers.Field):
    """A group's identifier: an INSEE or département code, or a measure's or theme's id."""

    def to_representation(self, value):
        return value


class StatusCountsSerializer(serializers.Serializer):
    """Number of assessments per status."""

    def get_fields(self):
        return {status.value: serializers.IntegerField(label=capfirst(status.label)) for status in AssessmentStatus}


class ProgressSummarySerializer(serializers.Serializer):
    total = serializers.IntegerField(label="Nombre d'évaluations", help_text=gettext_lazy("évaluations"))
    municipalities = serializers.IntegerField(label="Communes")
    average_progress = serializers.FloatField(label="Avancement moyen", allow_null=True)
    counts = StatusCountsSerializer(label="Nombre par statut")
    assessed = serializers.IntegerField(
        label="Évaluations notées", help_text=gettext_lazy("évaluations dont le statut compte dans la note")
    )
    score = serializers.FloatField(label="Note", allow_null=True, help_text=gettext_lazy("note sur 10"))


class ProgressChangeSerializer(serializers.Serializer):
    score = serializers.FloatField(label="Évolution de la note", allow_null=True)
    average_progress = serializers.FloatField(label="Évolution de l'avancement moyen", allow_null=True)
    done = serializers.IntegerField(label="Évolution du nombre de mesures réalisées")


class ProgressGroupSerializer(ProgressSummarySerializer):
    key = GroupKeyField(label="Clé du regroupement")
    label = serializers.CharField(label="Libellé", allow_null=True)
    code = serializers.CharField(
        label="Code de la mesure", required=False, help_text=gettext_lazy("code de la mesure (regroupement par mesure)")
    )
    previous = ProgressChangeSerializer(
        label="Cycle comparé", required=False, allow_null=True, help_text=gettext_lazy("avec compare_to")
    )
    change = ProgressChangeSerializer(
        label="Évolution", required=False, allow_null=True, help_text=gettext_lazy("avec compare_to")
    )


class ProgressSerializer(serializers.Serializer):
    cycle = serializers.IntegerField(label="Cycle de bilan")
    by = serializers.ChoiceField(label="Regroupement", choices=list(analytics.GROUPINGS))
    summary = ProgressSummarySerializer(label="Résumé")
    compare_to = serializers.IntegerField(label="Comparé au cycle", required=False)
    previous_summary = ProgressSummarySerializer(label="Synthèse du cycle comparé", required=False)
    groups = ProgressGroupSerializer(label="Groupes", many=True)


class AssessmentValuesSerializer(serializers.Serializer):
    """An assessment's values, before or after an imported row."""

    status = serializers.ChoiceField(choices=AssessmentStatus.choices, label=gettext_lazy("statut"))
    progress = serializers.IntegerField(allow_null=True, label=gettext_lazy("avancement (%)"))
    evidence = serializers.CharField(label=gettext_lazy("éléments de preuve"))
    sources = serializers.ListField(child=serializers.CharField(), label=gettext_lazy("sources"))
    municipality_reply = serializers.CharField(label=gettext_lazy("réponse de la commune"))
    reply_date = serializers.DateField(allow_null=True, label=gettext_lazy("date de la réponse"))


class ReviewImportRowSerializer(serializers.Serializer):
    """A row of the file that creates or changes an assessment."""

    line = serializers.IntegerField(label=gettext_lazy("ligne du fichier"))
    pledged_measure = serializers.IntegerField(source="pledged_measure.pk", label=gettext_lazy("mesure signée"))
    municipality = serializers.CharField(
        source="pledged_measure.pledge.municipality_id", label=gettext_lazy("code INSEE")
    )
    municipality_name = serializers.CharField(
        source="pledged_measure.pledge.municipality.name", label=gettext_lazy("commune")
    )
    list_name = serializers.CharField(source="pledged_measure.pledge.list_name", label=gettext_lazy("liste"))
    measure_code = serializers.CharField(source="pledged_measure.measure.code", label=gettext_lazy("mesure"))
    fields = serializers.ListField(
        child=serializers.ChoiceField(choices=list(ASSESSED_FIELDS)), label=gettext_lazy("champs modifiés")
    )
    before = AssessmentValuesSerializer(allow_null=True, label=gettext_lazy("avant (null : évaluation créée)"))
    after = AssessmentValuesSerializer(label=gettext_lazy("après"))


class ReviewImportErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(label=gettext_lazy("ligne du fichier"))
    message = serializers.CharField(label=gettext_lazy("motif"))


class ReviewImportReportSerializer(serializers.Serializer):
    """What an import did (or, as a dry run, would do): rows created, updated, left
    unchanged, and the refused ones with their line (the first ones, and how many in all)."""

    dry_run = serializers.BooleanField(label=gettext_lazy("aperçu sans enregistrement"))
    created = ReviewImportRowSerializer(many=True, label=gettext_lazy("évaluations créées"))
    updated = ReviewImportRowSerializer(many=True, label=gettext_lazy("évaluations modifiées"))
    unchanged = serializers.IntegerField(label=gettext_lazy("lignes sans changement"))
    errors = ReviewImportErrorSerializer(many=True, label=gettext_lazy("lignes refusées"))
    error_count = serializers.IntegerField(label=gettext_lazy("nombre d'erreurs du fichier"))

    def to_representation(self, report):
        shown = settings.IMPORT_MAX_ERRORS_SHOWN
        data = {
            "dry_run": self.context.get("dry_run", False),
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "errors": report.errors[:shown],
            "error_count": len(report.errors),
        }
        return super().to_representation(data)


class ReviewImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(label="Lignes", help_text=gettext_lazy("lignes lues"))


class ReviewImportErrorsSerializer(serializers.Serializer):
    """400 body of a refused file: its first errors, each with its line, and how many in all."""

    file = serializers.ListField(label="Erreurs du fichier", child=serializers.CharField())
    error_count = serializers.IntegerField(
        label="Nombre d'erreurs", required=False, help_text=gettext_lazy("nombre d'erreurs du fichier")
    )


class PendingFileSerializer(serializers.Serializer):
    """202 body of a file a worker is making: why, and the job to follow."""

    detail = serializers.CharField(label="Message")
    job = JobSerializer(label="Tâche")


class ScorecardCycleSerializer(serializers.Serializer):
    id = serializers.IntegerField(label="Identifiant")
    name = serializers.CharField(label="Nom du cycle")
    is_published = serializers.BooleanField(label="Publié")


class ScorecardMunicipalitySerializer(serializers.Serializer):
    insee_code = serializers.CharField(label="Code INSEE")
    name = serializers.CharField(label="Nom de la commune")


class ScorecardThemeSerializer(serializers.Serializer):
    theme = serializers.CharField(label="Thématique")
    score = serializers.FloatField(label="Note", allow_null=True)
    measures = serializers.IntegerField(label="Nombre de mesures")


class ScorecardMeasureSerializer(serializers.Serializer):
    list_name = serializers.CharField(label="Liste")
    code = serializers.CharField(label="Code")
    title = serializers.CharField(label="Intitulé")
    theme = serializers.CharField(label="Thématique", allow_null=True)
    level = serializers.IntegerField(label="Niveau", allow_null=True)
    status = serializers.ChoiceField(label="Statut", choices=AssessmentStatus.choices)
    status_display = serializers.CharField(label="Statut (en toutes lettres)")
    progress = serializers.IntegerField(label="Avancement", allow_null=True)
    evidence = serializers.CharField(label="Éléments de preuve")
    sources = serializers.JSONField(label="Sources")
    municipality_reply = serializers.CharField(label="Réponse de la commune")
    reply_date = serializers.DateField(label="Date de la réponse", allow_null=True)


class ScorecardSerializer(serializers.Serializer):
    cycle = ScorecardCycleSerializer(label="Cycle de bilan")
    municipality = ScorecardMunicipalitySerializer(label="Commune")
    score = serializers.FloatField(label="Note", allow_null=True)
    average_progress = serializers.FloatField(label="Avancement moyen", allow_null=True)
    counts = StatusCountsSerializer(label="Nombre par statut")
    assessed = serializers.IntegerField(label="Évaluations notées")
    total = serializers.IntegerField(label="Nombre d'évaluations")
    themes = ScorecardThemeSerializer(label="Thématiques", many=True)
    measures = ScorecardMeasureSerializer(label="Mesures", many=True)
