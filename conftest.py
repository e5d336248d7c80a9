"""Shared pytest fixtures.

Browser tests use Playwright driving Debian's Chromium (/usr/bin/chromium, or $CHROMIUM_PATH): they never skip;
a missing browser fails them with a message saying how to install it (`make test` does it when run as root)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

SCREENSHOT_DIR = Path(__file__).parent / "docs" / "screenshots"

# Playwright's sync API runs an event loop in this thread; Django must still allow ORM calls from tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Debian's Chromium is missing: run `make test` as root, or `apt-get install chromium`.", pytrace=False)
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object, live_server: object) -> Iterator[object]:
    """A fresh browser page (desktop size, Vietnamese) whose base URL is the live test server."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def phone_page(browser: object, live_server: object) -> Iterator[object]:
    """A page the size of a phone screen."""
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )  # type: ignore[attr-defined]
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


def save_screenshot(pg: object, name: str) -> Path:
    """Writes docs/screenshots/<name>.png (full page) for the README and for a person to look at."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOT_DIR / f"{name}.png"
    pg.screenshot(path=str(target), full_page=True)  # type: ignore[attr-defined]
    return target


@pytest.fixture
def screenshot():  # type: ignore[no-untyped-def]
    return save_screenshot


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(pg: object, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Runs axe-core (shipped inside the axe-playwright-python wheel, no network) on the current page and returns
    the WCAG 2.2 A/AA violations of the given impacts, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(pg, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    lines = []
    for violation in results.response["violations"]:
        if violation.get("impact") in impacts:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines


@pytest.fixture
def axe():  # type: ignore[no-untyped-def]
    return axe_violations
