"""The error summary and field components, and the one helper that puts a service's ValidationError on a form."""

from __future__ import annotations

import re
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from eprovince.core.form_errors import apply_validation_error, summary_items


class PointForm(forms.Form):
    name = forms.CharField(label="Tên điểm")
    count = forms.IntegerField(label="Số điểm phục vụ")
    kind = forms.ChoiceField(label="Loại", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    note = forms.CharField(label="Ghi chú", required=False, help_text="Không bắt buộc.")

    def clean(self) -> dict:
        super().clean()
        raise ValidationError("Không lưu được: điểm này đã đóng.")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do")


def _summary(**context: object) -> str:
    return render_to_string("includes/error_summary.html", context)


def test_the_summary_names_and_links_every_field_error_and_lists_the_form_s_own_error_as_text() -> None:
    form = PointForm(data={"count": "mười"})

    html = _summary(form=form)

    assert 'role="alert"' in html and 'tabindex="-1"' in html and "data-error-summary" in html
    assert "Có lỗi cần sửa" in html
    assert "<li>Không lưu được: điểm này đã đóng.</li>" in html
    assert '<a href="#id_name">Tên điểm: Trường này là bắt buộc.</a>' in html
    assert re.search(r'<a href="#id_count">Số điểm phục vụ: [^<]+</a>', html)
    # a group of radios links to its first option
    assert '<a href="#id_kind_0">Loại: Trường này là bắt buộc.</a>' in html
    assert len(re.findall(r"<li>", html)) == 4


def test_the_summary_renders_nothing_without_errors() -> None:
    assert _summary(form=PointForm()).strip() == ""
    assert _summary(form=ReasonForm(data={"reason": "đủ"})).strip() == ""
    assert _summary().strip() == ""


def test_the_summary_lists_the_errors_of_several_forms_once_each() -> None:
    point = PointForm(data={"name": "A", "count": "1", "kind": "a"})
    reason = ReasonForm(data={}, prefix="refuse")

    html = _summary(form=point, forms=[point, reason])

    assert html.count("điểm này đã đóng") == 1
    assert '<a href="#id_refuse-reason">Lý do: Trường này là bắt buộc.</a>' in html


def test_the_field_component_ties_hint_and_error_to_the_input() -> None:
    form = PointForm(data={"count": "x", "note": "y" * 3})
    form.add_error("note", "Ghi chú quá ngắn.")

    html = render_to_string("includes/field.html", {"field": form["note"]})

    assert '<label for="id_note">Ghi chú</label>' in html
    assert 'id="id_note_helptext"' in html and 'id="id_note_error"' in html
    assert 'aria-describedby="id_note_helptext id_note_error"' in html
    assert 'aria-invalid="true"' in html
    assert "Lỗi:" in html

    group = render_to_string("includes/field.html", {"field": form["kind"]})
    assert "<legend>Loại" in group and 'aria-describedby="id_kind_error"' in group


def test_a_service_error_goes_under_the_field_it_names_or_on_the_form() -> None:
    form = ReasonForm(data={"reason": "ok"})
    assert form.is_valid()

    apply_validation_error(form, ValidationError({"reason": ["Lý do quá ngắn."], "other": ["Không hợp lệ."]}))
    apply_validation_error(form, ValidationError("Hồ sơ đã được xử lý."))

    assert form.errors["reason"] == ["Lý do quá ngắn."]
    assert form.non_field_errors() == ["Không hợp lệ.", "Hồ sơ đã được xử lý."]
    assert [item.message for item in summary_items(form)] == ["Không hợp lệ.", "Hồ sơ đã được xử lý.", "Lý do quá ngắn."]


def test_no_module_keeps_its_own_copy_of_the_helper() -> None:
    """One rule, one place: putting a service's errors on a form is core.form_errors.apply_validation_error."""
    root = Path(__file__).resolve().parents[2]
    copies = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and re.search(r"add_error\(\w+ if \w+ in \w+\.fields", path.read_text())
    ]
    assert copies == ["core/form_errors.py"]


def test_an_error_message_after_a_redirect_is_focused_like_the_summary() -> None:
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message

    html = render_to_string(
        "components/messages.html",
        {
            "messages": [Message(constants.SUCCESS, "Đã lưu."), Message(constants.ERROR, "Vui lòng nêu lý do.")],
            "DEFAULT_MESSAGE_LEVELS": constants.DEFAULT_LEVELS,
        },
    )

    assert '<div class="alert alert-success">Đã lưu.</div>' in html
    assert '<div class="alert alert-error" tabindex="-1" data-error-summary>Vui lòng nêu lý do.</div>' in html


def test_django_s_own_messages_read_as_vietnamese():
    """Django 6.1's blank choice ("- Select an option -") has no Vietnamese in Django's catalogue, and its "Enter a
    whole number." reads "Nhập một số tổng thể.": the platform's vi catalogue overrides both."""
    import pytest
    from django import forms as django_forms
    from django.db.models.fields import BLANK_CHOICE_LABEL
    from django.utils import translation

    with translation.override("vi"):
        assert str(BLANK_CHOICE_LABEL) == "— Chọn —"
        with pytest.raises(django_forms.ValidationError) as caught:
            django_forms.IntegerField().clean("abc")
        assert caught.value.messages == ["Vui lòng nhập một số nguyên."]
