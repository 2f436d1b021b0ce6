from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import fold


class Department(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    region_code = models.CharField(_("code de la région"), max_length=3, blank=True)
    region_name = models.CharField(_("région"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


# Five characters: digits, or 2A/2B and three digits in Corsica; arrondissements alike.
INSEE_CODE_PATTERN = r"^([0-9]{5}|2[AB][0-9]{3})$"
insee_code_validator = RegexValidator(
    INSEE_CODE_PATTERN,
    _("Code INSEE invalide : cinq chiffres, ou 2A/2B suivi de trois chiffres en Corse."),
    code="invalid_insee_code",
)


class Municipality(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "COM", _("commune")
        ARRONDISSEMENT = "ARM", _("arrondissement municipal")

    insee_code = models.CharField(_("code INSEE"), max_length=5, primary_key=True, validators=[insee_code_validator])
    name = models.CharField(_("nom"), max_length=150)
    # Lower-case, accent-free copy of the name: accent- and case-insensitive search on
    # every database without extensions.
    search_name = models.CharField(_("nom normalisé"), max_length=150, db_index=True, editable=False)
    kind = models.CharField(_("type"), max_length=3, choices=Kind.choices, default=Kind.COMMUNE)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("département")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arrondissements",
        verbose_name=_("commune parente"),
    )
    population = models.PositiveIntegerField(_("population municipale"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # The town hall's postal address (its "Adresse postale" when the directory gives one):
    # the lines above the postal code, the postal code, and the town as La Poste writes it.
    town_hall_address = models.TextField(
        _("adresse de la mairie"), blank=True, help_text=_("Lignes de l'adresse, sans le code postal ni la ville.")
    )
    town_hall_postal_code = models.CharField(_("code postal de la mairie"), max_length=5, blank=True)
    town_hall_town = models.CharField(
        _("ville de l'adresse de la mairie"),
        max_length=150,
        blank=True,
        help_text=_("Telle qu'elle s'écrit sous le code postal (« Salon-de-Provence Cedex ») ; vide : le nom."),
    )
    town_hall_email = models.EmailField(_("courriel de la mairie"), blank=True)
    town_hall_phone = models.CharField(_("téléphone de la mairie"), max_length=30, blank=True)
    website = models.URLField(_("site web"), blank=True)
    town_hall_directory_id = models.CharField(
        _("identifiant dans l'annuaire"), max_length=100, blank=True, editable=False
    )
    # Town hall fields a person set (admin or API): the directory import leaves them alone.
    town_hall_edited = models.JSONField(
        _("champs de la mairie saisis à la main"), default=list, blank=True, editable=False
    )
    # The centroid of the contour (import_contours): markers, bounding-box queries and
    # national views, where 35,000 polygons are too heavy. Floats with an index, no GIS.
    centroid_longitude = models.FloatField(_("longitude du centroïde"), null=True, blank=True, editable=False)
    centroid_latitude = models.FloatField(_("latitude du centroïde"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name", "insee_code"]
        indexes = [models.Index(fields=["centroid_latitude", "centroid_longitude"], name="municipality_centroid")]
        constraints = [
            models.CheckConstraint(
                condition=Q(insee_code__regex=INSEE_CODE_PATTERN),
                name="municipality_insee_code_format",
                violation_error_message=insee_code_validator.message,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.insee_code})"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def town_hall_postal_lines(self) -> list[str]:
        """The town hall's address as it is written on an envelope, or [] when its postal
        code is unknown (a letter cannot be posted without it)."""
        if not self.town_hall_postal_code:
            return []
        lines = [line.strip() for line in self.town_hall_address.splitlines() if line.strip()]
        return [*lines, f"{self.town_hall_postal_code} {self.town_hall_town or self.name}"]


# The town hall's contact fields, which the directory import fills and a person may edit.
TOWN_HALL_FIELDS = (
    "town_hall_address",
    "town_hall_postal_code",
    "town_hall_town",
    "town_hall_email",
    "town_hall_phone",
    "website",
)


class Contour(models.Model):
    """A simplified contour (GeoJSON geometry, WGS 84) kept apart from the row it draws, so
    that lists of municipalities never read polygons."""

    geometry = models.JSONField(_("contour (GeoJSON)"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        abstract = True


class MunicipalityContour(Contour):
    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, primary_key=True, related_name="contour", verbose_name=_("commune")
    )

    class Meta:
        verbose_name = _("contour de commune")
        verbose_name_plural = _("contours de communes")

    def __str__(self) -> str:
        return str(self.municipality_id)


class DepartmentContour(Contour):
    department = models.OneToOneField(
        Department, on_delete=models.CASCADE, primary_key=True, related_name="contour", verbose_name=_("département")
    )

    class Meta:
        verbose_name = _("contour de département")
        verbose_name_plural = _("contours de départements")

    def __str__(self) -> str:
        return str(self.department_id)


class Official(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "F", _("femme")
        MALE = "M", _("homme")

    last_name = models.CharField(_("nom"), max_length=150)
    first_name = models.CharField(_("prénom"), max_length=150)
    # Civility and agreement in letters ("Madame la Maire") follow it.
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(
        _("date de naissance"), null=True, blank=True, help_text=_("Donnée privée : jamais publiée.")
    )
    email = models.EmailField(_("courriel de contact"), blank=True)
    do_not_email = models.BooleanField(
        _("ne pas écrire par courriel"),
        default=False,
        help_text=_("Cet·te élu·e ne reçoit que des courriers papier."),
    )
    search_name = models.CharField(_("nom normalisé"), max_length=301, db_index=True, editable=False)
    # The RNE has no identifier of a person: imports match on a digest of the folded
    # name, first name, birth date and commune (see officials.importers.rne).
    identity_key = models.CharField(
        _("clé d'identité RNE"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("créé·e le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis·e à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("élu·e")
        verbose_name_plural = _("élu·es")
        ordering = ["last_name", "first_name", "id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.last_name} {self.first_name}")
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return str(self)


class MandateQuerySet(models.QuerySet):
    def current(self):
        return self.filter(end_date__isnull=True)

    def past(self):
        return self.filter(end_date__isnull=False)

    def in_protocol_order(self):
        """Mayor first, then deputies, then councillors: the order of a council's roll."""
        ranks = [models.When(role=role, then=rank) for rank, role in enumerate(Mandate.PROTOCOL_ORDER)]
        rank = models.Case(*ranks, default=len(ranks), output_field=models.IntegerField())
        return self.alias(role_rank=rank).order_by("role_rank", "start_date", "official__last_name", "pk")


class Mandate(models.Model):
    class Role(models.TextChoices):
        MAYOR = "maire", _("maire")
        DEPUTY_MAYOR = "adjoint", _("adjoint·e au maire")
        COUNCILLOR = "conseiller_municipal", _("conseiller·e municipal·e")
        COMMUNITY_COUNCILLOR = "conseiller_communautaire", _("conseiller·e communautaire")
        DEPARTMENTAL_COUNCILLOR = "conseiller_departemental", _("conseiller·e départemental·e")
        REGIONAL_COUNCILLOR = "conseiller_regional", _("conseiller·e régional·e")
        DEPUTY = "depute", _("député·e")
        SENATOR = "senateur", _("sénateur·rice")
        OTHER = "autre", _("autre")

    MUNICIPAL_ROLES = (Role.MAYOR, Role.DEPUTY_MAYOR, Role.COUNCILLOR)
    PROTOCOL_ORDER = (*MUNICIPAL_ROLES, Role.COMMUNITY_COUNCILLOR)

    class Source(models.TextChoices):
        RNE_COUNCILLORS = "rne_cm", _("RNE : conseillers municipaux")
        RNE_MAYORS = "rne_maires", _("RNE : maires")
        MANUAL = "manual", _("saisie manuelle")

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="mandates", verbose_name=_("élu·e"))
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("commune"),
    )
    role = models.CharField(_("fonction"), max_length=32, choices=Role.choices)
    function_label = models.CharField(
        _("libellé de la fonction"), max_length=200, blank=True, help_text=_("Tel que publié par la source.")
    )
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandat")
        verbose_name_plural = _("mandats")
        ordering = ["municipality_id", "role", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["official", "municipality", "role"],
                condition=Q(end_date__isnull=True),
                name="unique_current_mandate",
                violation_error_message=_("Cet·te élu·e a déjà ce mandat en cours dans cette commune."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="mandate_ends_after_start",
                violation_error_message=_("La fin du mandat précède son début."),
            ),
        ]
        indexes = [models.Index(fields=["municipality", "role", "end_date"])]

    def __str__(self) -> str:
        place = f" — {self.municipality.name}" if self.municipality_id else ""
        return f"{self.official} : {self.get_role_display()}{place}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None
