"""A scoped administrator is scoped in the one-stop shop and the platform's other administrative pages (issue 10,
"Authorisation"): an administrator of the Department of Science and Technology administers its procedures,
numbering and collection account, not those of the Department of Health; the national-portal outbox, the fields
of procedures, the official calendar and the indicator catalogue are the platform administrator's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from eprovince.core.constants import Role
from eprovince.core.testing import make_user
from eprovince.indicators.permissions import can_manage_catalogue as can_manage_indicator_catalogue
from eprovince.onestop.models import Field, PaymentMethod, Procedure, ProcessStep, RequiredDocument, ResultTemplate
from eprovince.onestop.models.payments import PaymentAccount
from eprovince.onestop.services.catalogue import (
    field_save,
    numbering_save,
    procedure_part_delete,
    procedure_part_save,
    procedure_save,
)
from eprovince.onestop.services.payments import (
    can_confirm_payment,
    payment_account_save,
    payment_confirm,
    statement_organisations,
)
from eprovince.onestop.services.results import result_template_save
from eprovince.workcalendar.models import CalendarDay
from eprovince.workcalendar.services import calendar_day_create, calendar_prefill_year

from .factories import World, receive

pytestmark = pytest.mark.django_db

ACCOUNT = {"bank_bin": "970415", "bank_name": "VietinBank", "account_number": "0011001234567", "account_name": "SO"}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admins(world: World) -> dict[str, Any]:
    """An administrator of the Department (which receives and handles both procedures) and one of the Department
    of Health (which has none of them); each agency has its collection account."""
    payment_account_save(acting_user=None, organisation=world.dept, **ACCOUNT)
    payment_account_save(acting_user=None, organisation=world.other_dept, **{**ACCOUNT, "account_number": "0022002234567"})
    return {
        "dept": make_user("quantri_so", (Role.ADMIN, world.dept), full_name="Quản trị Sở KH&CN"),
        "health": make_user("quantri_yte", (Role.ADMIN, world.other_dept), full_name="Quản trị Sở Y tế"),
    }


# --- The procedure catalogue -----------------------------------------------------------------------------------------


def test_an_agency_administrator_lists_only_its_own_procedures(world: World, admins: dict[str, Any]) -> None:
    url = reverse("onestop:procedure_admin_list")
    mine = client_for(admins["dept"]).get(url)
    assert mine.status_code == 200
    assert {p.pk for p in mine.context["page_obj"]} == {world.procedure.pk, world.bts.pk}
    theirs = client_for(admins["health"]).get(url)
    assert theirs.status_code == 200 and list(theirs.context["page_obj"]) == []
    assert reverse("onestop:field_list") not in theirs.content.decode(), "the fields of procedures are not theirs"
    assert {p.pk for p in client_for(world.admin).get(url).context["page_obj"]} == {world.procedure.pk, world.bts.pk}


def test_another_agencys_procedure_answers_404_on_every_page(world: World, admins: dict[str, Any]) -> None:
    client = client_for(admins["health"])
    p = world.procedure
    step = p.steps.first()
    doc = p.documents.first()
    for url in (
        reverse("onestop:procedure_admin_detail", args=[p.pk]),
        reverse("onestop:procedure_admin_edit", args=[p.pk]),
        reverse("onestop:result_template_edit", args=[p.pk]),
        reverse("onestop:part_create", args=[p.pk, "tai-lieu"]),
        reverse("onestop:part_edit", args=[p.pk, "buoc", step.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("onestop:procedure_admin_edit", args=[p.pk]), {"name": "Bị sửa"})
    assert response.status_code == 404
    response = client.post(reverse("onestop:part_delete", args=[p.pk, "tai-lieu", doc.pk]))
    assert response.status_code == 404
    assert Procedure.objects.get(pk=p.pk).name == "Cấp giấy phép bưu chính"
    assert RequiredDocument.objects.filter(pk=doc.pk).exists()


def test_the_catalogue_services_refuse_another_agencys_administrator(world: World, admins: dict[str, Any]) -> None:
    actor, p = admins["health"], world.procedure
    with pytest.raises(PermissionDenied):
        procedure_save(acting_user=actor, instance=p, name="Bị sửa")
    with pytest.raises(PermissionDenied):
        procedure_part_save(procedure=p, model=RequiredDocument, acting_user=actor, name="Giấy tờ lạ", order=9)
    with pytest.raises(PermissionDenied):
        procedure_part_delete(instance=p.documents.first(), acting_user=actor)
    with pytest.raises(PermissionDenied):
        result_template_save(procedure=p, acting_user=actor, title="GIẤY PHÉP", body="Nội dung")
    assert Procedure.objects.get(pk=p.pk).name == "Cấp giấy phép bưu chính"
    assert not ResultTemplate.objects.filter(procedure=p).exists()
    # the Department's own administrator may
    procedure_save(acting_user=admins["dept"], instance=p, name="Cấp giấy phép bưu chính (sửa)")
    assert Procedure.objects.get(pk=p.pk).name == "Cấp giấy phép bưu chính (sửa)"


def test_an_agency_administrator_cannot_hand_a_procedure_to_an_agency_outside_scope(world: World, admins: dict[str, Any]) -> None:
    actor = admins["dept"]
    with pytest.raises(ValidationError) as caught:
        procedure_save(acting_user=actor, instance=world.procedure, handling_agency=world.other_dept)
    assert "handling_agency" in caught.value.message_dict
    with pytest.raises(ValidationError):
        procedure_save(
            acting_user=actor, national_code="1.009999", name="Thủ tục của Sở Y tế", field=world.field,
            receiving_agency=world.other_dept, handling_agency=world.other_dept, online_level="full", legacy_level=4,
            processing_days=5, result_type="licence",
        )  # fmt: skip
    assert not Procedure.objects.filter(national_code="1.009999").exists()
    assert Procedure.objects.get(pk=world.procedure.pk).handling_agency == world.dept
    with pytest.raises(ValidationError) as caught:
        procedure_part_save(procedure=world.procedure, model=ProcessStep, acting_user=actor, instance=world.procedure.steps.first(),
                            organisation=world.other_dept)  # fmt: skip
    assert "organisation" in caught.value.message_dict


def test_the_procedure_form_offers_only_agencies_in_scope_and_refuses_a_forged_one(world: World, admins: dict[str, Any]) -> None:
    client = client_for(admins["dept"])
    form = client.get(reverse("onestop:procedure_admin_create")).context["form"]
    offered = set(form.fields["receiving_agency"].queryset.values_list("pk", flat=True))
    assert world.dept.pk in offered and world.division.pk in offered
    assert world.other_dept.pk not in offered and world.construction.pk not in offered
    data = {
        "national_code": "1.009998", "name": "Thủ tục thử", "field": world.field.pk, "receiving_agency": world.other_dept.pk,
        "handling_agency": world.dept.pk, "online_level": "full", "legacy_level": 4, "processing_days": 5, "fee": 0,
        "result_type": "licence",
    }  # fmt: skip
    response = client.post(reverse("onestop:procedure_admin_create"), data)
    assert response.status_code == 200 and "receiving_agency" in response.context["form"].errors
    assert not Procedure.objects.filter(national_code="1.009998").exists()


def test_fields_of_procedures_are_the_platforms(world: World, admins: dict[str, Any]) -> None:
    assert client_for(admins["dept"]).get(reverse("onestop:field_list")).status_code == 403
    with pytest.raises(PermissionDenied):
        field_save(acting_user=admins["dept"], code="y-te", name="Y tế")
    assert not Field.objects.filter(code="y-te").exists()
    assert client_for(world.admin).get(reverse("onestop:field_list")).status_code == 200


def test_numbering_is_set_only_for_administered_agencies(world: World, admins: dict[str, Any]) -> None:
    numbering_save(organisation=world.other_dept, pattern="{code}-{yymmdd}-{seq:4}", reset="daily", acting_user=None)
    with pytest.raises(PermissionDenied):
        numbering_save(organisation=world.other_dept, pattern="YT-{seq:4}", reset="never", acting_user=admins["dept"])
    page = client_for(admins["dept"]).get(reverse("onestop:numbering"))
    assert page.status_code == 200
    assert all(row.organisation_id != world.other_dept.pk for row in page.context["rows"])
    assert world.other_dept.pk not in set(page.context["form"].fields["organisation"].queryset.values_list("pk", flat=True))
    response = client_for(admins["dept"]).post(
        reverse("onestop:numbering"), {"organisation": world.other_dept.pk, "pattern": "YT-{seq:4}", "reset": "never"}
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors


# --- Fees ------------------------------------------------------------------------------------------------------------


def test_collection_accounts_of_other_agencies_are_neither_shown_nor_changed(world: World, admins: dict[str, Any]) -> None:
    url = reverse("onestop:payment_accounts")
    client = client_for(admins["dept"])
    page = client.get(url)
    assert page.status_code == 200
    assert [row.organisation_id for row in page.context["rows"]] == [world.dept.pk]
    assert "0022002234567" not in page.content.decode()
    response = client.post(url, {"organisation": world.other_dept.pk, **ACCOUNT, "account_number": "0099009934567"})
    assert response.status_code == 400
    assert PaymentAccount.objects.get(organisation=world.other_dept).account_number == "0022002234567"
    with pytest.raises(PermissionDenied):
        payment_account_save(acting_user=admins["dept"], organisation=world.other_dept, **ACCOUNT)
    assert PaymentAccount.objects.get(organisation=world.other_dept).account_number == "0022002234567"
    response = client.post(url, {"organisation": world.dept.pk, **ACCOUNT, "account_number": "0033003334567", "is_active": "on"})
    assert response.status_code == 302
    assert PaymentAccount.objects.get(organisation=world.dept).account_number == "0033003334567"


def test_only_the_receiving_agencys_administrators_confirm_its_fees_and_import_its_statements(
    world: World, admins: dict[str, Any]
) -> None:
    dossier = receive(world)
    assert not can_confirm_payment(admins["health"], dossier)
    with pytest.raises(PermissionDenied):
        payment_confirm(dossier=dossier, acting_user=admins["health"], method=PaymentMethod.CASH, transaction_reference="BL-1")
    assert can_confirm_payment(admins["dept"], dossier)
    assert list(statement_organisations(admins["health"])) == [world.other_dept]
    assert list(statement_organisations(admins["dept"])) == [world.dept]
    assert set(statement_organisations(world.admin)) == {world.dept, world.other_dept}


# --- The platform's own pages ------------------------------------------------------------------------------------------


def test_the_national_portal_outbox_is_the_platform_administrators(world: World, admins: dict[str, Any]) -> None:
    receive(world)
    url = reverse("onestop:outbox")
    assert client_for(admins["dept"]).get(url).status_code == 403
    assert client_for(admins["dept"]).post(reverse("onestop:outbox_retry", args=[1])).status_code == 403
    assert client_for(world.admin).get(url).status_code == 200
    from eprovince.onestop import outbox
    from eprovince.onestop.models import OutboxEvent

    event = OutboxEvent.objects.first()
    assert event is not None
    with pytest.raises(PermissionDenied):  # the service refuses too, whoever calls it
        outbox.outbox_event_retry(event=event, acting_user=admins["dept"])


def test_the_official_calendar_is_the_platform_administrators(world: World, admins: dict[str, Any]) -> None:
    url = reverse("workcalendar:admin_year", args=[2026])
    assert client_for(admins["dept"]).get(url).status_code == 403
    assert client_for(admins["dept"]).post(reverse("workcalendar:prefill", args=[2026])).status_code == 403
    with pytest.raises(PermissionDenied):
        calendar_day_create(
            date=dt.date(2026, 12, 31), kind="day_off", name="Nghỉ riêng của Sở", acting_user=admins["dept"], reason="x"
        )
    with pytest.raises(PermissionDenied):
        calendar_prefill_year(year=2027, acting_user=admins["dept"])
    assert not CalendarDay.objects.filter(date=dt.date(2026, 12, 31)).exists()
    assert client_for(world.admin).get(url).status_code == 200


def test_the_indicator_catalogue_is_the_platform_administrators(world: World, admins: dict[str, Any]) -> None:
    assert not can_manage_indicator_catalogue(admins["dept"])
    assert can_manage_indicator_catalogue(world.admin)
    assert client_for(admins["dept"]).get(reverse("indicators:catalogue_elements")).status_code == 403
    assert client_for(world.admin).get(reverse("indicators:catalogue_elements")).status_code == 200


def test_the_staff_home_offers_an_agency_administrator_only_the_modules_it_may_open(world: World, admins: dict[str, Any]) -> None:
    def keys(user: Any) -> set[str]:
        page = client_for(user).get(reverse("core:staff_home"))
        assert page.status_code == 200
        return {m.key for m in page.context["modules"]}

    platform_pages = {"audit", "onestop_outbox", "calendar", "indicators_catalogue"}
    scoped = keys(admins["dept"])
    assert {"users", "onestop_catalogue", "directory"} <= scoped
    assert not scoped & platform_pages
    assert platform_pages <= keys(world.admin)
