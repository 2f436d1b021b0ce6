from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import of
from officials.models import Municipality


class Collective(models.Model):
    """A local collective that follows the municipalities of its territory."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    description = models.TextField(_("présentation"), blank=True)
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    postal_address = models.TextField(_("adresse postale"), blank=True, help_text=_("Bloc expéditeur des courriers."))
    territory = models.ManyToManyField(
        Municipality, blank=True, related_name="collectives", verbose_name=_("communes suivies")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="collectives", verbose_name=_("membres")
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("collectif local")
        verbose_name_plural = _("collectifs locaux")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("membre")
        COORDINATOR = "coordinator", _("coordinateur·rice")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("personne")
    )
    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("collectif")
    )
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(
        _("qualité"), max_length=100, blank=True, help_text=_("Par exemple « co-présidente », pour les signatures.")
    )
    signs_letters = models.BooleanField(_("signe les courriers"), default=False)
    joined_at = models.DateTimeField(_("arrivé·e le"), auto_now_add=True)

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        ordering = ["collective", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "collective"],
                name="unique_membership",
                violation_error_message=_("Cette personne est déjà membre du collectif."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.collective} ({self.get_role_display()})"


class Invitation(models.Model):
    """An invitation to join a collective: a membership only once the person accepts, so that
    a coordinator enrols nobody by force and learns nothing about an account before that."""

    class State(models.TextChoices):
        PENDING = "pending", _("en attente")
        ACCEPTED = "accepted", _("acceptée")
        DECLINED = "declined", _("déclinée")

    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("collectif")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("personne invitée"),
    )
    email = models.EmailField(_("courriel"), help_text=_("L'adresse saisie par la personne qui invite."))
    role = models.CharField(_("rôle"), max_length=12, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    title = models.CharField(_("qualité"), max_length=100, blank=True)
    signs_letters = models.BooleanField(_("signe les courriers"), default=False)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invité·e par"),
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("réponse le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "user"],
                condition=models.Q(state="pending"),
                name="unique_pending_invitation",
                violation_error_message=_("Une invitation attend déjà la réponse de cette personne."),
            )
        ]

    def __str__(self) -> str:
        return _("Invitation %(of_email)s au collectif %(collective)s") % {
            "of_email": of(self.email),
            "collective": self.collective,
        }


class TerritoryRequest(models.Model):
    """A coordinator's request to add a municipality to the collective's territory, which
    staff approve or refuse: the territory lets members assess, read reviews in progress and
    record pledges there."""

    class State(models.TextChoices):
        PENDING = "pending", _("en attente")
        APPROVED = "approved", _("acceptée")
        REFUSED = "refused", _("refusée")

    collective = models.ForeignKey(
        Collective, on_delete=models.CASCADE, related_name="territory_requests", verbose_name=_("collectif")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="territory_requests", verbose_name=_("commune")
    )
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demandée par"),
    )
    requested_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande d'ajout au territoire")
        verbose_name_plural = _("demandes d'ajout au territoire")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "municipality"],
                condition=models.Q(state="pending"),
                name="unique_pending_territory_request",
                violation_error_message=_("Une demande pour cette commune attend déjà une décision."),
            )
        ]

    def __str__(self) -> str:
        return _("%(municipality)s pour %(collective)s") % {
            "municipality": self.municipality,
            "collective": self.collective,
        }
