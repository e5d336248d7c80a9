"""A business applies as the business (issue 12, H6): its profile holds the name and tax code (10 or 13 digits); a
new draft's "organisation or person" name and id number, and the form fields marked "filled in from the account",
come from it, not from the person's name; a citizen's from their own name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from eprovince.onestop.constants import FormFieldPrefill
from eprovince.onestop.models import FormField
from eprovince.onestop.services.catalogue import procedure_part_save
from eprovince.onestop.services.online import dossier_draft_start

from .factories import World, sign_up

pytestmark = pytest.mark.django_db


def mark_prefill(world: World) -> None:
    field = FormField.objects.get(procedure=world.procedure, key="ten_doanh_nghiep")
    procedure_part_save(
        procedure=world.procedure, model=FormField, acting_user=None, instance=field, prefill=FormFieldPrefill.NAME
    )


def test_a_business_draft_starts_with_the_business_not_the_person(world: World) -> None:
    mark_prefill(world)
    user = sign_up(full_name="Trần Thị Hoa", business_name="Công ty TNHH Truyền thông Mê Kông", tax_code="0312345678")
    draft = dossier_draft_start(acting_user=user, procedure=world.procedure)
    assert (draft.applicant_name, draft.applicant_id_number) == ("Công ty TNHH Truyền thông Mê Kông", "0312345678")
    assert draft.form_data == {"ten_doanh_nghiep": "Công ty TNHH Truyền thông Mê Kông"}


def test_a_citizen_draft_starts_with_their_name(world: World) -> None:
    mark_prefill(world)
    user = sign_up(kind="citizen", email="an@example.vn", full_name="Lê Văn An")
    draft = dossier_draft_start(acting_user=user, procedure=world.procedure)
    assert draft.applicant_name == "Lê Văn An"
    assert draft.form_data == {"ten_doanh_nghiep": "Lê Văn An"}


@pytest.mark.parametrize(("tax_code", "ok"), [("0312345678", True), ("0312345678-001", True), ("0312345678001", True),
                                              ("031234567", False), ("03123456780", False), ("03123ABCDE", False)])  # fmt: skip
def test_the_tax_code_has_10_or_13_digits(world: World, tax_code: str, ok: bool) -> None:
    if ok:
        assert sign_up(tax_code=tax_code).applicant_profile.tax_code == tax_code
    else:
        with pytest.raises(ValidationError) as caught:
            sign_up(tax_code=tax_code)
        assert "Mã số doanh nghiệp gồm 10 chữ số" in caught.value.message_dict["tax_code"][0]
