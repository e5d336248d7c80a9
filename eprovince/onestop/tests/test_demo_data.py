"""The demo data: at least six procedures, one inter-agency, dozens of dossiers in varied states; idempotent."""

from __future__ import annotations

import io
from collections import Counter

import pytest

from eprovince.core import demo_data as core_demo
from eprovince.onestop import demo_data
from eprovince.onestop.models import Dossier, DossierEvent, Procedure
from eprovince.onestop.services.catalogue import process_problems

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_again_without_changes() -> None:
    out = io.StringIO()
    core_demo.load(out)
    demo_data.load(out)
    procedures = list(Procedure.objects.order_by("national_code"))
    assert len(procedures) >= 6
    assert all(process_problems(p) == [] for p in procedures)
    bts = Procedure.objects.get(name__contains="BTS")
    assert bts.steps.filter(kind="inter_agency", organisation__name="Sở Xây dựng tỉnh An Giang").exists()
    statuses = Counter(Dossier.objects.values_list("status", flat=True))
    assert sum(statuses.values()) >= 30
    assert {"new", "processing", "waiting_supplement", "inter_agency", "waiting_approval", "result_ready", "done", "refused",
            "withdrawn"} <= set(statuses)  # fmt: skip
    assert Dossier.objects.filter(apology_at__isnull=False).count() == 1
    counts = (Procedure.objects.count(), Dossier.objects.count(), DossierEvent.objects.count())
    demo_data.load(out)
    assert (Procedure.objects.count(), Dossier.objects.count(), DossierEvent.objects.count()) == counts
