from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.collectives.models import Collective
from campaigns.pacts.models import Measure, MeasureLevel, Pact
from officials.models import Municipality, Official


def counted_pledges(path: str = "") -> models.Q:
    """The one rule of which pledges count (reviews assess them, letters quote and address
    them): the elected list's. ``path`` leads to the pledge from another model ("pledge__")."""
    return models.Q(**{f"{path}election_outcome": Pledge.Outcome.ELECTED})


class Pledge(models.Model):
    """A municipal list signed a pact: the measures it committed to, at which level."""

    class Outcome(models.TextChoices):
        ELECTED = "elected", _("élue")
        NOT_ELECTED = "not_elected", _("non élue")
        UNKNOWN = "unknown", _("inconnu")

    pact = models.ForeignKey(Pact, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("pacte"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("commune")
    )
    list_name = models.CharField(_("nom de la liste"), max_length=200)
    head_of_list = models.ForeignKey(
        Official,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pledges_led",
        verbose_name=_("tête de liste"),
    )
    head_of_list_name = models.CharField(
        _("nom de la tête de liste"), max_length=200, blank=True, help_text=_("Quand elle n'est pas (encore) élue.")
    )
    collective = models.ForeignKey(
        Collective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pledges",
        verbose_name=_("collectif qui l'a obtenu"),
    )
    signed_on = models.DateField(_("date de signature"), null=True, blank=True)
    election_outcome = models.CharField(
        _("résultat de l'élection"), max_length=12, choices=Outcome.choices, default=Outcome.UNKNOWN
    )
    notes = models.TextField(_("notes"), blank=True)
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
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("pacte signé")
        verbose_name_plural = _("pactes signés")
        ordering = ["municipality__name", "list_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pact", "municipality", "list_name"],
                name="unique_pledge_per_list",
                violation_error_message=_("Cette liste a déjà signé ce pacte dans cette commune."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.list_name} — {self.municipality.name} ({self.pact.name})"


class PledgedMeasure(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="measures", verbose_name=_("pacte signé"))
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="pledged_measures", verbose_name=_("mesure")
    )
    level = models.ForeignKey(
        MeasureLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("niveau")
    )
    local_wording = models.TextField(_("formulation locale"), blank=True)

    class Meta:
        verbose_name = _("mesure signée")
        verbose_name_plural = _("mesures signées")
        ordering = ["pledge", "measure__position", "measure__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "measure"],
                name="unique_pledged_measure",
                violation_error_message=_("Cette mesure figure déjà dans ce pacte signé."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.pledge} : {self.measure.code}"
