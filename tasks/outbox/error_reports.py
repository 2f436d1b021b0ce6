"""Error reports to ADMINS (Django's ``mail_admins`` logging handler), through the outbox.

Loaded by the logging configuration, before the app registry: the outbox is imported
when a report is sent.
"""

import hashlib
import time

from django.conf import settings
from django.db import transaction
from django.utils.log import AdminEmailHandler


class OutboxAdminEmailHandler(AdminEmailHandler):
    """Queues the report instead of opening an SMTP session inside the failing request.

    The same error (same subject) reported again within the hour is the same e-mail (one idempotency
    key): an error on every request does not flood the admins.
    """

    def send_mail(self, subject, message, *args, **kwargs):
        recipients = [address for _name, address in settings.ADMINS]
        if not recipients:
            return
        from tasks.outbox.services import email_queue

        # The subject names the error and the path; the body varies with each request.
        digest = hashlib.sha256(subject.encode(errors="replace")).hexdigest()[:40]
        hour = int(time.time() // 3600)
        try:
            with transaction.atomic():
                email_queue(
                    to=recipients,
                    subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}"[:255],
                    body_text=message,
                    body_html=kwargs.get("html_message") or "",
                    from_email=settings.SERVER_EMAIL,
                    idempotency_key=f"admins:{digest}:{hour}",
                )
        except Exception:
            return
