"""Django settings for JXC, read from the environment.

Two modes:
- demo (default, ``JXC_MODE`` unset or ``demo``): SQLite under ``var/``, a secret key generated
  once and kept in ``var/secret_key``, nothing to configure;
- production (``JXC_MODE=production``): every secret comes from the environment and
  :func:`jxc.core.checks.production_problems` refuses an insecure configuration.
App servers keep no state on local disk in production (sessions in the database, uploads in the
database/object store later, cache in Redis), so several can run behind one load balancer.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JXC_VAR_DIR", BASE_DIR / "var"))
FRONTEND_DIST = Path(os.environ.get("JXC_FRONTEND_DIST", BASE_DIR / "frontend" / "dist"))

MODE = os.environ.get("JXC_MODE", "demo").strip().lower()
PRODUCTION = MODE == "production"


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _demo_secret_key() -> str:
    """Generate the demo secret once and keep it, so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("SECRET_KEY") or ("" if PRODUCTION else _demo_secret_key())
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "jxc.core",
    "jxc.masterdata",
    "jxc.workflow",
    "jxc.finance",
    "jxc.inventory",
    "jxc.purchasing",
    "jxc.sales",
    "jxc.reporting",
    "jxc.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jxc.core.audit.AuditContextMiddleware",
    "jxc.core.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "jxc.urls"
WSGI_APPLICATION = "jxc.wsgi.application"
AUTH_USER_MODEL = "core.User"

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

# --- database -------------------------------------------------------------------------------
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'jxc.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", DEFAULT_SQLITE)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE transactions take the write lock at
    # BEGIN, so two writers queue on the busy timeout instead of failing with "database is locked"
    # when one upgrades its read lock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    if DATABASES["default"]["NAME"] and DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    if os.environ.get("JXC_TEST_DATABASE_NAME"):  # a file, so other processes can share it
        DATABASES["default"]["TEST"] = {"NAME": os.environ["JXC_TEST_DATABASE_NAME"]}
else:
    # Connection reuse for PostgreSQL: keep connections for a while and check them before use.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Prepared statements on: only the hot paths ask for them (jxc.core.batch); Django's own
    # queries bind on the client and are never prepared. Behind PgBouncer in transaction mode
    # this needs PgBouncer 1.21 or later (max_prepared_statements).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = int(
        os.environ.get("DB_PREPARE_THRESHOLD", "5")
    )
    if os.environ.get("JXC_TEST_DATABASE_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": os.environ["JXC_TEST_DATABASE_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and background jobs -----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# celery (through Redis) | thread (in this process, after the commit) | inline (tests): see
# jxc.core.jobs
JXC_JOBS_BACKEND = os.environ.get("JXC_JOBS_BACKEND") or ("celery" if REDIS_URL else "thread")
# the embedded scheduler of periodic jobs in `jxc serve` (Celery beat does it with Redis)
JXC_SCHEDULER = _env_bool("JXC_SCHEDULER", not REDIS_URL)
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ACKS_LATE = True  # jobs are idempotent: a job lost with its worker runs again
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"

# --- e-mail (notifications are e-mailed only when EMAIL_HOST is set) ---------------------------
# another backend for trials: django.core.mail.backends.filebased.EmailBackend writes each
# e-mail to a file under EMAIL_FILE_PATH instead of sending it
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jxc@localhost")
# the address the links in e-mails point to (e.g. https://jxc.example.com)
JXC_PUBLIC_URL = os.environ.get("JXC_PUBLIC_URL", "").rstrip("/")

# --- outbound webhooks --------------------------------------------------------------------------
# seconds before each retry of a failed delivery (5 attempts in all by default)
JXC_WEBHOOK_RETRY_DELAYS = [
    int(s) for s in _env_list("JXC_WEBHOOK_RETRY_DELAYS", "10,20,40,80") if s.isdigit()
]
JXC_WEBHOOK_TIMEOUT = int(os.environ.get("JXC_WEBHOOK_TIMEOUT", "10") or 10)

# --- i18n ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "jxc" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- static files and the built UI ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("JXC_STATIC_ROOT", VAR_DIR / "static"))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_ROOT = FRONTEND_DIST if FRONTEND_DIST.exists() else None
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- sessions and security ----------------------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the UI reads it to send X-CSRFToken
SESSION_COOKIE_SECURE = PRODUCTION and not _env_bool("JXC_INSECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- REST API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jxc.core.api.authentication.TokenAuthentication",
        "jxc.core.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["jxc.core.api.permissions.IsMember"],
    "DEFAULT_PAGINATION_CLASS": "jxc.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "jxc.core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_RATES": {"login": "20/min"},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "JXC API",
    "DESCRIPTION": (
        "JXC 进销存 REST API. Session authentication (with CSRF) for the web UI, "
        "`Authorization: Token <key>` for integrations. The active organization comes from the "
        "session or the `X-Organization` header. Every POST accepts an `Idempotency-Key` header."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "tokenAuth": {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "`Token <key>`",
            },
        }
    },
    "ENUM_NAME_OVERRIDES": {
        "DocumentStateEnum": "jxc.core.states.DocumentState",
        "ReservationStateEnum": "jxc.inventory.models.ledger.Reservation.State",
        "SupplierInvoiceTypeEnum": "jxc.purchasing.models.SupplierInvoice.InvoiceType",
        "PaymentRequestMethodEnum": "jxc.purchasing.models.PaymentRequest.Method",
        "MethodEnum": "jxc.purchasing.models.LandedCost.Method",
        "TaxInvoiceTypeEnum": "jxc.masterdata.models.reference.TaxRate.InvoiceType",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

JXC_GUNICORN_WORKERS = int(os.environ.get("JXC_WORKERS", "0") or 0)
