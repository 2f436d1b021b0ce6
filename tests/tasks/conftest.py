import pytest

from tests.support.smtp import HOST, SmtpServer


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback that records what it receives."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_backend(settings, smtp_server) -> SmtpServer:
    """Django sends through ``smtp_server`` instead of pytest-django's locmem backend."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = HOST, smtp_server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return smtp_server
