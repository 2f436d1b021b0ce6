"""The feedback survey as organisers set it, as participants answer it, and its figures."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from campaigns.gatherings.models import FeedbackLink, FeedbackSurvey
from campaigns.gatherings.models.feedback import COMMENT_MAX_LENGTH, WORD_MAX_LENGTH, WORDS_MAX_COUNT
from campaigns.gatherings.services.feedback import LINKS_MAX_PER_SENDING


class SurveySerializer(serializers.ModelSerializer):
    class Meta:
        model = FeedbackSurvey
        fields = ["question", "scale_max", "recommend_from", "closes_on"]


class FeedbackLinksRequestSerializer(serializers.Serializer):
    emails = serializers.ListField(
        label="Adresses électroniques",
        child=serializers.EmailField(), min_length=1, max_length=LINKS_MAX_PER_SENDING,
        help_text=_("les adresses des participant·es ; chacune reçoit son lien"),
    )  # fmt: skip


class FeedbackLinkSerializer(serializers.ModelSerializer):
    email_status = serializers.CharField(
        label="État du courriel", source="outbound_email.status", read_only=True, allow_null=True
    )
    answered = serializers.SerializerMethodField(label="Répondu")

    class Meta:
        model = FeedbackLink
        fields = ["id", "email", "email_status", "answered", "created_at"]

    def get_answered(self, link) -> bool:
        return link.answered_at is not None


class FeedbackLinksSentSerializer(serializers.Serializer):
    created = FeedbackLinkSerializer(label="Liens créés", many=True)
    skipped = serializers.ListField(
        label="Adresses écartées",
        child=serializers.EmailField(),
        help_text=_("les adresses qui avaient déjà un lien (aucun second envoi)"),
    )


class WordCountSerializer(serializers.Serializer):
    word = serializers.CharField(label="Mot")
    count = serializers.IntegerField(label="Nombre")


class FeedbackSummarySerializer(serializers.Serializer):
    question = serializers.CharField(label="Question")
    scale_max = serializers.IntegerField(label="Note maximale")
    recommend_from = serializers.IntegerField(label="Recommandation à partir de la note")
    closes_on = serializers.DateField(label="Clos le", allow_null=True)
    links = serializers.IntegerField(label="Liens envoyés", help_text=_("liens envoyés"))
    answers = serializers.IntegerField(label="Réponses reçues", help_text=_("réponses reçues"))
    recommend_share = serializers.FloatField(
        label="Part de recommandation",
        allow_null=True,
        help_text=_("part des réponses qui recommandent, en pourcentage (vide sans réponse)"),
    )
    average_score = serializers.FloatField(label="Note moyenne", allow_null=True)
    words = WordCountSerializer(label="Mots", many=True, help_text=_("les mots les plus cités"))


class FeedbackFormSerializer(serializers.Serializer):
    """What a participant's link shows before answering."""

    event = serializers.CharField(label="Rencontre", source="survey.event.title")
    start_date = serializers.DateField(label="Date de début", source="survey.event.start_date")
    question = serializers.CharField(label="Question", source="survey.question")
    scale_max = serializers.IntegerField(label="Note maximale", source="survey.scale_max")
    words_max = serializers.SerializerMethodField(label="Nombre de mots au plus")
    closes_on = serializers.DateField(label="Clos le", source="survey.closes_on", allow_null=True)
    answered = serializers.SerializerMethodField(label="Répondu")

    def get_words_max(self, link) -> int:
        return WORDS_MAX_COUNT

    def get_answered(self, link) -> bool:
        return link.answered_at is not None


class FeedbackAnswerSerializer(serializers.Serializer):
    score = serializers.IntegerField(
        label="Note", min_value=1, help_text=_("la note, de 1 à la note maximale du questionnaire")
    )
    words = serializers.ListField(
        label="Mots",
        child=serializers.CharField(max_length=WORD_MAX_LENGTH), max_length=WORDS_MAX_COUNT, required=False,
        help_text=_("quelques mots qui disent la rencontre"),
    )  # fmt: skip
    comment = serializers.CharField(
        label="Commentaire", max_length=COMMENT_MAX_LENGTH, required=False, allow_blank=True
    )


class LinkUsedSerializer(serializers.Serializer):
    """409 body: the link has answered already."""

    detail = serializers.CharField(label="Message")
