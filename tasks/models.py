"""Every model of the app, for Django and for migrations (each lives in its concept's folder)."""

from tasks.jobs.models import Job
from tasks.outbox.models import EmailAttachment, OutboundEmail, attachment_path

__all__ = ["EmailAttachment", "Job", "OutboundEmail", "attachment_path"]
