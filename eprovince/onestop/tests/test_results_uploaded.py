"""A result the leader uploads as a signed file (instead of generating it from the template) gets the same public
verification record as a generated one: a number per agency and year from the same counter, a random token, and
the SHA-256 of the very file uploaded, shown on the verification page and linked from the tracking pages."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from eprovince.core.models import AuditEvent
from eprovince.core.services.accounts import position_assign
from eprovince.onestop.constants import DossierStatus, FileKind
from eprovince.onestop.models import Dossier, DossierFile, ResultDocument
from eprovince.onestop.services.dossiers import Upload
from eprovince.onestop.services.results import result_template_save

from .factories import PDF_BYTES, World, act, at, pdf, receive
from .test_documents import client_for

pytestmark = pytest.mark.django_db

SIGNED = PDF_BYTES.replace(b"trailer", b"%signed by lanhdao\ntrailer")
ID_NUMBER = "089085000123"


def signed(name: str = "giay-phep-da-ky.pdf", content: bytes = SIGNED) -> Upload:
    return Upload(file=SimpleUploadedFile(name, content, content_type="application/pdf"))


def at_leader(world: World) -> Dossier:
    d = receive(world, now=at(2026, 3, 9, 9), applicant_id_number=ID_NUMBER, applicant_address="15 Trần Hưng Đạo")
    return act(act(d, "forward", world.specialist, now=at(2026, 3, 10, 9)), "forward", world.head, now=at(2026, 3, 11, 9))


def issue(world: World, d: Dossier, **kwargs: Any) -> Dossier:
    return act(d, "issue_result", world.leader, now=at(2026, 3, 12, 10), site_url="http://testserver/", **kwargs)


def test_issuing_with_a_signed_file_records_it_for_verification(world: World) -> None:
    position_assign(user=world.leader, organisation=world.dept, title="Giám đốc", acting_user=None)
    d = issue(world, at_leader(world), uploads=[signed()])
    doc = ResultDocument.objects.select_related("file").get(dossier=d)
    assert doc.signed_upload and doc.number == "01/GP-SKHCN" and (doc.year, doc.sequence) == (2026, 1)
    assert doc.file.original_name == "giay-phep-da-ky.pdf" and doc.file.kind == FileKind.RESULT
    assert doc.file.sha256 == hashlib.sha256(SIGNED).hexdigest() and doc.event.action == "issue_result"
    assert (doc.holder_name, doc.signer, doc.signer_position) == ("Nguyễn Văn Đông", world.leader, "Giám đốc")
    assert doc.title == world.procedure.get_result_type_display() and len(doc.token) >= 32
    stored = client_for(world.clerk).get(f"/can-bo/mot-cua/tep/{doc.file.pk}/")
    assert b"".join(stored.streaming_content) == SIGNED  # type: ignore[attr-defined]  # kept as it was signed
    audit = AuditEvent.objects.get(content_type__model="resultdocument", object_id=str(doc.pk))
    assert audit.after is not None and audit.after["sha256"] == doc.file.sha256 and audit.after["signed_upload"] is True


def test_the_verification_page_shows_the_hash_of_the_uploaded_file_and_nothing_personal(world: World) -> None:
    d = issue(world, at_leader(world), uploads=[signed()])
    doc = ResultDocument.objects.get(dossier=d)
    response = Client().get(f"/tra-cuu/xac-thuc/{doc.token}/")
    assert response.status_code == 200
    page = response.content.decode()
    for expected in [hashlib.sha256(SIGNED).hexdigest(), "01/GP-SKHCN", "12/03/2026", "Sở Khoa học và Công nghệ",
                     "Nguyễn Văn Đông", d.code, "Còn hiệu lực", "Văn bản đã được đăng ký trên hệ thống",
                     "Hệ thống chưa kiểm tra chữ ký số trong tệp"]:  # fmt: skip
        assert expected in page, expected
    # No signature is checked: the page claims no validity and names no signer (the uploader is not the signer).
    assert "Văn bản hợp lệ" not in page and "Người ký" not in page and "Người phê duyệt" not in page
    assert doc.signer_name not in page
    assert hashlib.sha256(PDF_BYTES).hexdigest() not in page  # the application's documents are not the result
    for secret in [ID_NUMBER, "0912 345 678", "dong@example.vn", "Trần Hưng Đạo"]:
        assert secret not in page, secret


@pytest.mark.parametrize("token", ["x", "a" * 32, "B" * 80, "-" * 30, "..%2F..%2Fetc", "0" * 20])
def test_forged_tokens_are_404(world: World, token: str) -> None:
    issue(world, at_leader(world), uploads=[signed()])
    assert Client().get(f"/tra-cuu/xac-thuc/{token}/").status_code == 404


def test_generated_and_uploaded_results_share_the_agency_s_yearly_numbers(world: World) -> None:
    result_template_save(
        procedure=world.procedure, acting_user=world.admin, title="GIẤY PHÉP BƯU CHÍNH", body="Cấp cho {applicant_name}."
    )
    first, second, third = at_leader(world), at_leader(world), at_leader(world)
    issue(world, first)
    issue(world, second, uploads=[signed()])
    issue(world, third)
    rows = list(ResultDocument.objects.order_by("pk").values_list("number", "signed_upload", "title"))
    assert rows == [
        ("01/GP-SKHCN", False, "GIẤY PHÉP BƯU CHÍNH"),
        ("02/GP-SKHCN", True, world.procedure.get_result_type_display()),
        ("03/GP-SKHCN", False, "GIẤY PHÉP BƯU CHÍNH"),
    ]
    next_year = receive(world, now=at(2027, 1, 4, 9))
    next_year = act(
        act(next_year, "forward", world.specialist, now=at(2027, 1, 4, 10)), "forward", world.head, now=at(2027, 1, 4, 11)
    )
    act(next_year, "issue_result", world.leader, now=at(2027, 1, 5, 9), uploads=[signed()])
    assert ResultDocument.objects.get(dossier=next_year).number == "01/GP-SKHCN"


def test_with_several_files_the_first_is_the_result_and_the_others_are_kept(world: World) -> None:
    d = issue(world, at_leader(world), uploads=[signed(), Upload(file=pdf("phu-luc.pdf"))])
    doc = ResultDocument.objects.get(dossier=d)
    assert doc.file.original_name == "giay-phep-da-ky.pdf"
    names = set(DossierFile.objects.filter(dossier=d, kind=FileKind.RESULT).values_list("original_name", flat=True))
    assert names == {"giay-phep-da-ky.pdf", "phu-luc.pdf"}


def test_files_of_other_actions_are_not_results(world: World) -> None:
    d = receive(world, procedure=world.bts)
    d = act(d, "forward", world.specialist)
    act(d, "return", world.builder, reason="Đồng ý", uploads=[Upload(file=pdf("y-kien.pdf"))])
    assert not ResultDocument.objects.exists()


def test_the_tracking_pages_link_the_verification_and_a_withdrawn_result_is_no_longer_valid(world: World) -> None:
    d = issue(world, at_leader(world), uploads=[signed()])
    doc = ResultDocument.objects.get(dossier=d)
    link = f"/tra-cuu/xac-thuc/{doc.token}/"
    tracking = Client().post("/tra-cuu-ho-so/", {"code": d.code, "contact": "0912345678"})
    assert tracking.status_code == 200 and link in tracking.content.decode() and "01/GP-SKHCN" in tracking.content.decode()
    wrong = Client().post("/tra-cuu-ho-so/", {"code": d.code, "contact": "0900000000"})
    assert link not in wrong.content.decode()
    officer = client_for(world.clerk).get(f"/can-bo/mot-cua/ho-so/{d.pk}/").content.decode()
    assert link in officer and "01/GP-SKHCN" in officer
    # Withdrawn after its result under the earlier rule (since issue 12 the engine no longer offers it:
    # test_officer_action_panel.py): such a result stays shown as no longer valid.
    Dossier.objects.filter(pk=d.pk).update(status=DossierStatus.WITHDRAWN)
    page = Client().get(link).content.decode()
    assert "Không còn hiệu lực" in page and "Còn hiệu lực</span>" not in page
