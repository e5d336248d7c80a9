"""One environment-driven base; dev, test and production only adjust it.

Every setting a deployment may change is read from an environment variable (see README: Configuration).
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "eprovince"
(BASE_DIR / "var").mkdir(exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The reverse proxies in front of the application (addresses or CIDR blocks, comma-separated). Only a request coming
# from one of them has its client address taken from X-Forwarded-For (core.http.client_ip); empty: REMOTE_ADDR.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or a CIDR block.") from None
# Demo mode lists the demo accounts on the login page. Never on in production.
DEMO_MODE = env_bool("DEMO_MODE", False)
# True only in settings/production.py: what must never run against real data (manage.py load_demo) checks it.
PRODUCTION = False
# Serve uploaded files from Django itself (small installations); large ones put a web server in front.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

INSTALLED_APPS = [
    "eprovince.core.admin_base.PlatformAdminConfig",  # django.contrib.admin with the platform's one login path
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "eprovince.core",
    "eprovince.portal",
    "eprovince.workcalendar",
    "eprovince.onestop",
    "eprovince.indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the public page cache, so cached pages carry the policy too.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "eprovince.portal.middleware.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "eprovince.core.middleware.RequestContextMiddleware",
    # DEBUG only (`make run`): the platform's Vietnamese 404 instead of Django's technical page.
    "eprovince.core.middleware.ErrorPagesInDebugMiddleware",
]

# Content-Security-Policy, in every mode (the browser tests see what production sees): scripts and style sheets only
# from our own static files (no inline <script> or <style> element; no nonce, so cached pages stay valid), nothing
# framed, forms posted only to us. Style attributes stay allowed (a bar's width, a few layout tweaks): they cannot run
# code. Images may also come over HTTPS from elsewhere: an article's sanitised body may show one by its address.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "https:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

ROOT_URLCONF = "eprovince.urls"
WSGI_APPLICATION = "eprovince.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "eprovince.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'eprovince.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the embedded database serve concurrent readers while one writer works.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:staff_home"
LOGOUT_REDIRECT_URL = "portal:home"

# Login lockout: this many failures within the window lock the account for LOCKOUT_MINUTES.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))

# Sessions end after SESSION_IDLE_MINUTES without activity, and never outlive the browser.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["eprovince.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": os.environ.get("FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads: images for articles. Larger files are refused before they are stored.
MAX_IMAGE_UPLOAD_BYTES = int(os.environ.get("MAX_IMAGE_UPLOAD_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email (Django 6.1 MAILERS). EMAIL_BACKEND picks the backend; the SMTP options come from EMAIL_* variables.
EMAIL_BACKEND_PATH = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
_mail_options: dict[str, object] = {}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": os.environ.get("EMAIL_HOST", "127.0.0.1"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER") or None,
        "password": os.environ.get("EMAIL_HOST_PASSWORD") or None,
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": int(os.environ.get("EMAIL_TIMEOUT", "20")),
    }
elif EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend"):
    _mail_options = {"file_path": os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))}
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "e-Province <no-reply@eprovince.local>")

# Background work (django.tasks). TASKS_BACKEND=database (default): tasks are rows in the database, run by
# `manage.py db_worker` (a job survives a restart); TASKS_BACKEND=immediate runs them in the request (no worker).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND)}}
# A failed email is tried again this many times in all, waiting 1, 2, 4… minutes (database backend only).
EMAIL_MAX_ATTEMPTS = int(os.environ.get("EMAIL_MAX_ATTEMPTS", "6"))


CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "eprovince",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}

# Portal: article views are counted in memory and written in batches (one UPDATE per batch, not per reader).
PORTAL_VIEW_BATCH = int(os.environ.get("PORTAL_VIEW_BATCH", "50"))
PORTAL_VIEW_FLUSH_SECONDS = float(os.environ.get("PORTAL_VIEW_FLUSH_SECONDS", "30"))
# Reader ratings: per client address and window, how many new anonymous readers (signed reader cookies) may be
# issued, and how many anonymous votes one article may receive (in the cache, shared with Redis).
PORTAL_READER_TOKENS_PER_ADDRESS = int(os.environ.get("PORTAL_READER_TOKENS_PER_ADDRESS", "10"))
PORTAL_RATING_VOTES_PER_ADDRESS = int(os.environ.get("PORTAL_RATING_VOTES_PER_ADDRESS", "10"))
PORTAL_RATING_WINDOW_SECONDS = int(os.environ.get("PORTAL_RATING_WINDOW_SECONDS", "3600"))
# Demo news: the seed articles (text files) beside the checkout, unless pointed elsewhere.
SEED_ARTICLES_DIR = os.environ.get("SEED_ARTICLES_DIR") or None

# One-stop shop: attachments are private files served only through an access-checked view.
ONESTOP_MAX_UPLOAD_BYTES = int(os.environ.get("ONESTOP_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
ONESTOP_FILES_ROOT = Path(os.environ.get("ONESTOP_FILES_ROOT", str(MEDIA_ROOT.with_name(MEDIA_ROOT.name + "-private"))))
ONESTOP_DUE_SOON_WORKING_DAYS = int(os.environ.get("ONESTOP_DUE_SOON_WORKING_DAYS", "2"))
ONESTOP_TRACKING_ATTEMPTS = int(os.environ.get("ONESTOP_TRACKING_ATTEMPTS", "20"))
ONESTOP_TRACKING_WINDOW_SECONDS = int(os.environ.get("ONESTOP_TRACKING_WINDOW_SECONDS", "900"))
ONESTOP_VERIFY_MAX_AGE_SECONDS = int(os.environ.get("ONESTOP_VERIFY_MAX_AGE_SECONDS", str(3 * 24 * 3600)))
ONESTOP_SIGNUP_ATTEMPTS = int(os.environ.get("ONESTOP_SIGNUP_ATTEMPTS", "10"))
# The public address printed in the verification QR code of a generated result when no request gives one (demo data,
# the API without a Host); empty: http://127.0.0.1:8000.
ONESTOP_SITE_URL = os.environ.get("ONESTOP_SITE_URL", "")
# The national public-service portal: dossier status events are POSTed to this webhook (empty: kept in the outbox,
# not sent), signed with HMAC-SHA256 of the body under the secret when one is set; undelivered events are retried
# with exponential backoff up to ONESTOP_OUTBOX_MAX_BACKOFF_SECONDS apart, and never deleted.
ONESTOP_OUTBOX_WEBHOOK_URL = os.environ.get("ONESTOP_OUTBOX_WEBHOOK_URL", "")
ONESTOP_OUTBOX_SECRET = os.environ.get("ONESTOP_OUTBOX_SECRET", "")
ONESTOP_OUTBOX_TIMEOUT_SECONDS = float(os.environ.get("ONESTOP_OUTBOX_TIMEOUT_SECONDS", "10"))
ONESTOP_OUTBOX_MAX_BACKOFF_SECONDS = int(os.environ.get("ONESTOP_OUTBOX_MAX_BACKOFF_SECONDS", str(6 * 3600)))
# How long a delivery run holds the events it claimed (from the claim); empty: well beyond one request's timeout.
ONESTOP_OUTBOX_LEASE_SECONDS = (
    float(os.environ["ONESTOP_OUTBOX_LEASE_SECONDS"]) if os.environ.get("ONESTOP_OUTBOX_LEASE_SECONDS") else None
)
# A background job left running this long by a worker that died is run again by `manage.py recover_jobs`.
TASKS_ABANDONED_AFTER_SECONDS = int(os.environ.get("TASKS_ABANDONED_AFTER_SECONDS", "900"))

# The platform's identity is data too; these are only the defaults shown before an administrator sets them.
PLATFORM_NAME = os.environ.get("PLATFORM_NAME", "e-Province")

NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}

# Indicators: a late reporting unit is not reminded again within this many hours (the round page's button and
# `manage.py remind_late_units`, run by the scheduler).
INDICATORS_REMINDER_INTERVAL_HOURS = int(os.environ.get("INDICATORS_REMINDER_INTERVAL_HOURS", "24"))
