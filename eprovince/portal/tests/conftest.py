from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from .. import services
from . import factories


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Cached pages and gathered view counts must not leak between tests; uploads go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    services._last_view_flush.clear()
    yield
    cache.clear()
    services._last_view_flush.clear()


@pytest.fixture
def editor(db: None) -> Any:
    return factories.editor()


@pytest.fixture
def chief(db: None) -> Any:
    return factories.chief_editor()


@pytest.fixture
def category(db: None) -> Any:
    return factories.category()
