"""Settings of the Pacte tracker, driven by environment variables.

Embedded defaults (no variable set, DEBUG=1): SQLite under ``var/``, Celery on the
filesystem transport under ``var/broker/``, e-mails written under ``var/mail/``.
Services mode: set ``DATABASE_URL``, ``CELERY_BROKER_URL`` and ``EMAIL_URL``.
Importing this module creates nothing: the folders under ``var/`` are made when a process
starts (backend/folders.py).
"""

from importlib.util import find_spec
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
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
    "backend.apps.PacteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "csp",
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
    "public_pages",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",  # first: a preflight is answered before anything else
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.BoundedAddressMiddleware",
    "core.middleware.ApiNotFoundAsJsonMiddleware",
    "core.middleware.RefuseNulCharacterMiddleware",
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
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                      "whitenoise.middleware.WhiteNoiseMiddleware")  # fmt: skip

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
ASGI_APPLICATION = "backend.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The API docs' pages, without inline scripts or third-party fonts.
        "DIRS": [BASE_DIR / "backend" / "templates"],
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
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # The web server, the worker and beat write to the same file: WAL lets readers
        # go on while one writes, and IMMEDIATE transactions avoid deadlocked upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
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
# The project's wording of a few of Django's and DRF's messages (dates as JJ/MM/AAAA).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [
    # core is a library, not an app: its widgets' scripts are found here.
    BASE_DIR / "core" / "static",
    # Leaflet's files as django-leaflet ships them (a PyPI package, pinned): served by the
    # project, never from a CDN. Only its static folder is used: the app would import GeoDjango.
    ("leaflet", Path(find_spec("leaflet").submodule_search_locations[0]) / "static" / "leaflet"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Who sends a stored file once a view has checked who asks (core/files.py): "django",
# "x-accel-redirect" (nginx, internal location at MEDIA_ACCEL_PREFIX) or "x-sendfile".
MEDIA_SERVE = env_str("MEDIA_SERVE", "django").lower()
MEDIA_ACCEL_PREFIX = env_str("MEDIA_ACCEL_PREFIX", "/protected-media/")
# Stored files (letters, replies, reminders, scorecards): folders under MEDIA_ROOT, or an
# S3-compatible bucket (AWS S3, MinIO, SeaweedFS, Scaleway…) when AWS_STORAGE_BUCKET_NAME is set.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")


def _s3_storage(bucket: str) -> dict:
    """django-storages' S3 backend: private objects, never overwritten (as on the filesystem)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            # Empty: boto3 looks further (instance role, ~/.aws); AWS_ACCESS_KEY_ID_FILE works too.
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "location": env_str("AWS_LOCATION"),  # a folder inside the bucket, if it is shared
            "default_acl": None,  # the bucket's (private): files are read through checked views
            "file_overwrite": False,
            "querystring_auth": True,
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE") or None,  # "path" for most local servers
        },
    }


if AWS_STORAGE_BUCKET_NAME and MEDIA_SERVE == "x-sendfile":
    raise ImproperlyConfigured(
        "MEDIA_SERVE=x-sendfile needs files on a local disk, and AWS_STORAGE_BUCKET_NAME stores them in a "
        "bucket, where a file has no path: use MEDIA_SERVE=django."
    )
STORAGES = {
    "default": _s3_storage(AWS_STORAGE_BUCKET_NAME)
    if AWS_STORAGE_BUCKET_NAME
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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
        "core.authentication.SessionAuthentication",
    ],
    # DRF's parsers with bounds (size, JSON depth, NUL characters) and French messages.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "core.parsers.FormParser",
        "core.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Dates as people type them (JJ/MM/AAAA) and as scripts send them (AAAA-MM-JJ); sent as
    # AAAA-MM-JJ. The admin reads both through Django's French formats.
    "DATE_INPUT_FORMATS": ["iso-8601", "%d/%m/%Y"],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Writes per user; sign-in and password reset have their own (backend/auth.py).
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "writes": env_str("THROTTLE_WRITES", "120/min"),
        "login": env_str("THROTTLE_LOGIN", "20/min"),
        "login_account": env_str("THROTTLE_LOGIN_ACCOUNT", "5/min"),
        "password_reset": env_str("THROTTLE_PASSWORD_RESET", "5/hour"),
        "password_reset_account": env_str("THROTTLE_PASSWORD_RESET_ACCOUNT", "3/hour"),
    },
    # Proxies in front that append to X-Forwarded-For: 0 trusts REMOTE_ADDR only, so that
    # a client cannot pick the address its requests are counted under.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
}

# An address (path and query string) longer than this is a 414; keep it under gunicorn's
# --limit-request-line (8190 in the Dockerfile), which answers a bare HTML page beyond.
MAX_URL_LENGTH = env_int("MAX_URL_LENGTH", 4096)
# A JSON body nested deeper than this is refused (400) before any serializer reads it.
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32)
# Review CSV imports: bounded in size and rows; an error answer lists the first errors only.
REVIEW_IMPORT_MAX_BYTES = env_int("REVIEW_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
REVIEW_IMPORT_MAX_ROWS = env_int("REVIEW_IMPORT_MAX_ROWS", 20_000)
IMPORT_MAX_ERRORS_SHOWN = env_int("IMPORT_MAX_ERRORS_SHOWN", 100)
# Errors outside DRF's views (CSRF, unknown URL, server error) are JSON under /api/.
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

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
    "GET_LIB_DOC_EXCLUDES": "core.schema.doc_excludes",
    # Several models have a "kind" or a "role": name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "MunicipalityKindEnum": "officials.models.Municipality.Kind",
        "MandateRoleEnum": "officials.models.Mandate.Role",
        "MeasureKindEnum": "campaigns.models.Measure.Kind",
        "ActionKindEnum": "campaigns.models.Action.Kind",
        "MembershipRoleEnum": "campaigns.models.Membership.Role",
        "InvitationStateEnum": "campaigns.models.Invitation.State",
        "TerritoryRequestStateEnum": "campaigns.models.TerritoryRequest.State",
        "ActionOutcomeEnum": "campaigns.models.Action.Outcome",
        "PledgeOutcomeEnum": "campaigns.models.Pledge.Outcome",
        "CampaignStatusEnum": "campaigns.models.Campaign.Status",
        "AssessmentStatusEnum": "campaigns.models.AssessmentStatus",
        "ReviewCycleStatusEnum": "campaigns.models.ReviewCycle.Status",
        "LetterReplyOutcomeEnum": "campaigns.models.Letter.ReplyOutcome",
        "LetterStatusEnum": "campaigns.models.Letter.Status",
        "LetterTemplateKindEnum": "campaigns.models.LetterTemplate.Kind",
        "EventKindEnum": "campaigns.models.Event.Kind",
        "ProgrammeItemKindEnum": "campaigns.models.ProgrammeItem.Kind",
        "EventResourceKindEnum": "campaigns.models.EventResource.Kind",
        "LessonKindEnum": "campaigns.models.Lesson.Kind",
        "ProposalKindEnum": "campaigns.models.Proposal.Kind",
    },
}


def _cache_settings(url: str) -> dict:
    """The default cache from ``CACHE_URL``: redis://host:6379/1, file:///path, locmem://.

    Throttles count in it, so it must be shared by every web process: Redis in services
    mode, a directory under ``var/`` in embedded mode (locmem is per process: tests only).
    """
    parts = urlsplit(url)
    if parts.scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme == "file":  # Django makes the folder when it first writes
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": unquote(parts.path)}
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(f"CACHE_URL: unsupported scheme {parts.scheme!r} in {url!r}.")


CACHES = {"default": _cache_settings(env_str("CACHE_URL") or env_str("REDIS_URL") or f"file://{VAR_DIR / 'cache'}")}

# Celery: a broker that needs no server unless CELERY_BROKER_URL says otherwise.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")


def _filesystem_broker_options(folder: Path) -> dict:
    """kombu's filesystem transport, all its folders under ``folder`` (made at start-up)."""
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        # Broadcast (control) messages; by default kombu writes them in the current folder.
        "control_folder": str(folder / "control"),
        "store_processed": False,
        "polling_interval": 0.1,  # seconds; kombu's 1 s default idles a pool process after each task
    }


