"""Settings of the Pacte tracker, driven by environment variables.

Embedded defaults (no variable set, DEBUG=1): SQLite under ``var/``, Celery on the
filesystem transport under ``var/broker/``, e-mails written under ``var/mail/``.
Services mode: set ``DATABASE_URL``, ``CELERY_BROKER_URL`` and ``EMAIL_URL``.
"""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from backend.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set (or SECRET_KEY_FILE), or DEBUG=1 for local development.")
    SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "backend.admin.PacteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "accounts",
    "officials",
    "campaigns",
    "tasks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if not DEBUG:
    # Gunicorn serves the admin's and the API docs' static files itself (runserver does in DEBUG).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
ASGI_APPLICATION = "backend.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite file by default, anything dj-database-url understands otherwise.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # The web server, the worker and beat write to the same file: WAL lets readers
        # go on while one writes, and IMMEDIATE transactions avoid deadlocked upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # A file, not memory: integration tests start worker processes that must see it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first: people read French, code and API fields are English.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# REST API
REST_FRAMEWORK = {
    # Token first: anonymous calls get a 401 with a WWW-Authenticate header, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "backend.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "backend.schema.AutoSchema",
    "EXCEPTION_HANDLER": "backend.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Pacte tracker API",
    "DESCRIPTION": (
        "Suivi des engagements du Pacte pour la Transition : pactes, communes, élu·es, "
        "engagements, bilans, actions et interpellations."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" or a "role": name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "MunicipalityKindEnum": "officials.models.Municipality.Kind",
        "MandateRoleEnum": "officials.models.Mandate.Role",
        "MeasureKindEnum": "campaigns.models.Measure.Kind",
        "ActionKindEnum": "campaigns.models.Action.Kind",
        "MembershipRoleEnum": "campaigns.models.Membership.Role",
        "ActionOutcomeEnum": "campaigns.models.Action.Outcome",
        "PledgeOutcomeEnum": "campaigns.models.Pledge.Outcome",
        "CampaignStatusEnum": "campaigns.models.Campaign.Status",
        "AssessmentStatusEnum": "campaigns.models.AssessmentStatus",
        "ReviewCycleStatusEnum": "campaigns.models.ReviewCycle.Status",
        "LetterReplyOutcomeEnum": "campaigns.models.Letter.ReplyOutcome",
        "LetterStatusEnum": "campaigns.models.Letter.Status",
        "LetterTemplateKindEnum": "campaigns.models.LetterTemplate.Kind",
    },
}

# Celery: a broker that needs no server unless CELERY_BROKER_URL says otherwise.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Broadcast (control) messages; by default kombu writes them in the current folder.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        "polling_interval": 0.1,  # seconds; kombu's 1 s default idles a pool process after each task
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Redis redelivers an unacknowledged task after this many seconds: it must be
        # longer than the longest task, or a slow task runs twice.
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = env_int("CELERY_WORKER_PREFETCH_MULTIPLIER", 1)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 1500)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 1800)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Task modules by name: the Celery wiring is the one place that knows them all.
CELERY_IMPORTS = ["tasks.outbox_tasks", "tasks.digests", "tasks.letters"]


def _email_settings(url: str) -> dict:
    """Translate ``EMAIL_URL`` into Django's e-mail settings.

    smtp://user:pass@host:25 (plain, or ?tls=1 for STARTTLS), smtps://… (implicit TLS),
    console://, file:///path/to/dir, locmem://.
    """
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if parts.scheme in ("smtp", "smtps"):
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": query.get("tls", "0").lower() in ("1", "true", "yes"),
            "EMAIL_TIMEOUT": int(query.get("timeout", "30")),
        }
    raise ImproperlyConfigured(f"EMAIL_URL: unsupported scheme {parts.scheme!r} in {url!r}.")


globals().update(_email_settings(env_str("EMAIL_URL", f"file://{VAR_DIR / 'mail'}")))
# Public address of the site, for links in e-mails (invitations, letters).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pacte tracker <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# E-mail outbox (tasks/outbox.py).
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 50)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_BACKOFF_BASE = env_int("OUTBOX_BACKOFF_BASE", 30)  # seconds, doubled at each attempt
OUTBOX_BACKOFF_CAP = env_int("OUTBOX_BACKOFF_CAP", 3600)
OUTBOX_STALE_AFTER = env_int("OUTBOX_STALE_AFTER", 600)  # a row "sending" longer than this was abandoned
OUTBOX_RING_GRACE = env_int("OUTBOX_RING_GRACE", 30)  # the sweeper leaves fresh rows to their own doorbell
OUTBOX_MESSAGE_ID_DOMAIN = env_str("OUTBOX_MESSAGE_ID_DOMAIN", "pacte-tracker.local")
# "domain=per minute,…", e.g. "orange.fr=30,wanadoo.fr=30"
OUTBOX_DOMAIN_RATE_LIMITS = {
    domain.strip().lower(): int(limit)
    for domain, _sep, limit in (item.partition("=") for item in env_list("OUTBOX_DOMAIN_RATE_LIMITS"))
}
OUTBOX_RECIPIENT_POLICIES = ["officials.policies.do_not_email"]
JOB_USER_SCOPES = "campaigns.access.job_scopes"
LETTERS_CHUNK_SIZE = env_int("LETTERS_CHUNK_SIZE", 25)  # letters per rendering task: bounds a worker's memory
# Days before a review cycle closes when collectives get the digest of what is still unassessed.
REVIEW_DIGEST_DAYS_BEFORE = [int(day) for day in env_list("REVIEW_DIGEST_DAYS_BEFORE", "7,2")]

# Production hardening: on unless DEBUG, each switch overridable for a proxy set-up.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
