"""Shared pytest fixtures.

Browser tests use Playwright driving Debian's Chromium (/usr/bin/chromium, or $CHROMIUM_PATH): they never skip;
a missing browser fails them with a message saying how to install it (`make test` does it when run as root)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

SCREENSHOT_DIR = Path(__file__).parent / "docs" / "screenshots"

# Playwright's sync API runs an event loop in this thread; Django must still allow ORM calls from tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Hypothesis: "dev" (the default) explores new random examples on every run and remembers failures in
# .hypothesis/; "ci" is derandomised (the same examples on every run, so a red build is the code's fault, not the
# draw's), keeps no example database, has no deadline (2 shared cores) and prints the blob that replays a failure
# with @reproduce_failure. The profile is $HYPOTHESIS_PROFILE, or "ci" when $CI is set (CI runs with CI=true).
# Loaded here, before any test module is imported: a test's own @settings(max_examples=…) takes the profile's other
# values (derandomize included) as its defaults, overriding only what it names.
# Both start from Hypothesis's "default" profile (Hypothesis loads its own "ci" when it detects CI: "dev" must not
# inherit that). too_slow is a timing check, so it would make a derandomised run flaky again.
_DEFAULT = hypothesis_settings.get_profile("default")
hypothesis_settings.register_profile(
    "ci",
    parent=_DEFAULT,
    derandomize=True,
    database=None,
    max_examples=100,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile("dev", parent=_DEFAULT)


def hypothesis_profile(environ: Mapping[str, str] = os.environ) -> str:
    """The Hypothesis profile for this run: $HYPOTHESIS_PROFILE, else "ci" under CI ($CI set and not "false"/"0"),
    else "dev"."""
    if environ.get("HYPOTHESIS_PROFILE"):
        return environ["HYPOTHESIS_PROFILE"]
    return "ci" if environ.get("CI", "").strip().lower() not in ("", "0", "false", "no") else "dev"


hypothesis_settings.load_profile(hypothesis_profile())


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
