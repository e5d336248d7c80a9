"""The public verification page says only what is verified: no signature is checked yet (the E-Office issue), so it
never calls a result "valid" on the strength of a signature, and never names an uploader as the signer."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from eprovince.onestop.models import ResultDocument
from eprovince.onestop.services.results import result_template_save

from .factories import World
from .test_results_uploaded import SIGNED, at_leader, issue, signed

pytestmark = pytest.mark.django_db


def _page(doc: ResultDocument) -> str:
    response = Client().get(f"/tra-cuu/xac-thuc/{doc.token}/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_uploaded_signed_file_is_shown_as_registered_with_its_hash_not_as_a_checked_signature(world: World) -> None:
    doc = ResultDocument.objects.get(dossier=issue(world, at_leader(world), uploads=[signed()]))
    page = _page(doc)
    assert "Văn bản đã được đăng ký trên hệ thống" in page and "Văn bản hợp lệ" not in page
    assert hashlib.sha256(SIGNED).hexdigest() in page and doc.number in page and "12/03/2026" in page
    assert "Hệ thống chưa kiểm tra chữ ký số trong tệp" in page
    assert "Người ký" not in page and doc.signer_name not in page


def test_a_generated_result_says_the_system_made_it_and_who_approved_it(world: World) -> None:
    result_template_save(
        procedure=world.procedure, acting_user=world.admin, title="GIẤY PHÉP BƯU CHÍNH", body="Cấp cho {applicant_name}."
    )
    doc = ResultDocument.objects.select_related("file").get(dossier=issue(world, at_leader(world)))
    page = _page(doc)
    assert "Văn bản đã được đăng ký trên hệ thống" in page and "Văn bản hợp lệ" not in page
    assert "văn bản không mang chữ ký số" in page and doc.file.sha256 in page
    assert "Người phê duyệt" in page and doc.signer_name in page
