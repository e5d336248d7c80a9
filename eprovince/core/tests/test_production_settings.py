"""Production defaults: the deployment checks pass, and production refuses to start rather than run unsafely.

Each case imports the production settings in a fresh interpreter (settings are read once per process)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[3]


def _env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "ONESTOP_", "SERVE_", "REDIS_", "SINGLE_", "DEMO_", "DEBUG"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="eprovince.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        REDIS_URL="redis://127.0.0.1:6379/0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
        ALLOWED_HOSTS="eprovince.example.gov.vn",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value != ""}


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _settings(env: dict[str, str], *names: str) -> subprocess.CompletedProcess[str]:
    code = "import django; django.setup(); from django.conf import settings; " + "; ".join(
        f"print({name!r}, repr(getattr(settings, {name!r})))" for name in names
    )
    return _run(env, "-c", code)


def test_manage_py_check_deploy_prints_no_warning(tmp_path):
    result = _run(_env(tmp_path), "manage.py", "check", "--deploy")
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr and "ERRORS" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_defaults(tmp_path):
    result = _settings(
        _env(tmp_path),
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SERVE_MEDIA",
        "DEBUG",
        "DEMO_MODE",
        "PRODUCTION",
        "SECURE_CSP",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "SECURE_HSTS_SECONDS 31536000" in out
    assert "SECURE_HSTS_INCLUDE_SUBDOMAINS True" in out
    assert "SERVE_MEDIA False" in out and "DEBUG False" in out and "DEMO_MODE False" in out
    assert "PRODUCTION True" in out
    assert "SECURE_CSP {" in out and "'script-src': [<CSP.SELF" in out


def test_media_is_not_served_by_django_in_production(tmp_path):
    code = (
        "import django; django.setup(); from django.urls import resolve, Resolver404\n"
        "try:\n    resolve('/media/anh/bia.png'); print('served')\nexcept Resolver404:\n    print('not served')"
    )
    result = _run(_env(tmp_path), "-c", code)
    assert result.stdout.strip() == "not served", result.stderr


def test_production_refuses_to_start_without_a_shared_cache(tmp_path):
    result = _settings(_env(tmp_path, REDIS_URL=""), "CACHES")
    assert result.returncode != 0
    assert "REDIS_URL must be set in production" in result.stderr


def test_a_single_node_may_say_so_and_run_without_redis(tmp_path):
    result = _settings(_env(tmp_path, REDIS_URL="", SINGLE_NODE="1"), "CACHES")
    assert result.returncode == 0, result.stderr
    assert "LocMemCache" in result.stdout


def test_production_refuses_an_unsigned_national_portal_webhook(tmp_path):
    env = _env(tmp_path, ONESTOP_OUTBOX_WEBHOOK_URL="https://dichvucong.gov.vn/webhook")
    result = _settings(env, "ONESTOP_OUTBOX_WEBHOOK_URL")
    assert result.returncode != 0
    assert "ONESTOP_OUTBOX_SECRET must be set" in result.stderr
    result = _settings({**env, "ONESTOP_OUTBOX_SECRET": secrets.token_hex(32)}, "ONESTOP_OUTBOX_WEBHOOK_URL")
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _settings(_env(tmp_path, SECRET_KEY=""), "DEBUG")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@override_settings(PRODUCTION=True)
def test_load_demo_refuses_under_production_settings():
    with pytest.raises(CommandError, match="Không nạp dữ liệu trình diễn"):
        call_command("load_demo")


@pytest.mark.django_db
def test_every_page_carries_the_content_security_policy():
    for url in ("/", "/dang-nhap/", "/thu-tuc-hanh-chinh/"):
        response = Client().get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "'unsafe-inline'" not in policy.split("style-src-attr")[0], policy  # no inline script or style element


@pytest.mark.django_db
def test_a_cached_public_page_carries_the_policy_too():
    Client().get("/")
    response = Client().get("/")  # served by the public page cache, before the views
    assert "script-src 'self'" in response["Content-Security-Policy"]
