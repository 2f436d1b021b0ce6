"""Shared experience: what collectives keep, stop and start, the proposals of a "we could /
they could / we need" grid, and the action ideas to carry together."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.advocacy.models import Campaign
from campaigns.collectives.models import Collective
from campaigns.gatherings.models.events import DESCRIPTION_MAX_LENGTH, Event, bounded_text
from campaigns.pacts.models import Theme

TEXT_MAX_LENGTH = 2000
QUESTION_MAX_LENGTH = 500


class SharedExperience(models.Model):
    """Written by a collective's members (its ``collective``), possibly at an ``event``,
    about some ``themes``: each kind names its own relations."""

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

    class Meta:
        abstract = True


class Lesson(SharedExperience):
    """A practice to keep, to stop or to start."""

    class Kind(models.TextChoices):
        KEEP = "keep", _("à garder")
        STOP = "stop", _("à cesser")
        START = "start", _("à créer")

    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("collectif")
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons", verbose_name=_("rencontre")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="lessons", verbose_name=_("thématiques"))
    kind = models.CharField(_("pratique"), max_length=5, choices=Kind.choices)
    text = bounded_text(_("texte"), TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("pratique à garder, cesser ou créer")
        verbose_name_plural = _("pratiques à garder, cesser ou créer")
        ordering = ["kind", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text=""), name="lesson_has_text", violation_error_message=_("Écrivez la pratique.")
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.text[:60]}"


class Proposal(SharedExperience):
    """One cell of a "we could / they could / we need" grid, answering a question."""

    class Kind(models.TextChoices):
        WE_COULD = "we_could", _("ce que nous pourrions faire")
        THEY_COULD = "they_could", _("ce qu'ils pourraient faire")
        WE_NEED = "we_need", _("ce dont nous avons besoin")

    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("collectif")
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("rencontre"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="proposals", verbose_name=_("thématiques"))
    kind = models.CharField(_("colonne"), max_length=10, choices=Kind.choices)
    question = models.CharField(_("question"), max_length=QUESTION_MAX_LENGTH, blank=True)
    text = bounded_text(_("texte"), TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")
        ordering = ["event", "question", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text=""),
                name="proposal_has_text",
                violation_error_message=_("Écrivez la proposition."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.text[:60]}"


class ActionIdea(SharedExperience):
    """An idea to build together; collectives that take it up turn it into their campaigns."""

    collective = models.ForeignKey(
        Collective,
        on_delete=models.CASCADE,
        related_name="action_ideas",
        verbose_name=_("collectif"),
        help_text=_("Le collectif qui a noté la piste."),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_ideas",
        verbose_name=_("rencontre"),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="action_ideas", verbose_name=_("thématiques"))
    title = models.CharField(_("titre"), max_length=200)
    question = models.CharField(_("question"), max_length=QUESTION_MAX_LENGTH, blank=True)
    description = bounded_text(_("description"), DESCRIPTION_MAX_LENGTH)
    interested_collectives = models.ManyToManyField(
        Collective, blank=True, related_name="interesting_action_ideas", verbose_name=_("collectifs intéressés")
    )
    campaigns = models.ManyToManyField(
        Campaign, blank=True, related_name="action_ideas", verbose_name=_("campagnes lancées")
    )

    class Meta:
        verbose_name = _("piste d'action")
        verbose_name_plural = _("pistes d'action")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
