"""Local development: `make run`. Debug on, demo accounts listed, emails written as files to var/mail/ (one file per
sending; EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend prints them instead)."""

import os

os.environ.setdefault("DEMO_MODE", "1")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
# Emails and outbox deliveries are queued in the database; `make run` starts `manage.py db_worker` beside the server.
os.environ.setdefault("TASKS_BACKEND", "database")

from .base import *  # noqa: F403
from .base import env_bool

SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me"
DEBUG = env_bool("DEBUG", True)
DEMO_MODE = env_bool("DEMO_MODE", True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
