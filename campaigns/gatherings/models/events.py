"""An event and what happened there: its programme and speakers, who came (collectives and
participants counted by category), and the resources shared afterwards."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.collectives.models import Collective
from officials.models import Municipality, Official

# Free texts are bounded by these (the model's validators and the API's fields).
DESCRIPTION_MAX_LENGTH = 5000
WRITE_UP_MAX_LENGTH = 20000
PARTNERS_MAX_COUNT = 30
REQUESTS_MAX_COUNT = 30
LIST_ITEM_MAX_LENGTH = 300
PARTICIPANTS_MAX = 100_000  # per category: a bound, far above any gathering


def bounded_text(verbose_name, max_length: int, **kwargs) -> models.TextField:
    return models.TextField(
        verbose_name, blank=True, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs
    )


class Event(models.Model):
    """A gathering of the network: a regional or local meeting, a training, a round table…"""

    class Kind(models.TextChoices):
        REGIONAL_GATHERING = "regional_gathering", _("rencontre régionale")
        LOCAL_GATHERING = "local_gathering", _("rencontre locale")
        TRAINING = "training", _("formation")
        ROUND_TABLE = "round_table", _("table ronde")
        PUBLIC_MEETING = "public_meeting", _("réunion publique")
        SHOW = "show", _("spectacle")
        PRACTITIONERS_MEETING = "practitioners_meeting", _("rencontre de praticien·nes")

    collective = models.ForeignKey(
        Collective,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("collectif organisateur"),
        help_text=_("Ses membres tiennent la fiche de la rencontre à jour."),
    )
    co_organisers = models.ManyToManyField(
        Collective, blank=True, related_name="co_organised_events", verbose_name=_("collectifs co-organisateurs")
    )
    partners = models.JSONField(
        _("organisations partenaires"), default=list, blank=True, help_text=_("Une organisation par ligne.")
    )
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices)
    start_date = models.DateField(_("date de début"))
    start_time = models.TimeField(_("heure de début"), null=True, blank=True)
    end_date = models.DateField(_("date de fin"), null=True, blank=True, help_text=_("Vide : le même jour."))
    end_time = models.TimeField(_("heure de fin"), null=True, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="events", verbose_name=_("commune")
    )
    venue = models.CharField(_("lieu"), max_length=200, blank=True, help_text=_("Par exemple « Salle Marcel Pagnol »."))
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    description = bounded_text(_("présentation"), DESCRIPTION_MAX_LENGTH)
    follows = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("suite de la rencontre"),
    )
    is_public = models.BooleanField(
        _("publique"), default=True, help_text=_("Décochée : seuls les membres des collectifs la voient.")
    )
    attending_collectives = models.ManyToManyField(
        Collective, blank=True, related_name="attended_events", verbose_name=_("collectifs présents")
    )
    next_subject = models.CharField(_("sujet de la prochaine rencontre"), max_length=300, blank=True)
    requests = models.JSONField(
        _("demandes exprimées"), default=list, blank=True, help_text=_("Par exemple « une carte des initiatives ».")
    )
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
        verbose_name = _("rencontre")
        verbose_name_plural = _("rencontres")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["municipality", "start_date"]),
            models.Index(fields=["is_public", "start_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_start",
                violation_error_message=_("La date de fin de la rencontre précède sa date de début."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.start_date:%d/%m/%Y} — {self.title}"

    @property
    def last_date(self):
        return self.end_date or self.start_date


class ProgrammeItem(models.Model):
    """One slot of the programme: a workshop, a training, a round table…"""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("atelier")
        TRAINING = "training", _("formation")
        ROUND_TABLE = "round_table", _("table ronde")
        TALK = "talk", _("intervention")
        SHOW = "show", _("spectacle")
        CONVIVIAL = "convivial", _("temps convivial")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme", verbose_name=_("rencontre"))
    date = models.DateField(_("jour"))
    start_time = models.TimeField(_("début"), null=True, blank=True)
    end_time = models.TimeField(_("fin"), null=True, blank=True)
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    question = models.CharField(
        _("question traitée"), max_length=500, blank=True, help_text=_("La question à laquelle la table ronde répond.")
    )
    description = bounded_text(_("présentation"), DESCRIPTION_MAX_LENGTH)
    write_up = bounded_text(_("compte rendu"), WRITE_UP_MAX_LENGTH, help_text=_("Écrit après la rencontre."))

    class Meta:
        verbose_name = _("temps du programme")
        verbose_name_plural = _("programme")
        ordering = ["event", "date", models.F("start_time").asc(nulls_first=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | models.Q(start_time__isnull=True)
                | models.Q(end_time__gte=models.F("start_time")),
                name="programme_item_ends_after_start",
                violation_error_message=_("L'heure de fin précède l'heure de début."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Speaker(models.Model):
    """Who speaks in a programme item: an official of the database, or anyone else by name."""

    item = models.ForeignKey(
        ProgrammeItem, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("temps du programme")
    )
    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="speeches",
        verbose_name=_("élu·e"),
        help_text=_("Un·e élu·e de la base ; sinon, le nom."),
    )
    name = models.CharField(_("nom"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("qualité"), max_length=200, blank=True, help_text=_("Par exemple « députée »."))
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("intervenant·e")
        verbose_name_plural = _("intervenant·es")
        ordering = ["item", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(official__isnull=False) | ~models.Q(name=""),
                name="speaker_is_named",
                violation_error_message=_("Choisissez un·e élu·e ou donnez le nom de la personne."),
            )
        ]

    def __str__(self) -> str:
        return str(self.official) if self.official_id else self.name


class ParticipantCount(models.Model):
    """How many participants of one category came; each event sets its own categories."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participant_counts", verbose_name=_("rencontre")
    )
    category = models.CharField(
        _("catégorie"), max_length=100, help_text=_("Par exemple « agent·es », « consultant·es », « élu·es ».")
    )
    count = models.PositiveIntegerField(_("nombre"), validators=[MaxValueValidator(PARTICIPANTS_MAX)])
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("participant·es d'une catégorie")
        verbose_name_plural = _("participant·es par catégorie")
        ordering = ["event", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "category"],
                name="unique_participant_category",
                violation_error_message=_("Cette catégorie est déjà comptée pour cette rencontre."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} : {self.count}"


def resource_file_path(resource, filename: str) -> str:
    return f"gatherings/{resource.event_id}/{filename}"


class EventResource(models.Model):
    """A link or a file shared after the event: method sheets, SWOT and "3C" sheets, playlists…"""

    class Kind(models.TextChoices):
        METHOD_SHEET = "method_sheet", _("fiche méthode")
        TOOL_SHEET = "tool_sheet", _("fiche outil (AFOM, 3C…)")
        REPORT = "report", _("compte rendu")
        PLAYLIST = "playlist", _("playlist")
        PHOTO = "photo", _("photo")
        OTHER = "other", _("autre")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="resources", verbose_name=_("rencontre"))
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    url = models.URLField(_("lien"), max_length=500, blank=True)
    file = models.FileField(_("fichier"), upload_to=resource_file_path, max_length=300, blank=True)
    is_public = models.BooleanField(
        _("publique"), default=True, help_text=_("Décochée : seuls les membres des collectifs la voient.")
    )
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["event", "kind", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(url="") & ~models.Q(file="")) | (~models.Q(url="") & models.Q(file="")),
                name="resource_is_a_link_or_a_file",
                violation_error_message=_("Une ressource est un lien ou un fichier (l'un des deux)."),
            )
        ]

    def __str__(self) -> str:
        return self.title
