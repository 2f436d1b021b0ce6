"""Invitation e-mail: the link to accept it and, for a new account, a set-password link from
Django's password-reset machinery (valid PASSWORD_RESET_TIMEOUT seconds), sent through the outbox."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from tasks.outbox.services import email_queue


def set_password_url(user) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def send_invitation(invitation, new_account: bool) -> None:
    """Queue the invitation in the caller's transaction: it leaves only if the invitation
    commits. A new account also gets its set-password link; everyone accepts at the link."""
    user, collective = invitation.user, invitation.collective
    context = {
        "user": user,
        "collective": collective,
        "url": set_password_url(user) if new_account else "",
        "accept_url": f"{settings.SITE_URL}{reverse('invitation-list')}",
        "site_url": settings.SITE_URL,
    }
    email_queue(
        to=[invitation.email],
        subject=_("Invitation à rejoindre le collectif « %(name)s »") % {"name": collective.name},
        body_text=render_to_string("campaigns/email/invitation.txt", context),
        idempotency_key=f"invitation:{invitation.pk}",
        cause=collective,
    )
