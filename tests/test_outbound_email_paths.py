"""Every e-mail the platform sends goes through the outbox (retries, idempotency, rate and
recipient limits): password resets and error reports too, never straight from a request."""

import ast
import datetime as dt
import logging
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tasks.outbox.models import OutboundEmail
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
SENDERS = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers", "EmailMessage", "EmailMultiAlternatives"}


def test_a_password_reset_is_queued_in_the_outbox_not_sent_from_the_request():
    UserFactory(email="camille@example.org")

    response = Client().post("/accounts/password_reset/", {"email": "camille@example.org"})

    assert response.status_code == 302
    assert mail.outbox == []
    [email] = OutboundEmail.objects.all()
    assert email.to == ["camille@example.org"]
    assert "/accounts/reset/" in email.body_text
    assert "réinitialisation" in email.subject.lower()


def test_a_double_click_on_password_reset_queues_one_email():
    UserFactory(email="camille@example.org")
    client = Client()

    client.post("/accounts/password_reset/", {"email": "camille@example.org"})
    client.post("/accounts/password_reset/", {"email": "camille@example.org"})

    assert OutboundEmail.objects.count() == 1


def test_a_double_click_across_a_second_queues_one_email(monkeypatch):
    # The reset token carries the second it was made: the two clicks of a double click
    # can fall on both sides of a second and make two different tokens.
    from django.contrib.auth.tokens import default_token_generator

    UserFactory(email="camille@example.org")
    client = Client()
    clicks = iter([dt.datetime(2026, 12, 2, 0, 28, 59, 900_000), dt.datetime(2026, 12, 2, 0, 29, 0, 100_000)])
    monkeypatch.setattr(default_token_generator, "_now", lambda: next(clicks))

    client.post("/accounts/password_reset/", {"email": "camille@example.org"})
    client.post("/accounts/password_reset/", {"email": "camille@example.org"})

    assert OutboundEmail.objects.count() == 1


def test_a_reset_asked_again_a_few_minutes_later_is_queued_again(monkeypatch):
    from django.contrib.auth.tokens import default_token_generator

    UserFactory(email="camille@example.org")
    client = Client()
    asks = iter([dt.datetime(2026, 12, 2, 0, 30), dt.datetime(2026, 12, 2, 0, 33)])
    monkeypatch.setattr(default_token_generator, "_now", lambda: next(asks))
    client.post("/accounts/password_reset/", {"email": "camille@example.org"})
    OutboundEmail.objects.update(created_at=timezone.now() - dt.timedelta(minutes=3))

    client.post("/accounts/password_reset/", {"email": "camille@example.org"})

    assert OutboundEmail.objects.count() == 2


def test_error_reports_to_admins_are_queued_once_per_error_and_hour(settings, rf):
    settings.ADMINS = [("", "astreinte@example.org")]
    logger = logging.getLogger("django.request")

    for _ in range(3):
        logger.error("Internal Server Error: /api/", extra={"status_code": 500, "request": rf.get("/api/")})

    assert mail.outbox == []
    [email] = OutboundEmail.objects.all()
    assert email.to == ["astreinte@example.org"]
    assert "Internal Server Error" in email.subject


def test_no_module_sends_mail_but_the_outbox():
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in (".venv", "tests", "bench") or relative == Path("tasks/outbox/services.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "id", None) or getattr(node, "attr", None)
            if isinstance(node, (ast.Name, ast.Attribute)) and name in SENDERS:
                offenders.append(f"{relative}:{node.lineno} {name}")
            if isinstance(node, ast.alias) and node.name in SENDERS:
                offenders.append(f"{relative}:{node.lineno} {node.name}")

    assert offenders == []
