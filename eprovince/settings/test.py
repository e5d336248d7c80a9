"""The test suite: fast hashing, in-memory email. DATABASE_URL picks SQLite or PostgreSQL."""

import os

os.environ.setdefault("DEMO_MODE", "1")

from .base import *  # noqa: E402,F403

SECRET_KEY = "test-only-key"
DEBUG = False
DEMO_MODE = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.Argon2PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
ALLOWED_HOSTS = ["*"]
