"""The e-mail outbox: one row per e-mail to send, and its attachments. No domain app is imported."""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    """One e-mail to send. The row's status is the truth; the broker only rings the bell."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("échec")
        CANCELLED = "cancelled", _("annulé")

    idempotency_key = models.CharField(_("clé d'unicité"), max_length=200, unique=True)
    to = models.JSONField(_("destinataires"), default=list)
    cc = models.JSONField(_("copie"), default=list, blank=True)
    reply_to = models.JSONField(_("répondre à"), default=list, blank=True)
    from_email = models.CharField(_("expéditeur"), max_length=254, blank=True)
    subject = models.CharField(_("objet"), max_length=300)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    # The recipient's domain, for rate limits (lower-cased, first recipient).
    domain = models.CharField(_("domaine"), max_length=254, db_index=True, editable=False)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    # Stable across retries, so that a copy sent twice after an uncertain SMTP
    # transaction can be recognised as the same message.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    cause_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("type de l'objet à l'origine"),
    )  # fmt: skip
    cause_id = models.CharField(_("identifiant de l'objet à l'origine"), max_length=64, blank=True)
    cause = GenericForeignKey("cause_type", "cause_id")

    class Meta:
        verbose_name = _("courriel sortant")
        verbose_name_plural = _("courriels sortants")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["cause_type", "cause_id"]),
            models.Index(fields=["domain", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{', '.join(self.to)} — {self.subject}"


def attachment_path(instance, filename: str) -> str:
    return f"outbox/{instance.email_id}/{uuid.uuid4().hex[:8]}-{filename}"


class EmailAttachment(models.Model):
    email = models.ForeignKey(
        OutboundEmail, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("courriel")
    )
    file = models.FileField(_("fichier"), upload_to=attachment_path)
    filename = models.CharField(_("nom"), max_length=200)
    mimetype = models.CharField(_("type"), max_length=100, default="application/octet-stream")

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.filename
