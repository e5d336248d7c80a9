"""One-stop API: procedures, dossiers and their actions."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["onestop"])
