"""The catalogue screens: only administrators get in; data elements, disaggregations, indicators (formulas checked by
the app's parser, errors with the position), report forms and their validation rules are created, changed and
deleted from the screens, every change audited; whatever is in use cannot be deleted and says why."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from eprovince.core.constants import Role
from eprovince.core.models import AuditEvent
from eprovince.core.testing import make_user

from ..models import CategoryCombo, CategoryOption, DataElement, Indicator, ReportForm, ValidationRule
from ..selectors import reviewable_forms
from ..services import catalogue
from . import factories as f

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(world: f.World) -> Client:
    return client_for(make_user("quantri", Role.ADMIN, full_name="Quản trị hệ thống"))


def _element_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "code": "FIBRE_KM",
        "name": "Chiều dài cáp quang",
        "short_name": "",
        "description": "",
        "unit": "km",
        "value_type": "decimal",
        "decimals": "1",
        "aggregation": "sum",
        "time_aggregation": "last",
        "category_combo": "",
        "order": "100",
    }
    data.update(overrides)
    return data


def _errors(response: Any) -> str:
    return response.content.decode()


def _catalogue_urls(world: f.World) -> list[str]:
    element = world.elements["REVENUE"]
    form = world.enterprise_form
    assert form is not None
    rule = form.rules.first()
    assert rule is not None
    return [
        reverse("indicators:catalogue_elements"),
        reverse("indicators:catalogue_element_create"),
        reverse("indicators:catalogue_element_edit", args=[element.pk]),
        reverse("indicators:catalogue_element_delete", args=[element.pk]),
        reverse("indicators:catalogue_combos"),
        reverse("indicators:catalogue_combo_create"),
        reverse("indicators:catalogue_indicators"),
        reverse("indicators:catalogue_indicator_create"),
        reverse("indicators:catalogue_forms"),
        reverse("indicators:catalogue_form_create"),
        reverse("indicators:catalogue_form", args=[form.pk]),
        reverse("indicators:catalogue_form_edit", args=[form.pk]),
        reverse("indicators:catalogue_form_delete", args=[form.pk]),
        reverse("indicators:catalogue_rule_create", args=[form.pk]),
        reverse("indicators:catalogue_rule_edit", args=[form.pk, rule.pk]),
        reverse("indicators:catalogue_targets_year", args=[2025]),
    ]


def test_only_administrators_open_the_catalogue(client: Client, world: f.World, admin: Client) -> None:
    urls = _catalogue_urls(world)
    for url in urls:
        assert client.get(url).status_code == 302, url  # to the login page
        for user in (world.reviewer, world.leader, world.specialist, world.officer_tanchau):
            assert client_for(user).get(url).status_code == 403, (url, user)
        assert admin.get(url).status_code == 200, url
    reviewer = client_for(world.reviewer)
    assert reviewer.post(reverse("indicators:catalogue_element_create"), _element_data()).status_code == 403
    assert reviewer.post(reverse("indicators:catalogue_element_delete", args=[world.elements["BTS"].pk])).status_code == 403
    assert not DataElement.objects.filter(code="FIBRE_KM").exists()
    assert DataElement.objects.filter(code="BTS").exists()
    # The staff home offers the catalogue to administrators only.
    assert reverse("indicators:catalogue_elements") in admin.get("/can-bo/").content.decode()
    assert reverse("indicators:catalogue_elements") not in reviewer.get("/can-bo/").content.decode()


def test_forged_ids_answer_404(world: f.World, admin: Client) -> None:
    form = world.enterprise_form
    other_rule = world.committee_form.rules.create(  # type: ignore[union-attr]
        name="x", left="#{POPULATION}", operator=">=", right="0", message="m"
    )
    assert form is not None
    for url in (
        reverse("indicators:catalogue_element_edit", args=[999999]),
        reverse("indicators:catalogue_element_delete", args=[999999]),
        reverse("indicators:catalogue_combo_edit", args=[999999]),
        reverse("indicators:catalogue_indicator_edit", args=[999999]),
        reverse("indicators:catalogue_form", args=[999999]),
        reverse("indicators:catalogue_form_edit", args=[999999]),
        reverse("indicators:catalogue_rule_create", args=[999999]),
        # A rule of another form, reached through this form's address.
        reverse("indicators:catalogue_rule_edit", args=[form.pk, other_rule.pk]),
        reverse("indicators:catalogue_rule_delete", args=[form.pk, other_rule.pk]),
    ):
        assert admin.get(url).status_code == 404, url
        assert admin.post(url, {}).status_code == 404, url
    assert ValidationRule.objects.filter(pk=other_rule.pk).exists()


def test_a_data_element_is_created_searched_and_changed_with_its_code_fixed(world: f.World, admin: Client) -> None:
    combo = CategoryCombo.objects.get(code="OPERATOR")
    response = admin.post(
        reverse("indicators:catalogue_element_create"), _element_data(category_combo=str(combo.pk)), follow=True
    )
    assert "Đã lưu chỉ tiêu dữ liệu “Chiều dài cáp quang”." in response.content.decode()
    element = DataElement.objects.get(code="FIBRE_KM")
    assert (element.unit, element.time_aggregation, element.category_combo) == ("km", "last", combo)
    assert AuditEvent.objects.filter(content_type__model="dataelement", object_id=str(element.pk), action="create").exists()

    page = admin.get(reverse("indicators:catalogue_elements"), {"q": "CAP QUANG"}).content.decode()  # no diacritics
    assert "Chiều dài cáp quang" in page and "Doanh thu" not in page

    url = reverse("indicators:catalogue_element_edit", args=[element.pk])
    admin.post(url, _element_data(code="HACKED", name="Chiều dài tuyến cáp quang", category_combo=str(combo.pk)))
    element.refresh_from_db()
    assert (element.code, element.name) == ("FIBRE_KM", "Chiều dài tuyến cáp quang")
    assert AuditEvent.objects.filter(content_type__model="dataelement", object_id=str(element.pk), action="update").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": "fibre"}, "Mã gồm chữ in hoa không dấu"),
        ({"code": "REVENUE"}, "Mã “REVENUE” đã được dùng"),
        ({"name": ""}, "This field is required|Trường này là bắt buộc"),
        ({"value_type": "text"}, "Select a valid choice|Hãy chọn một lựa chọn hợp lệ"),
        ({"aggregation": "median"}, "Select a valid choice|Hãy chọn một lựa chọn hợp lệ"),
        ({"category_combo": "999999"}, "Select a valid choice|Hãy chọn một lựa chọn hợp lệ"),
        ({"decimals": "-1"}, "0"),
    ],
)
def test_a_wrong_data_element_is_refused_and_nothing_changes(
    world: f.World, admin: Client, overrides: dict[str, str], message: str
) -> None:
    before = DataElement.objects.count(), AuditEvent.objects.count()
    response = admin.post(reverse("indicators:catalogue_element_create"), _element_data(**overrides))
    assert response.status_code == 400
    assert any(m in response.content.decode() for m in message.split("|"))
    assert (DataElement.objects.count(), AuditEvent.objects.count()) == before


def test_the_catalogue_form_summarises_every_error_at_the_top_naming_the_fields(world: f.World, admin: Client) -> None:
    response = admin.post(reverse("indicators:catalogue_element_create"), _element_data(name="", decimals="-1"))
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index("Có lỗi cần sửa") :]
    assert 'href="#id_name"' in summary and 'href="#id_decimals"' in summary


def test_an_element_with_values_keeps_its_type_and_one_in_use_cannot_be_deleted(world: f.World, admin: Client) -> None:
    f.approved(world, world.committee_form, "2024", world.tanchau, {"POPULATION": "150000"})  # type: ignore[arg-type]
    population = world.elements["POPULATION"]
    url = reverse("indicators:catalogue_element_edit", args=[population.pk])
    response = admin.post(url, _element_data(code="POPULATION", name="Dân số", value_type="decimal"))
    assert response.status_code == 400
    assert "Chỉ tiêu đã có số liệu nên không đổi được kiểu giá trị." in response.content.decode()

    delete = reverse("indicators:catalogue_element_delete", args=[population.pk])
    page = admin.get(delete).content.decode()
    assert "Không xóa được vì đang được dùng" in page and "Báo cáo ứng dụng CNTT của UBND cấp huyện" in page
    response = admin.post(delete, follow=True)
    assert "Không xóa được chỉ tiêu dữ liệu “Dân số”" in response.content.decode()
    assert DataElement.objects.filter(pk=population.pk).exists()

    unused = catalogue.data_element_save(acting_user=None, code="UNUSED", name="Chỉ tiêu thử")
    response = admin.post(reverse("indicators:catalogue_element_delete", args=[unused.pk]), follow=True)
    assert "Đã xóa “Chỉ tiêu thử”." in response.content.decode()
    assert not DataElement.objects.filter(code="UNUSED").exists()
    assert AuditEvent.objects.filter(content_type__model="dataelement", object_id=str(unused.pk), action="delete").exists()


def test_an_element_named_by_an_indicator_formula_cannot_be_deleted(world: f.World, admin: Client) -> None:
    element = catalogue.data_element_save(acting_user=None, code="FIBRE_KM", name="Cáp quang")
    catalogue.indicator_save(acting_user=None, code="FIBRE_PER_BTS", name="Cáp quang mỗi trạm", formula="#{FIBRE_KM} / #{BTS}")
    response = admin.post(reverse("indicators:catalogue_element_delete", args=[element.pk]), follow=True)
    assert "được dùng trong công thức của chỉ số “Cáp quang mỗi trạm”" in response.content.decode()
    assert DataElement.objects.filter(pk=element.pk).exists()


# Indicators ----------------------------------------------------------------------------------------------------


def _indicator_data(formula: str, **overrides: Any) -> dict[str, Any]:
    return {"code": "DENSITY", "name": "Mật độ thuê bao", "description": "", "formula": formula, "unit": "thuê bao/100 dân",
            "decimals": "1", "order": "10", **overrides}  # fmt: skip


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("#{SUB_PHONE} / #{POPULATION} * ", "Công thức kết thúc đột ngột."),
        ("#{SUB_PHONE} * * 2", "Không hiểu “*” ở vị trí 16."),
        ("#{SUB_PHONE} $ 2", "Ký tự không hợp lệ “$” ở vị trí 14."),
        ("(#{SUB_PHONE} + 1", "Thiếu “)” ở vị trí 18."),
        ("__import__(1)", "Hàm “__import__” không được hỗ trợ."),
        ("eval(#{SUB_PHONE})", "Hàm “eval” không được hỗ trợ."),
        ("round(#{SUB_PHONE}, #{BTS})", "Số chữ số của hàm round phải là một hằng số."),
        ("#{SUB_PHONE} / #{DAN_SO} * 100", "Không có chỉ tiêu dữ liệu mã: DAN_SO."),
        ("#{SUB_MOBILE.SFONE}", "Không có nhóm phân tổ: SUB_MOBILE.SFONE."),
        ("#{DENSITY_OLD} + 1", "Không có chỉ tiêu dữ liệu mã: DENSITY_OLD."),
        ("   ", "This field is required|Trường này là bắt buộc"),
    ],
)
def test_a_wrong_formula_shows_the_parsers_error_and_saves_nothing(
    world: f.World, admin: Client, formula: str, expected: str
) -> None:
    before = Indicator.objects.count(), AuditEvent.objects.count()
    response = admin.post(reverse("indicators:catalogue_indicator_create"), _indicator_data(formula))
    page = response.content.decode()
    assert response.status_code == 400
    assert any(m in page for m in expected.split("|")), page[page.find("error-text") - 200 : page.find("error-text") + 600]
    assert (Indicator.objects.count(), AuditEvent.objects.count()) == before


def test_a_parse_error_points_at_the_character(world: f.World, admin: Client) -> None:
    page = admin.post(
        reverse("indicators:catalogue_indicator_create"), _indicator_data("#{SUB_PHONE} / #{POPULATION} * ")
    ).content.decode()
    assert "Lỗi ở ký tự thứ 31: …E} / #{POPULATION} *▸" in page  # just after the last "*": nothing follows


def test_an_indicator_can_only_use_data_elements_not_other_indicators(world: f.World, admin: Client) -> None:
    admin.post(reverse("indicators:catalogue_indicator_create"), _indicator_data("#{SUB_PHONE} / #{POPULATION} * 100"))
    assert Indicator.objects.filter(code="DENSITY").exists()
    response = admin.post(
        reverse("indicators:catalogue_indicator_create"), _indicator_data("#{DENSITY} * 2", code="DOUBLE_DENSITY")
    )
    assert "Không có chỉ tiêu dữ liệu mã: DENSITY." in response.content.decode()
    assert not Indicator.objects.filter(code="DOUBLE_DENSITY").exists()


def test_an_indicator_is_created_changed_and_deleted_unless_it_has_targets(world: f.World, admin: Client) -> None:
    response = admin.post(
        reverse("indicators:catalogue_indicator_create"), _indicator_data("#{SUB_PHONE} / #{POPULATION} * 100"), follow=True
    )
    assert "Đã lưu chỉ số “Mật độ thuê bao”." in response.content.decode()
    indicator = Indicator.objects.get(code="DENSITY")
    edit = reverse("indicators:catalogue_indicator_edit", args=[indicator.pk])
    response = admin.post(edit, _indicator_data("#{SUB_PHONE} / #{POPULATION} *"))
    assert response.status_code == 400
    indicator.refresh_from_db()
    assert indicator.formula == "#{SUB_PHONE} / #{POPULATION} * 100"
    admin.post(edit, _indicator_data("(#{SUB_PHONE} + #{SUB_INTERNET}) / #{POPULATION} * 100"))
    indicator.refresh_from_db()
    assert indicator.formula.startswith("(#{SUB_PHONE}")

    catalogue.target_set(acting_user=None, indicator=indicator, year=2025, value=96)  # type: ignore[arg-type]
    response = admin.post(reverse("indicators:catalogue_indicator_delete", args=[indicator.pk]), follow=True)
    assert "có chỉ tiêu kế hoạch các năm 2025" in response.content.decode()
    assert Indicator.objects.filter(pk=indicator.pk).exists()


# Disaggregations -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("", "This field is required|Trường này là bắt buộc"),
        ("VNPT", "Dòng 1: cần có mã và tên"),
        ("vnpt | VNPT", "Dòng 1: mã “vnpt” không hợp lệ"),
        ("VNPT | VNPT\nVNPT | Lặp", "Mã nhóm bị trùng: VNPT."),
        ("VNPT | VNPT\n | Không mã", "Dòng 2: cần có mã và tên"),
    ],
)
def test_a_wrong_disaggregation_is_refused(world: f.World, admin: Client, options: str, message: str) -> None:
    response = admin.post(
        reverse("indicators:catalogue_combo_create"), {"code": "AREA", "name": "Theo khu vực", "options": options}
    )
    assert response.status_code == 400
    assert any(m in response.content.decode() for m in message.split("|"))
    assert not CategoryCombo.objects.filter(code="AREA").exists()


def test_a_disaggregation_keeps_the_options_that_have_values(world: f.World, admin: Client) -> None:
    response = admin.post(
        reverse("indicators:catalogue_combo_create"),
        {"code": "AREA", "name": "Theo khu vực", "options": "URBAN | Thành thị\nRURAL | Nông thôn\n"},
        follow=True,
    )
    assert "Đã lưu cách phân tổ" in response.content.decode()
    assert list(CategoryOption.objects.filter(combo__code="AREA").values_list("code", flat=True)) == ["URBAN", "RURAL"]

    operators = CategoryCombo.objects.get(code="OPERATOR")
    round_ = f.open_round(world, world.enterprise_form, "2024S1")  # type: ignore[arg-type]
    f.save(world, f.submission(round_, world.vnpt), world.officer_vnpt, {"SUB_MOBILE.VNPT": "1000"})
    url = reverse("indicators:catalogue_combo_edit", args=[operators.pk])
    response = admin.post(url, {"name": "Theo doanh nghiệp", "options": "VIETTEL | Viettel\nMOBIFONE | MobiFone\nOTHER | Khác"})
    assert response.status_code == 400
    assert "Không bỏ được nhóm đã có số liệu: “VNPT”." in response.content.decode()
    assert operators.options.count() == 4
    # Dropping an unused option and renaming another works.
    admin.post(url, {"name": "Theo doanh nghiệp", "options": "VNPT | Tập đoàn VNPT\nVIETTEL | Viettel\nMOBIFONE | MobiFone"})
    assert dict(operators.options.values_list("code", "name")) == {
        "VNPT": "Tập đoàn VNPT",
        "VIETTEL": "Viettel",
        "MOBIFONE": "MobiFone",
    }
    response = admin.post(reverse("indicators:catalogue_combo_delete", args=[operators.pk]), follow=True)
    assert "đang dùng cho chỉ tiêu dữ liệu “Thuê bao di động”" in response.content.decode()


# Report forms and rules ----------------------------------------------------------------------------------------


def _form_data(world: f.World, **overrides: Any) -> dict[str, Any]:
    e = world.elements
    data: dict[str, Any] = {
        "code": "HA_TANG",
        "name": "Báo cáo hạ tầng kỹ thuật",
        "description": "",
        "owner": str(world.division.pk),
        "period_type": "quarter",
        "convention": "calendar",
        "deadline_days": "10",
        "change_comment_threshold": "",
        "active": "on",
        "elements": [str(e["BTS"].pk), str(e["SUB_INTERNET"].pk)],
        "organisations": [str(world.vnpt.pk), str(world.viettel.pk)],
    }
    data.update(overrides)
    return data


def test_a_report_form_is_created_with_its_elements_units_and_period(world: f.World, admin: Client) -> None:
    response = admin.post(
        reverse("indicators:catalogue_form_create"), _form_data(world, change_comment_threshold="12,5"), follow=True
    )
    page = response.content.decode()
    assert "Đã lưu biểu mẫu “Báo cáo hạ tầng kỹ thuật”." in page
    form = ReportForm.objects.get(code="HA_TANG")
    assert set(form.elements.values_list("code", flat=True)) == {"BTS", "SUB_INTERNET"}
    assert set(form.organisations.all()) == {world.vnpt, world.viettel}
    assert (form.period_type, form.convention, form.deadline_days, str(form.change_comment_threshold)) == (
        "quarter", "calendar", 10, "12.50"
    )  # fmt: skip
    assert "10 ngày sau khi kết thúc kỳ" in page
    assert form in reviewable_forms(world.reviewer)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"elements": []}, "Biểu mẫu phải có ít nhất một chỉ tiêu dữ liệu."),
        ({"elements": ["999999"]}, "Select a valid choice|Hãy chọn một lựa chọn hợp lệ"),
        ({"organisations": ["999999"]}, "Select a valid choice|Hãy chọn một lựa chọn hợp lệ"),
        ({"period_type": "week"}, "Select a valid choice|Hãy chọn một lựa chọn hợp lệ"),
        ({"convention": "lunar"}, "Select a valid choice|Hãy chọn một lựa chọn hợp lệ"),
        ({"deadline_days": "-3"}, "0"),
        ({"code": "DN_VT"}, "Mã “DN_VT” đã được dùng"),
        ({"code": "ha tang"}, "Mã gồm chữ in hoa không dấu"),
    ],
)
def test_a_wrong_report_form_is_refused(world: f.World, admin: Client, overrides: dict[str, Any], message: str) -> None:
    before = ReportForm.objects.count(), AuditEvent.objects.count()
    response = admin.post(reverse("indicators:catalogue_form_create"), _form_data(world, **overrides))
    assert response.status_code == 400
    assert any(m in response.content.decode() for m in message.split("|"))
    assert (ReportForm.objects.count(), AuditEvent.objects.count()) == before


def test_a_form_in_use_keeps_its_period_and_the_elements_its_rules_name_and_is_archived_not_deleted(
    world: f.World, admin: Client
) -> None:
    form = world.enterprise_form
    assert form is not None
    f.open_round(world, form, "2024S1")
    edit = reverse("indicators:catalogue_form_edit", args=[form.pk])
    current = [str(pk) for pk in form.elements.values_list("pk", flat=True)]
    base = _form_data(world, code="DN_VT", name=form.name, period_type="six_months", convention="decree_09", elements=current)
    response = admin.post(edit, {**base, "period_type": "quarter"})
    assert "Biểu mẫu đã có 1 đợt báo cáo nên không đổi được kỳ báo cáo hay cách tính kỳ." in response.content.decode()
    without_broadband = [pk for pk in current if pk != str(world.elements["SUB_BROADBAND"].pk)]
    response = admin.post(edit, {**base, "elements": without_broadband})
    assert "Không bỏ được SUB_BROADBAND khỏi biểu mẫu vì quy tắc kiểm tra" in response.content.decode()
    assert form.elements.filter(code="SUB_BROADBAND").exists()
    # Adding an element keeps the others' order; the new one comes last.
    admin.post(edit, {**base, "elements": [*current, str(world.elements["POPULATION"].pk)], "deadline_days": "15"})
    codes = list(form.form_elements.values_list("element__code", flat=True))
    assert codes[-1] == "POPULATION" and codes[0] == "REVENUE"
    form.refresh_from_db()
    assert form.deadline_days == 15

    response = admin.post(reverse("indicators:catalogue_form_delete", args=[form.pk]), follow=True)
    assert "đã có 1 đợt báo cáo dùng nó" in response.content.decode()
    assert ReportForm.objects.filter(pk=form.pk).exists()
    admin.post(reverse("indicators:catalogue_form_archive", args=[form.pk]), {"active": "0"})
    form.refresh_from_db()
    assert not form.active and form not in reviewable_forms(world.reviewer)
    assert AuditEvent.objects.filter(content_type__model="reportform", object_id=str(form.pk), action="update").exists()


def test_an_unused_form_is_deleted_with_its_rules(world: f.World, admin: Client) -> None:
    admin.post(reverse("indicators:catalogue_form_create"), _form_data(world))
    form = ReportForm.objects.get(code="HA_TANG")
    catalogue.validation_rule_save(acting_user=None, form=form, name="r", left="#{BTS}", operator=">=", right="0", message="m")
    response = admin.post(reverse("indicators:catalogue_form_delete", args=[form.pk]), follow=True)
    assert "Đã xóa" in response.content.decode()
    assert not ReportForm.objects.filter(code="HA_TANG").exists() and not ValidationRule.objects.filter(name="r").exists()


def _rule_data(**overrides: str) -> dict[str, str]:
    data = {"name": "Internet không nhỏ hơn băng rộng", "left": "#{SUB_INTERNET}", "operator": ">=", "right": "#{SUB_BROADBAND}",
            "severity": "error", "message": "Tổng thuê bao Internet phải lớn hơn hoặc bằng số thuê bao băng rộng.", "order": "10"}  # fmt: skip
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"left": "#{POPULATION}"}, "Không có chỉ tiêu dữ liệu mã: POPULATION."),  # not an element of this form
        ({"right": "#{SUB_BROADBAND} +"}, "Công thức kết thúc đột ngột."),
        ({"left": "#{SUB_INTERNET} ** 2"}, "Không hiểu “*” ở vị trí 18."),
        ({"operator": "=>"}, "Select a valid choice|Hãy chọn một lựa chọn hợp lệ"),
        ({"severity": "fatal"}, "Select a valid choice|Hãy chọn một lựa chọn hợp lệ"),
        ({"name": "Băng rộng không vượt tổng thuê bao Internet"}, "Biểu mẫu đã có quy tắc tên này."),
        ({"message": ""}, "This field is required|Trường này là bắt buộc"),
    ],
)
def test_a_wrong_validation_rule_is_refused(world: f.World, admin: Client, overrides: dict[str, str], message: str) -> None:
    form = world.enterprise_form
    assert form is not None
    before = form.rules.count()
    response = admin.post(reverse("indicators:catalogue_rule_create", args=[form.pk]), _rule_data(**overrides))
    assert response.status_code == 400
    assert any(m in response.content.decode() for m in message.split("|"))
    assert form.rules.count() == before


def test_a_validation_rule_is_added_changed_and_deleted(world: f.World, admin: Client) -> None:
    form = world.enterprise_form
    assert form is not None
    admin.post(reverse("indicators:catalogue_rule_create", args=[form.pk]), _rule_data(severity="warning"))
    rule = form.rules.get(name="Internet không nhỏ hơn băng rộng")
    page = admin.get(reverse("indicators:catalogue_form", args=[form.pk])).content.decode()
    assert "#{SUB_INTERNET} ≥ #{SUB_BROADBAND}" in page
    admin.post(reverse("indicators:catalogue_rule_edit", args=[form.pk, rule.pk]), _rule_data(name="Đổi tên", right="0"))
    rule.refresh_from_db()
    assert (rule.name, rule.right, rule.severity) == ("Đổi tên", "0", "error")
    admin.post(reverse("indicators:catalogue_rule_delete", args=[form.pk, rule.pk]))
    assert not ValidationRule.objects.filter(pk=rule.pk).exists()
    actions = set(
        AuditEvent.objects.filter(content_type__model="validationrule", object_id=str(rule.pk)).values_list("action", flat=True)
    )
    assert actions == {"create", "update", "delete"}


def test_list_pages_use_a_fixed_number_of_queries(world: f.World, admin: Client, django_assert_max_num_queries: Any) -> None:
    for n in range(15):
        catalogue.data_element_save(acting_user=None, code=f"EXTRA_{n}", name=f"Chỉ tiêu {n}")
    for name in ("catalogue_elements", "catalogue_combos", "catalogue_indicators", "catalogue_forms"):
        with django_assert_max_num_queries(12):
            assert admin.get(reverse(f"indicators:{name}")).status_code == 200
