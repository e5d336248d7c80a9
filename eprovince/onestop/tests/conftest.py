from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache

from .factories import World, make_world


@pytest.fixture(autouse=True)
def _isolated(settings: object, tmp_path: Path) -> Iterator[None]:
    """Each test gets its own folder for dossier files and an empty cache (attempt counters, calendar)."""
    settings.ONESTOP_FILES_ROOT = str(tmp_path / "private")  # type: ignore[attr-defined]
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@pytest.fixture
def stored_files(settings: object) -> object:
    """How many dossier files are on disk."""

    def count() -> int:
        root = Path(settings.ONESTOP_FILES_ROOT)  # type: ignore[attr-defined]
        return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0

    return count
