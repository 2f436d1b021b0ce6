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
        child=serializers.EmailField(), min_length=1, max_length=LINKS_MAX_PER_SENDING,
        help_text=_("les adresses des participant·es ; chacune reçoit son lien"),
    )  # fmt: skip


class FeedbackLinkSerializer(serializers.ModelSerializer):
    email_status = serializers.CharField(source="outbound_email.status", read_only=True, allow_null=True)
    answered = serializers.SerializerMethodField()

    class Meta:
        model = FeedbackLink
        fields = ["id", "email", "email_status", "answered", "created_at"]

    def get_answered(self, link) -> bool:
        return link.answered_at is not None


class FeedbackLinksSentSerializer(serializers.Serializer):
    created = FeedbackLinkSerializer(many=True)
    skipped = serializers.ListField(
        child=serializers.EmailField(), help_text=_("les adresses qui avaient déjà un lien (aucun second envoi)")
    )


class WordCountSerializer(serializers.Serializer):
    word = serializers.CharField()
    count = serializers.IntegerField()


class FeedbackSummarySerializer(serializers.Serializer):
    question = serializers.CharField()
    scale_max = serializers.IntegerField()
    recommend_from = serializers.IntegerField()
    closes_on = serializers.DateField(allow_null=True)
    links = serializers.IntegerField(help_text=_("liens envoyés"))
    answers = serializers.IntegerField(help_text=_("réponses reçues"))
    recommend_share = serializers.FloatField(
        allow_null=True, help_text=_("part des réponses qui recommandent, en pourcentage (vide sans réponse)")
    )
    average_score = serializers.FloatField(allow_null=True)
    words = WordCountSerializer(many=True, help_text=_("les mots les plus cités"))


class FeedbackFormSerializer(serializers.Serializer):
    """What a participant's link shows before answering."""

    event = serializers.CharField(source="survey.event.title")
    start_date = serializers.DateField(source="survey.event.start_date")
    question = serializers.CharField(source="survey.question")
    scale_max = serializers.IntegerField(source="survey.scale_max")
    words_max = serializers.SerializerMethodField()
    closes_on = serializers.DateField(source="survey.closes_on", allow_null=True)
    answered = serializers.SerializerMethodField()

    def get_words_max(self, link) -> int:
        return WORDS_MAX_COUNT

    def get_answered(self, link) -> bool:
        return link.answered_at is not None


class FeedbackAnswerSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, help_text=_("la note, de 1 à la note maximale du questionnaire"))
    words = serializers.ListField(
        child=serializers.CharField(max_length=WORD_MAX_LENGTH), max_length=WORDS_MAX_COUNT, required=False,
        help_text=_("quelques mots qui disent la rencontre"),
    )  # fmt: skip
    comment = serializers.CharField(max_length=COMMENT_MAX_LENGTH, required=False, allow_blank=True)


class LinkUsedSerializer(serializers.Serializer):
    """409 body: the link has answered already."""

    detail = serializers.CharField()
