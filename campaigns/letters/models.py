from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.advocacy.models import Action, Campaign
from campaigns.collectives.models import Collective
from core.text import of
from officials.models import Mandate, Municipality, Official


class LetterTemplate(models.Model):
    """A letter body in the sandboxed template language, with its subject."""

    class Kind(models.TextChoices):
        INTERPELLATION = "interpellation", _("interpellation sur les mesures signées")
        MEETING_REQUEST = "meeting_request", _("demande de rendez-vous")
        FOLLOW_UP = "follow_up", _("relance")
        FREE = "free", _("libre")

    collective = models.ForeignKey(
        Collective,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="letter_templates",
        verbose_name=_("collectif"),
        help_text=_("Vide : modèle partagé par l'équipe nationale avec tous les collectifs."),
    )
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.FREE)
    subject = models.CharField(_("objet"), max_length=300)
    body = models.TextField(_("corps"), help_text=_("Langage de modèle : voir les champs de fusion documentés."))
    closing = models.TextField(
        _("formule de politesse"),
        blank=True,
        default="Nous vous prions d'agréer, {{ official.salutation }}, l'expression de notre haute considération.",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("modèle de courrier")
        verbose_name_plural = _("modèles de courrier")
        ordering = ["collective_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "name"],
                name="unique_template_name",
                violation_error_message=_("Un modèle porte déjà ce nom."),
            ),
            # The constraint above skips shared templates (NULL collective): this one covers them.
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(collective__isnull=True),
                name="unique_shared_template_name",
                violation_error_message=_("Un modèle porte déjà ce nom."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# A rendered subject: the template's subject (300 characters) with its merge fields filled.
SUBJECT_LENGTH = 500


def rendered_subject(text: str) -> str:
    """A rendered subject as stored: one line, within SUBJECT_LENGTH."""
    return " ".join(text.split())[:SUBJECT_LENGTH]


def downloads_path(interpellation, filename: str) -> str:
    return f"letters/{interpellation.pk}/{filename}"


class Interpellation(models.Model):
    """One sending of a letter to many officials."""

    class Delivery(models.TextChoices):
        PDF = "pdf", _("PDF seulement (courrier papier)")
        EMAIL = "email", _("courriel quand c'est possible, PDF sinon")

    class RecipientRule(models.TextChoices):
        NONE = "", _("aucune (élu·es choisi·es)")
        MAYORS_AND_DEPUTIES = (
            "mayors_and_deputies",
            _("maire et adjoint·es des communes des pactes signés de la campagne"),
        )
        MAYORS = "mayors", _("maires des communes des pactes signés de la campagne")
        COUNCIL = "council", _("tout le conseil municipal des communes des pactes signés de la campagne")

    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="interpellations", verbose_name=_("collectif")
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interpellations",
        verbose_name=_("campagne"),
    )
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, related_name="interpellations", verbose_name=_("modèle")
    )
    subject = models.CharField(_("objet"), max_length=300, blank=True, help_text=_("Vide : l'objet du modèle."))
    # What people call it: the subject as the first letter reads, never the template's source.
    title = models.CharField(_("objet du premier courrier"), max_length=SUBJECT_LENGTH, blank=True, editable=False)
    recipient_rule = models.CharField(
        _("règle de destinataires"), max_length=30, choices=RecipientRule.choices, blank=True
    )
    delivery = models.CharField(_("envoi"), max_length=5, choices=Delivery.choices, default=Delivery.PDF)
    town_hall_email = models.BooleanField(
        _("écrire à la mairie à défaut"),
        default=True,
        help_text=_(
            "Par courriel : un·e élu·e sans adresse électronique connue reçoit le courrier à celle de la mairie, "
            "« à l'attention de » son nom."
        ),
    )
    remind_after_days = models.PositiveSmallIntegerField(
        _("relancer après (jours)"), null=True, blank=True, help_text=_("Vide : pas de relance.")
    )
    max_reminders = models.PositiveSmallIntegerField(_("nombre maximal de relances"), default=0)
    reminder_template = models.ForeignKey(
        LetterTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modèle de relance"),
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
    job = models.ForeignKey(
        "tasks.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("tâche")
    )
    # Built once by the worker when every letter is rendered, then served as they are.
    letters_pdf = models.FileField(_("tous les courriers (PDF)"), upload_to=downloads_path, blank=True, editable=False)
    letters_zip = models.FileField(_("tous les courriers (ZIP)"), upload_to=downloads_path, blank=True, editable=False)
    reminders_pdf = models.FileField(_("relances à poster (PDF)"), upload_to=downloads_path, blank=True, editable=False)

    class Meta:
        verbose_name = _("interpellation")
        verbose_name_plural = _("interpellations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        if self.title:
            return self.title
        return _("Interpellation n° %(id)s") % {"id": self.pk}


def letter_pdf_path(letter, filename: str) -> str:
    return f"letters/{letter.interpellation_id}/{filename}"


def reply_file_path(letter, filename: str) -> str:
    return f"replies/{letter.interpellation_id}/{letter.pk}-{filename}"


class Letter(models.Model):
    """One letter to one official."""

    class Status(models.TextChoices):
        # draft → to post → posted (paper) / sending → sent (e-mail) → answered; failed.
        DRAFT = "draft", _("brouillon")
        TO_POST = "to_post", _("à poster")
        POSTED = "posted", _("posté")
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("échec")
        ANSWERED = "answered", _("réponse reçue")

    class Channel(models.TextChoices):
        PAPER = "paper", _("courrier papier")
        EMAIL = "email", _("courriel")

    class ChannelReason(models.TextChoices):
        """Why a letter went by its channel (campaigns.letters.services.addressing decides)."""

        OFFICIAL_EMAIL = "official_email", _("courriel à l'adresse de l'élu·e")
        TOWN_HALL_EMAIL = "town_hall_email", _("courriel à la mairie, à l'attention de l'élu·e")
        PAPER_CHOSEN = "paper_chosen", _("courrier papier choisi pour l'interpellation")
        OFFICIAL_REFUSES_EMAIL = "refuses_email", _("l'élu·e ne souhaite pas être contacté·e par courriel")
        TOWN_HALL_NOT_CHOSEN = (
            "town_hall_not_chosen",
            _("pas d'adresse de l'élu·e, et l'envoi à la mairie n'est pas choisi"),
        )
        NO_EMAIL = "no_email", _("aucune adresse électronique utilisable")
        DAILY_LIMIT = "daily_limit", _("limite quotidienne de courriels à cet·te élu·e atteinte")

    class ReplyOutcome(models.TextChoices):
        POSITIVE = "positive", _("favorable")
        PARTIAL = "partial", _("en partie favorable")
        NEGATIVE = "negative", _("défavorable")
        NEUTRAL = "neutral", _("sans position")

    interpellation = models.ForeignKey(
        Interpellation, on_delete=models.CASCADE, related_name="letters", verbose_name=_("interpellation")
    )
    official = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="letters", verbose_name=_("élu·e"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="letters", verbose_name=_("commune")
    )
    role = models.CharField(_("fonction"), max_length=32, choices=Mandate.Role.choices, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    channel = models.CharField(_("canal"), max_length=5, choices=Channel.choices, default=Channel.PAPER)
    channel_reason = models.CharField(_("raison du canal"), max_length=20, choices=ChannelReason.choices, blank=True)
    channel_note = models.CharField(_("précision sur le canal"), max_length=300, blank=True)
    recipient_email = models.EmailField(
        _("adresse du courriel"), blank=True, help_text=_("Celle de l'élu·e, ou de la mairie à son attention.")
    )
    subject = models.CharField(_("objet"), max_length=SUBJECT_LENGTH, blank=True, editable=False)
    html = models.TextField(_("HTML rendu"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to=letter_pdf_path, blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), default=0)
    error = models.TextField(_("erreur"), blank=True)
    email = models.ForeignKey(
        "tasks.OutboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("courriel"),
    )
    rendered_at = models.DateTimeField(_("préparé le"), null=True, blank=True)
    posted_on = models.DateField(_("posté le"), null=True, blank=True)
    # When the letter left: the e-mail accepted by the SMTP server, or the posting date. Reminders,
    # reply rates and the "courrier" action count from it, never from the rendering.
    sent_at = models.DateTimeField(_("parti le"), null=True, blank=True)
    action = models.OneToOneField(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letter",
        editable=False,
        verbose_name=_("action « courrier »"),
    )
    reminders_sent = models.PositiveSmallIntegerField(_("relances envoyées"), default=0)
    last_reminder_at = models.DateTimeField(_("dernière relance"), null=True, blank=True)
    reply_date = models.DateField(_("date de la réponse"), null=True, blank=True)
    reply_summary = models.TextField(_("résumé de la réponse"), blank=True)
    reply_file = models.FileField(_("réponse (fichier)"), upload_to=reply_file_path, blank=True)
    reply_outcome = models.CharField(_("teneur de la réponse"), max_length=10, choices=ReplyOutcome.choices, blank=True)

    class Meta:
        verbose_name = _("courrier")
        verbose_name_plural = _("courriers")
        ordering = ["interpellation", "municipality_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interpellation", "official"],
                name="unique_letter_per_official",
                violation_error_message=_("Cet·te élu·e a déjà un courrier dans cette interpellation."),
            )
        ]
        indexes = [models.Index(fields=["status", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.subject or self.interpellation} → {self.official}"


class LetterReminder(models.Model):
    """A reminder ("relance") of a letter without reply: one row per (letter, number), so
    that a reminder run twice, or on two beat processes, never makes a second copy."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("courrier"))
    number = models.PositiveSmallIntegerField(_("numéro"))
    channel = models.CharField(_("canal"), max_length=5, choices=Letter.Channel.choices)
    # The letter's states but "answered": draft (claimed, rendering) → to post → posted, or
    # sending → sent; failed with its reason.
    status = models.CharField(_("état"), max_length=10, choices=Letter.Status.choices, default=Letter.Status.DRAFT)
    claimed_at = models.DateTimeField(_("prise en charge le"), null=True, blank=True)
    posted_on = models.DateField(_("postée le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("partie le"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    subject = models.CharField(_("objet"), max_length=SUBJECT_LENGTH, blank=True, editable=False)
    pdf = models.FileField(_("PDF"), upload_to="reminders/", blank=True)
    email = models.ForeignKey(
        "tasks.OutboundEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("courriel"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("relance")
        verbose_name_plural = _("relances")
        ordering = ["letter", "number"]
        constraints = [models.UniqueConstraint(fields=["letter", "number"], name="unique_reminder_number")]

    def __str__(self) -> str:
        if self.subject:
            return _("Relance n°%(number)s : %(subject)s") % {"number": self.number, "subject": self.subject}
        return _("Relance n°%(number)s %(of_letter)s") % {"number": self.number, "of_letter": of(self.letter)}
