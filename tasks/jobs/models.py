from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A long operation run in the background, with its progress and result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        RUNNING = "running", _("en cours")
        SUCCEEDED = "succeeded", _("terminée")
        FAILED = "failed", _("échec")

    kind = models.CharField(_("type"), max_length=50)
    # Who besides its creator and staff may follow the job, e.g. "collective:12"; the
    # policy of settings.JOB_USER_SCOPES tells the scopes of a user.
    scope = models.CharField(_("portée"), max_length=64, blank=True, db_index=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("fait"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    result = models.JSONField(_("résultat"), default=dict, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("créée par"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    started_at = models.DateTimeField(_("démarrée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finie le"), null=True, blank=True)
    # Last sign of life (start, progress, resume): a job silent for long was left behind.
    progressed_at = models.DateTimeField(_("dernière avancée"), null=True, blank=True)

    class Meta:
        verbose_name = _("tâche")
        verbose_name_plural = _("tâches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"
