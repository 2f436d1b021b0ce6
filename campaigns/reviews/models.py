from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.pacts.models import Pact
from campaigns.pledges.models import PledgedMeasure

# Free texts of a review: the database does not bound a text column, these do (the model's
# validators, the API's fields and the service that every write goes through).
EVIDENCE_MAX_LENGTH = 5000
REPLY_MAX_LENGTH = 5000
SOURCES_MAX_COUNT = 20
SOURCE_MAX_LENGTH = 500
DESCRIPTION_MAX_LENGTH = 2000


def sources_problem(sources) -> str:
    """Why ``sources`` cannot be saved, in French, or "" when they can."""
    if not isinstance(sources, list) or not all(isinstance(source, str) for source in sources):
        return _("les sources sont une liste d'adresses.")
    if len(sources) > SOURCES_MAX_COUNT:
        return _("%(count)s sources ; %(max)s au plus.") % {"count": len(sources), "max": SOURCES_MAX_COUNT}
    if any(len(source) > SOURCE_MAX_LENGTH for source in sources):
        return _("une source dépasse %(max)s caractères.") % {"max": SOURCE_MAX_LENGTH}
    return ""


def validate_sources(sources) -> None:
    problem = sources_problem(sources)
    if problem:
        raise ValidationError(problem)


class AssessmentStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("non évaluée")
    NOT_STARTED = "not_started", _("non engagée")
    IN_PROGRESS = "in_progress", _("en cours")
    PARTIAL = "partial", _("partiellement réalisée")
    DONE = "done", _("réalisée")
    ABANDONED = "abandoned", _("abandonnée")
    NOT_MEASURABLE = "not_measurable", _("non mesurable")


# What a status means in percent when nobody refined it. "Non évaluée" and "non
# mesurable" have none: an unknown is never read as "nothing was done".
DEFAULT_PROGRESS = {
    AssessmentStatus.NOT_ASSESSED: None,
    AssessmentStatus.NOT_STARTED: 0,
    AssessmentStatus.IN_PROGRESS: 25,
    AssessmentStatus.PARTIAL: 50,
    AssessmentStatus.DONE: 100,
    AssessmentStatus.ABANDONED: 0,
    AssessmentStatus.NOT_MEASURABLE: None,
}


class ScoringScale(models.Model):
    """How statuses turn into a score out of 10: a weight per status, or left out."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )

    class Meta:
        verbose_name = _("barème")
        verbose_name_plural = _("barèmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def weights(self) -> dict[str, float]:
        """{status: weight} of the statuses that count in the average."""
        return {weight.status: float(weight.weight) for weight in self.status_weights.all() if weight.counted}


class StatusWeight(models.Model):
    scale = models.ForeignKey(
        ScoringScale, on_delete=models.CASCADE, related_name="status_weights", verbose_name=_("barème")
    )
    status = models.CharField(_("statut"), max_length=20, choices=AssessmentStatus.choices)
    weight = models.DecimalField(
        _("poids"),
        max_digits=4,
        decimal_places=3,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Part d'une mesure réalisée : 1 pour réalisée, 0,5 pour partiellement réalisée…"),
    )
    counted = models.BooleanField(
        _("compte dans la moyenne"), default=True, help_text=_("Décochez pour « non évaluée », « non mesurable ».")
    )

    class Meta:
        verbose_name = _("poids d'un statut")
        verbose_name_plural = _("poids des statuts")
        constraints = [
            models.UniqueConstraint(fields=["scale", "status"], name="unique_status_weight"),
            models.CheckConstraint(condition=models.Q(weight__gte=0, weight__lte=1), name="status_weight_range"),
        ]

    def __str__(self) -> str:
        return f"{self.scale} : {self.get_status_display()} = {self.weight}"


class ReviewCycle(models.Model):
    """A review of every pledged measure of a pact, such as the mid-mandate review of 2023."""

    class Status(models.TextChoices):
        OPEN = "open", _("ouvert")
        CLOSED = "closed", _("clos")

    pact = models.ForeignKey(Pact, on_delete=models.PROTECT, related_name="review_cycles", verbose_name=_("pacte"))
    name = models.CharField(_("nom"), max_length=200, unique=True)
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("clôture"))
    status = models.CharField(_("état"), max_length=6, choices=Status.choices, default=Status.OPEN)
    is_published = models.BooleanField(_("publié"), default=False, help_text=_("Visible par le public."))
    scale = models.ForeignKey(ScoringScale, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("barème"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("cycle de bilan")
        verbose_name_plural = _("cycles de bilan")
        ordering = ["-opens_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="cycle_closes_after_opening",
                violation_error_message=_("La clôture précède l'ouverture."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Assessment(models.Model):
    """How far one pledged measure got, in one review cycle."""

    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("cycle")
    )
    pledged_measure = models.ForeignKey(
        PledgedMeasure, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("mesure signée")
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.NOT_ASSESSED
    )
    progress = models.PositiveSmallIntegerField(
        _("avancement (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    evidence = models.TextField(
        _("éléments de preuve"),
        blank=True,
        max_length=EVIDENCE_MAX_LENGTH,
        validators=[MaxLengthValidator(EVIDENCE_MAX_LENGTH)],
    )
    sources = models.JSONField(_("sources"), default=list, blank=True, validators=[validate_sources])
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("évalué par"),
    )  # fmt: skip
    assessed_at = models.DateTimeField(_("évalué le"), null=True, blank=True)
    municipality_reply = models.TextField(
        _("réponse de la commune"),
        blank=True,
        help_text=_("Droit de réponse."),
        max_length=REPLY_MAX_LENGTH,
        validators=[MaxLengthValidator(REPLY_MAX_LENGTH)],
    )
    reply_date = models.DateField(_("date de la réponse"), null=True, blank=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["cycle", "pledged_measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "pledged_measure"],
                name="unique_assessment",
                violation_error_message=_("Cette mesure a déjà une évaluation dans ce cycle."),
            ),
            models.CheckConstraint(
                condition=models.Q(progress__isnull=True) | models.Q(progress__lte=100),
                name="assessment_progress_range",
            ),
        ]
        indexes = [models.Index(fields=["cycle", "status"])]

    def __str__(self) -> str:
        return f"{self.cycle} — {self.pledged_measure}"


class AssessmentChange(models.Model):
    """One change of status or progress: the history a measure's timeline is read from."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="changes", verbose_name=_("évaluation")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("par"),
    )  # fmt: skip
    changed_at = models.DateTimeField(_("le"), auto_now_add=True)
    old_status = models.CharField(_("ancien statut"), max_length=20, choices=AssessmentStatus.choices, blank=True)
    new_status = models.CharField(_("nouveau statut"), max_length=20, choices=AssessmentStatus.choices)
    old_progress = models.PositiveSmallIntegerField(_("ancien avancement"), null=True, blank=True)
    new_progress = models.PositiveSmallIntegerField(_("nouvel avancement"), null=True, blank=True)

    class Meta:
        verbose_name = _("changement d'évaluation")
        verbose_name_plural = _("historique des évaluations")
        ordering = ["assessment", "changed_at", "pk"]

    def __str__(self) -> str:
        # The statuses as people read them ("non évaluée → partiellement réalisée"), not as stored.
        old = self.get_old_status_display() or "—"
        return f"{self.assessment} : {old} → {self.get_new_status_display()}"
