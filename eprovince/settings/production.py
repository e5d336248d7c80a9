"""Production: PostgreSQL through DATABASE_URL, a real secret, HTTPS, static files compressed by WhiteNoise, a shared
cache (Redis) so that several application processes or nodes agree on throttles and cached pages.

It refuses to start when something it needs is missing, rather than run unsafely: `manage.py check --deploy` with these
settings prints no warning."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ONESTOP_OUTBOX_SECRET, ONESTOP_OUTBOX_WEBHOOK_URL, SECRET_KEY, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")

PRODUCTION = True
DEBUG = False
DEMO_MODE = env_bool("DEMO_MODE", False)

# Throttles (tracking, sign-up, reader ratings) and the public page cache live in the cache: a per-process memory
# cache would give each process its own counters. One process on one machine may say so explicitly.
SINGLE_NODE = env_bool("SINGLE_NODE", False)
if not os.environ.get("REDIS_URL") and not SINGLE_NODE:
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production (the shared cache of throttles and cached pages), "
        "or SINGLE_NODE=1 when exactly one application process serves the site."
    )

# A configured national-portal webhook is never sent unsigned.
if ONESTOP_OUTBOX_WEBHOOK_URL and not ONESTOP_OUTBOX_SECRET:
    raise ImproperlyConfigured("ONESTOP_OUTBOX_WEBHOOK_URL is set: ONESTOP_OUTBOX_SECRET must be set too.")

# Uploaded files are served by the web server in front (its /media/ location), not by Django.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
# HSTS: a year, subdomains included, unless the deployment says otherwise.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Submitting to the browsers' preload list is the decision of the owner of the parent domain (the province's
    # gov.vn), not of one application under it; without it, the header still protects every returning visitor.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Background work survives a restart: the database queue (TASKS_BACKEND=database, the default), served by
# `manage.py db_worker` (deploy/eprovince-worker.service); `manage.py warn_deadlines` runs daily (deploy/).
