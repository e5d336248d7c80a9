"""The demo province's administrative units: the new An Giang (from 1 July 2025) with its communes, and the former
An Giang and Kiên Giang that merged into it, with their districts and communes. Called by the demo loader."""

from __future__ import annotations

from .services.units import units_import

# The Statistics Office code of the current (post-2025) Tỉnh An Giang. The former Kiên Giang had the same code.
DEMO_PROVINCE_CODE = "91"


def load_demo_units() -> None:
    """Idempotent and fast (well under a second once the package data has been read)."""
    units_import(province_codes=[DEMO_PROVINCE_CODE], acting_user=None)
