from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.advocacy.models import Campaign
from campaigns.collectives.models import Collective
from campaigns.letters.models import Interpellation, Letter, LetterReminder, LetterTemplate
from campaigns.letters.services.templates import template_create, template_update
from core.serializers import ModelConstraintsMixin
from officials.models import Official
from tasks.jobs.serializers import JobSerializer


class LetterTemplateSerializer(ModelConstraintsMixin, serializers.ModelSerializer):
    # Left out: a shared template (staff only), which the uniqueness check of the name needs.
    collective = serializers.SlugRelatedField(
        slug_field="slug", queryset=Collective.objects.all(), default=None, allow_null=True
    )
    kind_display = serializers.CharField(label="Type (en toutes lettres)", source="get_kind_display", read_only=True)
    shared = serializers.SerializerMethodField(label="Modèle partagé")

    class Meta:
        model = LetterTemplate
        fields = ["id", "collective", "shared", "name", "kind", "kind_display", "subject", "body", "closing"]

    def get_shared(self, template) -> bool:
        return template.collective_id is None

    # Who may write which template, and its check on a sample letter, are the services'.
    def create(self, validated_data):
        return template_create(by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return template_update(template=instance, by=self.context["request"].user, **validated_data)


class TemplatePreviewSerializer(serializers.Serializer):
    official = serializers.PrimaryKeyRelatedField(label="Élu·e", queryset=Official.objects.all())
    collective = serializers.SlugRelatedField(
        label="Collectif", slug_field="slug", queryset=Collective.objects.all(), required=False
    )
    campaign = serializers.PrimaryKeyRelatedField(
        label="Campagne", queryset=Campaign.objects.all(), required=False, allow_null=True
    )


class InterpellationSerializer(serializers.ModelSerializer):
    collective = serializers.SlugRelatedField(slug_field="slug", queryset=Collective.objects.all())
    officials = serializers.PrimaryKeyRelatedField(
        label="Élu·es", queryset=Official.objects.all(), many=True, required=False, write_only=True
    )
    letters_count = serializers.IntegerField(label="Nombre de courriers", read_only=True)
    answered_count = serializers.IntegerField(label="Nombre de réponses", read_only=True)
    confirm = serializers.BooleanField(
        label="Confirmer malgré les points bloquants",
        required=False,
        default=False,
        write_only=True,
        help_text=gettext_lazy("Envoyer malgré les points bloquants du contrôle avant envoi."),
    )
    town_hall_email = serializers.BooleanField(
        required=False,
        help_text=gettext_lazy(
            "Par courriel : écrire à la mairie, à l'attention de l'élu·e, quand l'élu·e n'a pas d'adresse connue "
            "(par défaut : le réglage LETTERS_TOWN_HALL_EMAIL)."
        ),
    )

    class Meta:
        model = Interpellation
        fields = [
            "id",
            "title",
            "collective",
            "campaign",
            "template",
            "subject",
            "recipient_rule",
            "officials",
            "delivery",
            "town_hall_email",
            "confirm",
            "remind_after_days",
            "max_reminders",
            "reminder_template",
            "job",
            "created_at",
            "letters_count",
            "answered_count",
        ]
        read_only_fields = ["title", "job", "created_at"]

    def validate(self, attrs):
        # Membership is the service's rule (interpellation_create).
        if not attrs.get("officials") and not attrs.get("recipient_rule"):
            raise serializers.ValidationError(
                {"officials": [_("Choisissez des élu·es ou une règle de destinataires.")]}
            )
        return attrs


def _api_url(serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class LetterReminderSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(
        label="Statut (en toutes lettres)", source="get_status_display", read_only=True
    )
    pdf_url = serializers.SerializerMethodField(label="Adresse du PDF")

    class Meta:
        model = LetterReminder
        fields = ["number", "channel", "status", "status_display", "posted_on", "sent_at", "error", "pdf_url"]
        read_only_fields = fields

    def get_pdf_url(self, reminder) -> str | None:
        if not reminder.pdf:
            return None
        return _api_url(self, f"/api/letters/{reminder.letter_id}/reminders/{reminder.number}/pdf/")


class LetterSerializer(serializers.ModelSerializer):
    official_name = serializers.CharField(label="Élu·e", source="official.__str__", read_only=True)
    municipality_name = serializers.CharField(
        label="Nom de la commune", source="municipality.name", read_only=True, allow_null=True
    )
    status_display = serializers.CharField(
        label="Statut (en toutes lettres)", source="get_status_display", read_only=True
    )
    channel_reason_display = serializers.CharField(
        label="Raison du mode d'envoi (en toutes lettres)", source="get_channel_reason_display", read_only=True
    )
    pdf_url = serializers.SerializerMethodField(label="Adresse du PDF")
    reply_file_url = serializers.SerializerMethodField(label="Adresse du fichier de la réponse")
    reminders = LetterReminderSerializer(label="Relances", many=True, read_only=True)

    class Meta:
        model = Letter
        fields = [
            "id",
            "interpellation",
            "subject",
            "official",
            "official_name",
            "municipality",
            "municipality_name",
            "role",
            "status",
            "status_display",
            "channel",
            "channel_reason",
            "channel_reason_display",
            "channel_note",
            "recipient_email",
            "pages",
            "error",
            "rendered_at",
            "posted_on",
            "sent_at",
            "reminders_sent",
            "last_reminder_at",
            "reminders",
            "reply_date",
            "reply_summary",
            "reply_outcome",
            "pdf_url",
            "reply_file_url",
        ]
        read_only_fields = fields

    def get_pdf_url(self, letter) -> str | None:
        if not letter.pdf:
            return None
        request = self.context.get("request")
        path = f"/api/letters/{letter.pk}/pdf/"
        return request.build_absolute_uri(path) if request else path

    def get_reply_file_url(self, letter) -> str | None:
        """The permission-checked download of the reply's file (never a /media/ URL)."""
        if not letter.reply_file:
            return None
        request = self.context.get("request")
        path = f"/api/letters/{letter.pk}/reply-file/"
        return request.build_absolute_uri(path) if request else path


class PostedSerializer(serializers.Serializer):
    date = serializers.DateField(
        label="Date de dépôt à la poste", help_text=gettext_lazy("le jour où le courrier a été déposé à la poste")
    )


class InterpellationPostedSerializer(PostedSerializer):
    letters = serializers.ListField(
        label="Courriers",
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=False,
        max_length=10_000,
        help_text=gettext_lazy("les courriers postés ; sans cette liste, tous ceux de l'interpellation à poster"),
    )


class PostedResultSerializer(serializers.Serializer):
    posted = serializers.IntegerField(label="Nombre de courriers postés")
    letters = serializers.ListField(label="Courriers", child=serializers.IntegerField())


class ResumedSerializer(serializers.Serializer):
    letters = serializers.IntegerField(
        label="Nombre de courriers", help_text=gettext_lazy("courriers remis en préparation")
    )
    job = JobSerializer(label="Tâche")


class LetterReplySerializer(serializers.Serializer):
    date = serializers.DateField(label="Date de la réponse")
    summary = serializers.CharField(label="Résumé")
    outcome = serializers.ChoiceField(
        label="Résultat", choices=Letter.ReplyOutcome.choices, required=False, allow_blank=True
    )
    file = serializers.FileField(label="Fichier", required=False)


class ReadinessItemSerializer(serializers.Serializer):
    code = serializers.CharField(label="Code", help_text=gettext_lazy("placeholder_title, official_without_address, …"))
    message = serializers.CharField(label="Message")
    blocking = serializers.BooleanField(
        label="Bloquant", help_text=gettext_lazy("bloque l'envoi, sauf confirmation (confirm)")
    )
    concerns = serializers.ChoiceField(
        label="Concerne", choices=["measure", "official", "signatory", "collective", "template"]
    )
    object_id = serializers.CharField(label="Identifiant", help_text=gettext_lazy("identifiant de ce qui est en cause"))
    label = serializers.CharField(label="Libellé", help_text=gettext_lazy("ce qui est en cause, en toutes lettres"))


class ReadinessSerializer(serializers.Serializer):
    """What would make the letters of an interpellation look wrong."""

    ready = serializers.BooleanField(label="Prêt", help_text=gettext_lazy("aucun point bloquant"))
    items = ReadinessItemSerializer(label="Points à vérifier", many=True)


# 400 of an interpellation: field errors as everywhere, or the readiness check's blocking items.
INTERPELLATION_REFUSED_SCHEMA = {
    "type": "object",
    "description": (
        "Données refusées : les erreurs par champ, ou « detail » et « readiness » (les points du contrôle "
        "avant envoi) quand un point bloquant reste et que l'envoi n'est pas confirmé."
    ),
    "properties": {
        "detail": {"type": "string"},
        "readiness": {"type": "array", "items": {"$ref": "#/components/schemas/ReadinessItem"}},
    },
    "additionalProperties": {},
}


class TemplatePreviewResultSerializer(serializers.Serializer):
    subject = serializers.CharField(label="Objet")
    html = serializers.CharField(label="Courrier en HTML", help_text=gettext_lazy("le courrier en HTML"))
    readiness = ReadinessItemSerializer(
        label="Points à vérifier",
        many=True,
        help_text=gettext_lazy("le contrôle avant envoi d'une interpellation à cet·te élu·e par courriel"),
    )


class InterpellationCreatedSerializer(serializers.Serializer):
    """202 body: the interpellation and the job that renders (and sends) its letters."""

    interpellation = InterpellationSerializer(label="Interpellation")
    job = JobSerializer(label="Tâche")


class DownloadPendingSerializer(serializers.Serializer):
    """409 body of a download not built yet: why, and the job to follow (if any)."""

    detail = serializers.CharField(label="Message")
    job = JobSerializer(label="Tâche", allow_null=True)


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": True})
class ReplyGroupKeyField(serializers.Field):
    """The group's identifier: a campaign or official id, or an INSEE code."""

    def to_representation(self, value):
        return value


class ReplyRateSerializer(serializers.Serializer):
    key = ReplyGroupKeyField(label="Clé du regroupement")
    label = serializers.CharField(label="Libellé", allow_null=True)
    sent = serializers.IntegerField(label="Courriers envoyés")
    answered = serializers.IntegerField(label="Répondu")
    rate = serializers.FloatField(label="Taux de réponse")
