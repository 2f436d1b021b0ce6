"""The feedback survey of an event, answered without an account through a link sent to each
participant. The answers are kept apart from the addresses: a link only knows it was used."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.gatherings.models.events import Event
from core.text import of

COMMENT_MAX_LENGTH = 3000
WORDS_MAX_COUNT = 5
WORD_MAX_LENGTH = 40
SCALE_MAX = 10
DEFAULT_QUESTION = _("Recommanderiez-vous cette rencontre à d'autres membres des collectifs ?")


class FeedbackSurvey(models.Model):
    """The questions of an event's survey: a recommendation on a scale of 1 to ``scale_max``
    (answers from ``recommend_from`` up count as recommending), a few words and comments."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="survey", verbose_name=_("rencontre"))
    question = models.CharField(_("question de recommandation"), max_length=300, default=DEFAULT_QUESTION)
    scale_max = models.PositiveSmallIntegerField(
        _("note maximale"), default=5, validators=[MinValueValidator(2), MaxValueValidator(SCALE_MAX)]
    )
    recommend_from = models.PositiveSmallIntegerField(
        _("recommande à partir de"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(SCALE_MAX)],
        help_text=_("Les notes égales ou supérieures comptent comme une recommandation."),
    )
    closes_on = models.DateField(
        _("réponses jusqu'au"), null=True, blank=True, help_text=_("Vide : les liens restent valables.")
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire de satisfaction")
        verbose_name_plural = _("questionnaires de satisfaction")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gte=2, scale_max__lte=SCALE_MAX),
                name="survey_scale_bounds",
                violation_error_message=_("La note maximale va de 2 à 10."),
            ),
            models.CheckConstraint(
                condition=models.Q(recommend_from__gte=1, recommend_from__lte=models.F("scale_max")),
                name="survey_recommend_within_scale",
                violation_error_message=_("Le seuil de recommandation doit être compris entre 1 et la note maximale."),
            ),
        ]

    def __str__(self) -> str:
        return _("Questionnaire %(of_event)s") % {"of_event": of(self.event)}


class FeedbackLink(models.Model):
    """A participant's link to answer once. Only a digest of its token is stored: the token
    itself travels in the e-mail and nowhere else."""

    survey = models.ForeignKey(
        FeedbackSurvey, on_delete=models.CASCADE, related_name="links", verbose_name=_("questionnaire")
    )
    email = models.EmailField(_("courriel"))
    token_digest = models.CharField(_("empreinte du lien"), max_length=64, unique=True, editable=False)
    outbound_email = models.ForeignKey(
        "tasks.OutboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("courriel envoyé"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("lien de réponse")
        verbose_name_plural = _("liens de réponse")
        ordering = ["survey", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "email"],
                name="unique_feedback_link",
                violation_error_message=_("Cette personne a déjà un lien pour ce questionnaire."),
            )
        ]

    def __str__(self) -> str:
        return self.email


class FeedbackAnswer(models.Model):
    """One participant's answer (anonymous: nothing points back to the link)."""

    survey = models.ForeignKey(
        FeedbackSurvey, on_delete=models.CASCADE, related_name="answers", verbose_name=_("questionnaire")
    )
    score = models.PositiveSmallIntegerField(_("note"), validators=[MinValueValidator(1), MaxValueValidator(SCALE_MAX)])
    comment = models.TextField(
        _("commentaire"), blank=True, max_length=COMMENT_MAX_LENGTH, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)]
    )

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["survey", "id"]

    def __str__(self) -> str:
        return _("Réponse %(pk)s : %(score)s") % {"pk": self.pk, "score": self.score}


class FeedbackWord(models.Model):
    """A word an answer gave, in lower case: the words most used are counted in the database."""

    answer = models.ForeignKey(
        FeedbackAnswer, on_delete=models.CASCADE, related_name="words", verbose_name=_("réponse")
    )
    word = models.CharField(_("mot"), max_length=WORD_MAX_LENGTH)

    class Meta:
        verbose_name = _("mot")
        verbose_name_plural = _("mots")
        ordering = ["answer", "id"]
        indexes = [models.Index(fields=["word"])]

    def __str__(self) -> str:
        return self.word
