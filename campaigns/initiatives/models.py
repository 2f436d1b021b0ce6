from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.advocacy.models import Campaign
from campaigns.collectives.models import Collective
from campaigns.pacts.models import Theme
from officials.models import Municipality

MAX_LINKS = 20


def validate_links(value) -> None:
    """A list of at most MAX_LINKS web addresses (the admin's form lets any JSON through)."""
    # Codes of their own: a form replaces the message of an "invalid" error by its field's.
    if not isinstance(value, list) or len(value) > MAX_LINKS:
        message = _("Une liste d'au plus %(max)s adresses web est attendue.") % {"max": MAX_LINKS}
        raise ValidationError(message, code="invalid_links")
    check = URLValidator(schemes=["http", "https"])
    for link in value:
        try:
            if not isinstance(link, str) or len(link) > 500:
                raise ValidationError("")
            check(link)
        except ValidationError:
            message = _("Lien « %(link)s » : une adresse web (http ou https) est attendue.") % {"link": str(link)[:100]}
            raise ValidationError(message, code="invalid_link") from None


class Initiative(models.Model):
    """Who does what on a territory: a collective, an association, a project, a public body,
    a person with the power to act, a territorial landmark."""

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("collectif")
        ASSOCIATION = "association", _("association")
        PROJECT = "project", _("projet")
        PUBLIC_BODY = "public_body", _("organisme public")
        PERSON = "person", _("personne qui a le pouvoir d'agir")
        LANDMARK = "landmark", _("marqueur territorial")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposée")
        VALIDATED = "validated", _("validée")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("commune")
    )
    # A point of its own; without one, the map places it at its municipality's centroid.
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="initiatives", verbose_name=_("thématiques"))
    contact = models.CharField(_("contact"), max_length=300, blank=True, help_text=_("Nom, téléphone…"))
    email = models.EmailField(_("courriel"), blank=True)
    links = models.JSONField(_("liens"), default=list, blank=True, validators=[validate_links])
    collective = models.ForeignKey(
        Collective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("collectif qui la suit"),
    )
    campaigns = models.ManyToManyField(
        Campaign, blank=True, related_name="initiatives", verbose_name=_("campagnes liées")
    )
    # Declared here, not on Event: the map sits above the gatherings and reads them.
    events = models.ManyToManyField(
        "campaigns.Event", blank=True, related_name="initiatives", verbose_name=_("rencontres liées")
    )
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    source = models.CharField(
        _("source"), max_length=100, blank=True, help_text=_("D'où vient la fiche : « csv », « gogocarto:… ».")
    )
    source_id = models.CharField(_("identifiant dans la source"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("créée par"),
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("validée par"),
    )
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["name", "id"]
        constraints = [
            # A re-import finds its row by (source, source id) and updates it.
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source_id=""),
                name="unique_initiative_source_id",
                violation_error_message=_("Une initiative de cette source porte déjà cet identifiant."),
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True, latitude__isnull=True)
                | models.Q(longitude__isnull=False, latitude__isnull=False),
                name="initiative_point_whole",
                violation_error_message=_("Un point a une longitude et une latitude, ou aucune des deux."),
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"]), models.Index(fields=["latitude", "longitude"])]

    def __str__(self) -> str:
        return self.name
