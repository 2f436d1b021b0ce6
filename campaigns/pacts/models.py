from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import fold

# A title or level not known yet says so: "Mesure 06 (intitulé à compléter depuis la liste
# officielle)". This one rule tells a person, the readiness check of letters and the API.
PLACEHOLDER_MARK = "a completer"


def is_placeholder(text: str) -> bool:
    """Whether ``text`` is a stand-in for a wording still unknown ("… à compléter …")."""
    return PLACEHOLDER_MARK in fold(text)


class Pact(models.Model):
    """An edition of a charter, such as the Pacte pour la Transition 2020."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    year = models.PositiveSmallIntegerField(_("année"))
    description = models.TextField(_("description"), blank=True)
    min_measures = models.PositiveSmallIntegerField(
        _("nombre minimal de mesures"),
        default=10,
        help_text=_("Mesures qu'une liste signataire doit choisir au moins."),
    )
    principles_required = models.BooleanField(_("principes transversaux obligatoires"), default=True)

    class Meta:
        verbose_name = _("pacte")
        verbose_name_plural = _("pactes")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="themes", verbose_name=_("pacte"))
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("nom"), max_length=150)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")
        ordering = ["pact", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pact", "code"], name="unique_theme_code", violation_error_message=_("Ce code existe déjà.")
            )
        ]

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    class Kind(models.TextChoices):
        PRINCIPLE = "principle", _("principe transversal")
        MEASURE = "measure", _("mesure")

    pact = models.ForeignKey(Pact, on_delete=models.CASCADE, related_name="measures", verbose_name=_("pacte"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.MEASURE)
    code = models.CharField(_("code"), max_length=10, help_text=_("« A » pour un principe, « 08 » pour une mesure."))
    title = models.CharField(_("intitulé"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures", verbose_name=_("thématique")
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("mesure")
        verbose_name_plural = _("mesures")
        ordering = ["pact", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["pact", "code"], name="unique_measure_code", violation_error_message=_("Ce code existe déjà.")
            )
        ]

    def __str__(self) -> str:
        prefix = _("Principe") if self.kind == self.Kind.PRINCIPLE else _("Mesure")
        return f"{prefix} {self.code} — {self.title}"

    @property
    def title_is_placeholder(self) -> bool:
        return is_placeholder(self.title)


class MeasureLevel(models.Model):
    """A level of ambition of a measure ("niveau"): rank 1 is the first step."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="levels", verbose_name=_("mesure"))
    rank = models.PositiveSmallIntegerField(_("niveau"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("niveau d'ambition")
        verbose_name_plural = _("niveaux d'ambition")
        ordering = ["measure", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "rank"],
                name="unique_level_rank",
                violation_error_message=_("Ce niveau existe déjà pour cette mesure."),
            ),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="level_rank_positive"),
        ]

    def __str__(self) -> str:
        return _("Niveau %(rank)s de la mesure %(code)s") % {"rank": self.rank, "code": self.measure.code}
