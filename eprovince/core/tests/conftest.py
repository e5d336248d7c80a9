"""Markers of the core tests."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "api_contract: the API against its published OpenAPI document (schemathesis); select with -m api_contract"
    )
