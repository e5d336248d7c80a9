"""Dossier files: the type is judged from the content, the size is limited, and a refused file leaves nothing behind."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from eprovince.onestop.models import Dossier, DossierCounter, DossierFile
from eprovince.onestop.services.dossiers import Upload
from eprovince.onestop.validators import check_upload

from .factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES, World, act, docx_bytes, pdf, receive, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("don.pdf", PDF_BYTES, "application/pdf"),
        ("anh.PNG", PNG_BYTES, "image/png"),
        ("anh.jpg", JPEG_BYTES, "image/jpeg"),
        ("anh.jpeg", JPEG_BYTES, "image/jpeg"),
        ("to-khai.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_accepted_formats(name: str, content: bytes, content_type: str) -> None:
    checked = check_upload(upload(name, content))
    assert checked.content_type == content_type and checked.size == len(content) and len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("don.pdf", PNG_BYTES, "có đuôi .pdf nhưng nội dung là ảnh PNG"),
        ("anh.png", PDF_BYTES, "nội dung là PDF"),
        ("to-khai.docx", docx_bytes(word=False), "không phải là Word (DOCX) hợp lệ"),
        ("to-khai.docx", b"PK\x03\x04 broken zip", "không phải là Word (DOCX) hợp lệ"),
        ("virus.exe", b"MZ\x90\x00", "Chỉ nhận tệp PDF"),
        ("khong-duoi", PDF_BYTES, "Chỉ nhận tệp PDF"),
        ("rong.pdf", b"", "rỗng"),
        ("gia.pdf", b"%PDX-1.4 not a pdf", "không phải là PDF hợp lệ"),
    ],
)
def test_refused_files_name_the_file_and_the_reason(name: str, content: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(name, content))
    assert message in exc.value.messages[0]
    if content:
        assert name in exc.value.messages[0]


def test_the_size_limit_comes_from_the_settings(settings: object) -> None:
    settings.ONESTOP_MAX_UPLOAD_BYTES = 1024  # type: ignore[attr-defined]
    check_upload(upload("nho.pdf", PDF_BYTES))
    with pytest.raises(ValidationError) as exc:
        check_upload(upload("lon.pdf", PDF_BYTES + b"0" * 2000))
    assert exc.value.messages == ["Tệp “lon.pdf” quá lớn: tối đa 1,0\xa0KB, tệp đã chọn 2,0\xa0KB."]


def test_the_default_limit_is_ten_megabytes() -> None:
    check_upload(upload("vua.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024 - len(PDF_BYTES))))
    with pytest.raises(ValidationError, match="quá lớn"):
        check_upload(upload("lon.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024)))


def test_a_pdf_that_is_really_a_png_is_refused_at_reception_with_nothing_saved(
    world: World, stored_files: Callable[[], int]
) -> None:
    uploads = [
        *world.documents(),
        Upload(file=upload("giay-phep-kinh-doanh.pdf", PNG_BYTES), document=world.procedure.documents.last()),
    ]
    with pytest.raises(ValidationError) as exc:
        receive(world, uploads=uploads)
    assert "giay-phep-kinh-doanh.pdf" in str(exc.value)
    assert (Dossier.objects.count(), DossierFile.objects.count(), DossierCounter.objects.count(), stored_files()) == (0, 0, 0, 0)


def test_an_oversized_file_is_refused_with_an_action_and_nothing_changes(
    world: World, settings: object, stored_files: Callable[[], int]
) -> None:
    d = receive(world)
    before = (stored_files(), DossierFile.objects.count(), d.events.count(), d.version)
    settings.ONESTOP_MAX_UPLOAD_BYTES = 100  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="quá lớn"):
        act(d, "forward", world.specialist, uploads=[Upload(file=upload("bao-cao.pdf", PDF_BYTES + b"0" * 200))])
    fresh = Dossier.objects.get(pk=d.pk)
    assert (stored_files(), DossierFile.objects.count(), fresh.events.count(), fresh.version) == before
    assert fresh.current_step == d.current_step


def test_a_missing_required_document_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        receive(world, uploads=[])
    assert exc.value.message_dict["documents"] == ["Thiếu thành phần hồ sơ bắt buộc: Đơn đề nghị."]
    assert not Dossier.objects.exists()


def test_files_are_stored_outside_the_public_media_folder(world: World, settings: object) -> None:
    d = receive(world, uploads=[Upload(file=pdf("ho-so.pdf"), document=world.procedure.documents.first())])
    stored = d.files.get()
    assert stored.file.path.startswith(str(settings.ONESTOP_FILES_ROOT))  # type: ignore[attr-defined]
    assert not stored.file.path.startswith(str(settings.MEDIA_ROOT))  # type: ignore[attr-defined]
    assert "ho-so" not in stored.file.name  # an unguessable name; the original is kept apart
    assert stored.original_name == "ho-so.pdf"