if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = _filesystem_broker_options(VAR_DIR / "broker")
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
CELERY_IMPORTS = ["tasks.workers.outbox", "tasks.workers.digests", "tasks.workers.letters", "tasks.workers.scorecards"]


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
# Who gets the reports of server errors (through the outbox, see LOGGING).
ADMINS = [("", address) for address in env_list("ADMINS")]

# E-mail outbox (tasks/outbox/).
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
# Told the ids of e-mails that reached their end (sent or failed): letters wait on them.
OUTBOX_OUTCOME_LISTENERS = ["campaigns.letters.services.departures.emails_outcome"]
JOB_USER_SCOPES = "campaigns.collectives.access.job_scopes"
LETTERS_CHUNK_SIZE = env_int("LETTERS_CHUNK_SIZE", 25)  # letters per rendering task: bounds a worker's memory
# Minutes without progress after which an interpellation's job counts as left behind: the
# beat task "tasks.letters.resume" enqueues its draft letters again (and a reminder claimed
# that long ago but never rendered is rendered again).
LETTERS_JOB_STALE_MINUTES = env_int("LETTERS_JOB_STALE_MINUTES", 15)
# Pages of one letter: a template is refused when its sample letter is longer, and a letter
# longer than this fails alone (with its reason) while the others go.
LETTER_MAX_PAGES = env_int("LETTER_MAX_PAGES", 10)
# Seconds the sample letter of a template may take to lay out when the template is saved.
LETTER_CHECK_SECONDS = env_int("LETTER_CHECK_SECONDS", 5)
# E-mails (letters and reminders) one collective sends one official per day; beyond, paper.
LETTERS_EMAILS_PER_OFFICIAL_PER_DAY = env_int("LETTERS_EMAILS_PER_OFFICIAL_PER_DAY", 2)
# An official without an e-mail address of their own gets the letter at the town hall's
# e-mail, "à l'attention de" them: the default of each interpellation's choice.
LETTERS_TOWN_HALL_EMAIL = env_bool("LETTERS_TOWN_HALL_EMAIL", True)
# Days before a review cycle closes when collectives get the digest of what is still unassessed.
REVIEW_DIGEST_DAYS_BEFORE = [int(day) for day in env_list("REVIEW_DIGEST_DAYS_BEFORE", "7,2")]

