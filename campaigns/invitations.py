"""Invitation e-mail of a new member: a set-password link from Django's password-reset
machinery (token valid PASSWORD_RESET_TIMEOUT seconds)."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _


def set_password_url(user) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def send_invitation(user, collective) -> None:
    context = {"user": user, "collective": collective, "url": set_password_url(user), "site_url": settings.SITE_URL}
    send_mail(
        subject=_("Invitation à rejoindre le collectif « %(name)s »") % {"name": collective.name},
        message=render_to_string("campaigns/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
