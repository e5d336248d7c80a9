"""Form fields carry their constraints as data (issue 12, H6): an administrator sets min/max, lengths, a pattern with
its message and a date range on a procedure's form field; the browser gets them as HTML attributes and the server
checks the same definition (validators.check_constraints) for the online draft, the counter and the API."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from eprovince.onestop.constants import FormFieldType
from eprovince.onestop.forms import answer_fields
from eprovince.onestop.models import Dossier, FormField
from eprovince.onestop.services.catalogue import procedure_part_save
from eprovince.onestop.validators import validate_form_data

from .factories import PDF_BYTES, World, receive, sign_up, upload

API = "/api/v1/onestop"


def constrain(world: World, key: str, **rules: Any) -> FormField:
    field = FormField.objects.get(procedure=world.procedure, key=key)
    return procedure_part_save(procedure=world.procedure, model=FormField, acting_user=None, instance=field, **rules)


# --- The definition --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "rules", "field", "message"),
    [
        ("so_may", {"min_value": 10, "max_value": 1}, "min_value", "không được lớn hơn giá trị lớn nhất"),
        ("ten_doanh_nghiep", {"min_length": 50, "max_length": 5}, "min_length", "không được lớn hơn số ký tự tối đa"),
        ("ten_doanh_nghiep", {"pattern": "[0-9"}, "pattern", "không phải là biểu thức chính quy hợp lệ"),
        ("ten_doanh_nghiep", {"max_length": 5000}, "max_length", "2000"),
        ("so_may", {"pattern": r"\d+"}, "pattern", "Kiểu dữ liệu này không dùng ràng buộc này"),
        ("ten_doanh_nghiep", {"min_value": 1}, "min_value", "Kiểu dữ liệu này không dùng ràng buộc này"),
        ("ten_doanh_nghiep", {"pattern_message": "Sai"}, "pattern_message", "Chỉ cần thông báo khi có mẫu định dạng"),
        ("so_may", {"prefill": "name"}, "prefill", "Chỉ trường kiểu văn bản"),
    ],
)
def test_a_definition_that_cannot_be_met_is_refused(
    world: World, key: str, rules: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        constrain(world, key, **rules)
    assert message in " ".join(caught.value.message_dict[field])


@pytest.mark.django_db
def test_a_date_range_the_wrong_way_round_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        procedure_part_save(
            procedure=world.procedure, model=FormField, acting_user=None, key="ngay", label="Ngày khai trương",
            field_type=FormFieldType.DATE, min_date=dt.date(2027, 1, 1), max_date=dt.date(2026, 1, 1),
        )  # fmt: skip
    assert "Ngày sớm nhất không được sau ngày muộn nhất" in caught.value.message_dict["min_date"][0]


@pytest.mark.django_db
def test_the_catalogue_editor_offers_the_constraints(world: World) -> None:
    client = Client()
    client.force_login(world.admin)
    field = FormField.objects.get(procedure=world.procedure, key="so_may")
    url = f"/can-bo/mot-cua/thu-tuc/{world.procedure.pk}/truong/{field.pk}/sua/"
    page = client.get(url)
    assert page.status_code == 200
    for label in ("Giá trị nhỏ nhất", "Giá trị lớn nhất", "Số ký tự tối đa", "Mẫu định dạng", "Ngày sớm nhất"):
        assert label in page.content.decode()
    data = {
        "key": "so_may", "label": "Số máy in", "field_type": "number", "help_text": "", "group": "", "order": 2,
        "min_value": "1", "max_value": "500", "choices_text": "",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    field.refresh_from_db()
    assert (field.min_value, field.max_value) == (Decimal(1), Decimal(500))
    wrong = client.post(url, {**data, "min_value": "600"})
    assert "Giá trị nhỏ nhất không được lớn hơn giá trị lớn nhất" in wrong.content.decode()


# --- The server's check: one validator for the draft, the counter and the API ----------------------------------------


@pytest.mark.django_db
def test_negative_and_zero_counts_are_refused_everywhere(world: World) -> None:
    constrain(world, "so_may", min_value=1, max_value=500)
    fields = list(world.procedure.form_fields.all())
    for typed in ("-3", "0", 0, "501"):
        with pytest.raises(ValidationError) as caught:
            validate_form_data(fields, {"so_may": typed}, partial=True)
        assert caught.value.message_dict["so_may"]
    assert validate_form_data(fields, {"so_may": "1"}, partial=True) == {"so_may": 1}
    # the counter (service used by the clerk's form)
    with pytest.raises(ValidationError) as counter:
        receive(world, form_data={"ten_doanh_nghiep": "Mê Kông", "loai_hinh": "Trong nước", "so_may": "-3"})
    assert "“Số máy in” phải từ 1 trở lên." in counter.value.message_dict["form_data.so_may"]
    # the API
    client = Client()
    client.force_login(world.clerk)
    doc = world.procedure.documents.get(is_required=True)
    response = client.post(f"{API}/dossiers", {
        "procedure": "1.000001", "applicant_name": "Công ty Mê Kông", "applicant_phone": "0911111111",
        "form_data": json.dumps({"ten_doanh_nghiep": "Mê Kông", "loai_hinh": "Trong nước", "so_may": "0"}),
        f"document_{doc.pk}": upload("don.pdf", PDF_BYTES),
    })  # fmt: skip
    assert response.status_code == 400
    assert response.json()["fields"]["form_data.so_may"] == ["“Số máy in” phải từ 1 trở lên."]


@pytest.mark.django_db
def test_text_length_pattern_and_dates_are_checked_with_the_administrators_message(world: World) -> None:
    constrain(
        world, "ten_doanh_nghiep", min_length=3, max_length=40, pattern=r"[^0-9]+", pattern_message="Tên không chứa chữ số."
    )
    date = procedure_part_save(
        procedure=world.procedure, model=FormField, acting_user=None, key="ngay", label="Ngày khai trương", required=False,
        field_type=FormFieldType.DATE, min_date=dt.date(2026, 1, 1), max_date=dt.date(2026, 12, 31),
    )  # fmt: skip
    fields = list(world.procedure.form_fields.all())

    def problem(data: dict[str, Any]) -> list[str]:
        with pytest.raises(ValidationError) as caught:
            validate_form_data(fields, data, partial=True)
        return [m for messages in caught.value.message_dict.values() for m in messages]

    assert problem({"ten_doanh_nghiep": "AB"}) == ["“Tên doanh nghiệp” cần ít nhất 3 ký tự."]
    assert problem({"ten_doanh_nghiep": "A" * 41}) == ["“Tên doanh nghiệp” không được quá 40 ký tự."]
    assert problem({"ten_doanh_nghiep": "Công ty 123"}) == ["Tên không chứa chữ số."]
    assert problem({"ngay": "31/12/2025"}) == ["“Ngày khai trương” không được trước ngày 01/01/2026."]
    assert problem({"ngay": "01/01/2027"}) == ["“Ngày khai trương” không được sau ngày 31/12/2026."]
    assert validate_form_data(fields, {"ten_doanh_nghiep": "Mê Kông", "ngay": "15/06/2026"}, partial=True) == {
        "ten_doanh_nghiep": "Mê Kông", date.key: "2026-06-15",
    }  # fmt: skip


# --- The browser's check: the same definition as attributes ----------------------------------------------------------


@pytest.mark.django_db
def test_the_draft_page_renders_the_constraints_as_attributes_and_refuses_minus_three(world: World) -> None:
    constrain(world, "so_may", min_value=1, max_value=500)
    constrain(
        world, "ten_doanh_nghiep", min_length=3, max_length=40, pattern=r"[^0-9]+", pattern_message="Tên không chứa chữ số."
    )
    client = Client()
    client.force_login(sign_up())
    client.post("/thu-tuc-hanh-chinh/1.000001/nop-truc-tuyen/")
    draft = Dossier.objects.latest("pk")
    url = f"/ho-so-cua-toi/nhap/{draft.pk}/to-khai/1/"
    html = client.get(url).content.decode()
    number = re.search(r'<input[^>]*name="f_so_may"[^>]*>', html)
    text = re.search(r'<input[^>]*name="f_ten_doanh_nghiep"[^>]*>', html)
    assert number and text, html
    for attribute in ('type="number"', 'min="1"', 'max="500"'):
        assert attribute in number.group(0)
    for attribute in ('minlength="3"', 'maxlength="40"', 'pattern="[^0-9]+"', 'title="Tên không chứa chữ số."'):
        assert attribute in text.group(0)
    response = client.post(url, {"f_ten_doanh_nghiep": "Mê Kông", "f_so_may": "-3", "f_loai_hinh": "Trong nước"})
    assert response.status_code == 400
    assert "“Số máy in” phải từ 1 trở lên." in response.content.decode()
    draft.refresh_from_db()
    assert "so_may" not in draft.form_data


# --- Property: whatever the server accepts meets the constraints ------------------------------------------------------

_bounds = st.one_of(st.none(), st.integers(min_value=-1000, max_value=1000))


@settings(max_examples=200, deadline=None)
@given(low=_bounds, high=_bounds, typed=st.one_of(st.integers(-2000, 2000), st.text(max_size=8), st.floats(-2000, 2000)))
def test_any_number_the_server_accepts_is_within_the_range(low: int | None, high: int | None, typed: Any) -> None:
    field = FormField(key="so", label="Số", field_type=FormFieldType.NUMBER, required=False,
                      min_value=None if low is None else Decimal(low), max_value=None if high is None else Decimal(high))  # fmt: skip
    try:
        cleaned = validate_form_data([field], {"so": typed}, partial=True)
    except ValidationError:
        return
    if "so" in cleaned:
        value = Decimal(str(cleaned["so"]))
        assert low is None or value >= low
        assert high is None or value <= high


@settings(max_examples=200, deadline=None)
@given(
    low=st.one_of(st.none(), st.integers(0, 6)), high=st.one_of(st.none(), st.integers(0, 6)),
    pattern=st.sampled_from(["", "[a-z]+", r"\d{2,4}", "[^0-9]*"]), typed=st.text(max_size=10),
)  # fmt: skip
def test_any_text_the_server_accepts_meets_its_length_and_pattern(
    low: int | None, high: int | None, pattern: str, typed: str
) -> None:
    field = FormField(key="t", label="Chữ", field_type=FormFieldType.TEXT, required=False, min_length=low, max_length=high,
                      pattern=pattern)  # fmt: skip
    try:
        cleaned = validate_form_data([field], {"t": typed}, partial=True)
    except ValidationError:
        return
    if "t" in cleaned:
        value = cleaned["t"]
        assert low is None or len(value) >= low
        assert high is None or len(value) <= high
        assert not pattern or re.fullmatch(pattern, value)


@pytest.mark.django_db
def test_the_hint_states_the_constraints_up_front(world: World) -> None:
    number = constrain(world, "so_may", min_value=1, max_value=1500)
    text = constrain(world, "ten_doanh_nghiep", max_length=40)
    assert answer_fields(number)["f_so_may"].help_text == "Từ 1 đến 1.500."
    assert answer_fields(text)["f_ten_doanh_nghiep"].help_text == "Tối đa 40 ký tự."