# Content-Security-Policy (django-csp): scripts only from this site (the API docs' init
# script is a file, or carries the nonce); inline styles allowed, as Redoc and Swagger UI
# inject theirs; nothing from third parties (Redoc's Google fonts are left out).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],  # Redoc's search runs in a worker made from a blob
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The public map's background tiles (public/): an XYZ template such as
# https://tile.example.org/{z}/{x}/{y}.png, and the attribution its licence asks for. Empty:
# the municipalities' contours on a plain background (what the tests use), nothing fetched.
PUBLIC_MAP_TILE_URL = env_str("PUBLIC_MAP_TILE_URL")
PUBLIC_MAP_TILE_ATTRIBUTION = env_str("PUBLIC_MAP_TILE_ATTRIBUTION")


def _tile_origin(template: str) -> str:
    """The origin images of the tile template come from ({s} subdomains: any of the host's)."""
    parts = urlsplit(template)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(f"PUBLIC_MAP_TILE_URL: an http(s) address is expected, not {template!r}.")
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


if PUBLIC_MAP_TILE_URL:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_tile_origin(PUBLIC_MAP_TILE_URL))
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY, CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY, None

# Front ends on other origins call the API with a token (no cookies cross-origin).
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["Content-Disposition", "Retry-After"]

# Behind a TLS proxy that sets X-Forwarded-Proto (and strips it from clients): only then is
# the header trusted, or any client could claim https.
if env_bool("PROXY_SETS_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SILENCED_SYSTEM_CHECKS: list[str] = []
# Production hardening: on unless DEBUG, each switch overridable for a proxy set-up.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    # Both bind every subdomain (preload: for good, through the browsers' lists): the
    # operator decides; the deployment check does not nag about a deliberate choice.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        SILENCED_SYSTEM_CHECKS.append("security.W005")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # Django's error reports to ADMINS, queued in the outbox like every e-mail.
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "tasks.outbox.error_reports.OutboxAdminEmailHandler",
        },
    },
    "loggers": {"django": {"handlers": ["mail_admins"], "level": "INFO"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
