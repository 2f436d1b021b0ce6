from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.collectives.models import Collective
from campaigns.pacts.models import Measure
from officials.models import Municipality, Official


class Campaign(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("prévue")
        IN_PROGRESS = "in_progress", _("en cours")
        COMPLETED = "completed", _("terminée")
        CANCELLED = "cancelled", _("annulée")

    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="campaigns", verbose_name=_("collectif")
    )
    title = models.CharField(_("titre"), max_length=200)
    objective = models.TextField(_("objectif"), blank=True)
    measures = models.ManyToManyField(Measure, blank=True, related_name="campaigns", verbose_name=_("mesures"))
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="campaigns", verbose_name=_("communes")
    )
    officials = models.ManyToManyField(Official, blank=True, related_name="campaigns", verbose_name=_("élu·es visé·es"))
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    is_public = models.BooleanField(_("publique"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="campaign_ends_after_start",
                violation_error_message=_("La fin de la campagne précède son début."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", _("courrier")
        MEETING = "meeting", _("rendez-vous")
        COUNCIL_QUESTION = "council_question", _("question en conseil municipal")
        PETITION = "petition", _("pétition")
        PRESS_RELEASE = "press_release", _("communiqué de presse")
        SOCIAL_MEDIA = "social_media", _("réseaux sociaux")
        PUBLIC_EVENT = "public_event", _("événement public")
        SURVEY = "survey", _("enquête")
        OTHER = "other", _("autre")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("en attente")
        SUCCESS = "success", _("succès")
        PARTIAL = "partial", _("succès partiel")
        FAILURE = "failure", _("échec")

    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="actions", verbose_name=_("collectif")
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions", verbose_name=_("campagne")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("commune"),
    )
    officials = models.ManyToManyField(Official, blank=True, related_name="actions", verbose_name=_("élu·es visé·es"))
    measures = models.ManyToManyField(Measure, blank=True, related_name="actions", verbose_name=_("mesures concernées"))
    outcome = models.CharField(_("résultat"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.TextField(_("commentaire sur le résultat"), blank=True)
    links = models.JSONField(_("liens"), default=list, blank=True)
    is_public = models.BooleanField(_("publique"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["municipality", "date"]), models.Index(fields=["collective", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.title}"
