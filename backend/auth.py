"""Sign-in and password-reset entry points, throttled, their e-mails through the outbox."""

import datetime as dt

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django.urls import path
from django.utils import timezone
from rest_framework.authtoken.views import ObtainAuthToken

from core.throttling import (
    LoginAccountThrottle,
    LoginIPThrottle,
    PasswordResetAccountThrottle,
    PasswordResetIPThrottle,
    throttle_form_view,
)
from tasks.outbox.services import email_queue, email_queued_since

LOGIN_THROTTLES = [LoginIPThrottle, LoginAccountThrottle]
PASSWORD_RESET_THROTTLES = [PasswordResetIPThrottle, PasswordResetAccountThrottle]
PASSWORD_RESET_REPEAT_AFTER = dt.timedelta(minutes=1)


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password-reset form, whose e-mail is queued in the outbox (retries, rate
    limits, refused recipients) instead of sent from the web request."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        family = f"password-reset:{context['user'].pk}:"
        # The token changes with the second of the request, so the key alone lets through
        # a double click that straddles a second: one e-mail per account and minute.
        if email_queued_since(family, timezone.now() - PASSWORD_RESET_REPEAT_AFTER):
            return
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body_html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else ""
        email_queue(
            to=[to_email],
            subject=subject,
            body_text=loader.render_to_string(email_template_name, context),
            body_html=body_html,
            from_email=from_email or "",
            idempotency_key=f"{family}{context['token']}",
        )


class ThrottledObtainAuthToken(ObtainAuthToken):
    throttle_classes = LOGIN_THROTTLES
    # No authentication on the token endpoint itself: a stale token header must not refuse a login.
    authentication_classes = []


obtain_auth_token = ThrottledObtainAuthToken.as_view()
password_reset = throttle_form_view(
    auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
    PASSWORD_RESET_THROTTLES,
    error_field="email",
)
# The browsable API's sign-in page, under the names its templates use.
browsable_api_auth = (
    [
        path(
            "login/",
            throttle_form_view(
                auth_views.LoginView.as_view(template_name="rest_framework/login.html"), LOGIN_THROTTLES
            ),
            name="login",
        ),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    ],
    "rest_framework",
)
