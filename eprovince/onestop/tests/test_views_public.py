"""The public catalogue: procedures by field and agency, search without diacritics, documents, the fee in the
Vietnamese format, the expected return date if one applied now."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from eprovince.onestop import deadlines
from eprovince.onestop.services.catalogue import field_save, procedure_save
from eprovince.onestop.templatetags.onestop_tags import vnd

from .factories import World, make_procedure

pytestmark = pytest.mark.django_db
CATALOGUE = "/thu-tuc-hanh-chinh/"


@pytest.mark.parametrize("q", ["giay phep buu chinh", "GIẤY PHÉP BƯU CHÍNH", "buu  chinh", "1.000001", "phep buu"])
def test_search_finds_procedures_without_diacritics(world: World, q: str) -> None:
    page = Client().get(CATALOGUE, {"q": q}).content.decode()
    assert "Cấp giấy phép bưu chính" in page
    # The BTS permit is in the field "Bưu chính" too: found by its field, after the name's match (test_catalogue_search).
    assert "trạm BTS" not in page or page.index("Cấp giấy phép bưu chính") < page.index("trạm BTS")
    assert (
        "trạm BTS" not in Client().get(CATALOGUE, {"q": q.replace("buu", "bao").replace("1.000001", "1.000003")}).content.decode()
    )


def test_a_search_with_no_result_says_so(world: World) -> None:
    assert "Không tìm thấy thủ tục nào" in Client().get(CATALOGUE, {"q": "hộ chiếu"}).content.decode()


def test_the_catalogue_by_field_and_agency(world: World) -> None:
    press = field_save(acting_user=None, code="bao-chi", name="Báo chí")
    make_procedure(
        code="2.000001", name="Cấp giấy phép xuất bản bản tin", field=press, agency=world.other_dept, division=world.other_dept
    )
    everything = Client().get(CATALOGUE).content.decode()
    assert "Báo chí <span" in everything and "Bưu chính <span" in everything
    by_field = Client().get(CATALOGUE, {"linh-vuc": "bao-chi"}).content.decode()
    assert "bản tin" in by_field and "bưu chính" not in by_field
    by_agency = Client().get(CATALOGUE, {"co-quan": world.other_dept.pk}).content.decode()
    assert "bản tin" in by_agency and "trạm BTS" not in by_agency
    assert Client().get(CATALOGUE, {"co-quan": "x"}).status_code == 200


def test_fee_and_expected_return_date(world: World) -> None:
    page = Client().get(CATALOGUE).content.decode()
    assert "1.500.000 đồng" in page and "Không thu phí" in page
    expected = timezone.localtime(deadlines.expected_return(timezone.now(), 7)).strftime("%d/%m/%Y")
    assert expected in page


@pytest.mark.parametrize(("amount", "text"), [(0, "0 đồng"), (1_500_000, "1.500.000 đồng"), (150_000, "150.000 đồng"), ("x", "")])
def test_the_vnd_filter(amount: object, text: str) -> None:
    assert vnd(amount) == text


def test_a_procedure_page(world: World) -> None:
    page = Client().get(f"{CATALOGUE}1.000002/").content.decode()
    assert "Cấp phép lắp đặt trạm BTS" in page and "Đơn đề nghị" in page and "Lấy ý kiến Sở XD" in page
    assert "12 ngày làm việc" in page


def test_inactive_and_unknown_procedures_are_not_found(world: World) -> None:
    procedure_save(acting_user=None, instance=world.bts, is_active=False)
    assert Client().get(f"{CATALOGUE}1.000002/").status_code == 404
    assert Client().get(f"{CATALOGUE}0.000000/").status_code == 404
    assert "trạm BTS" not in Client().get(CATALOGUE).content.decode()


def test_the_catalogue_costs_a_fixed_number_of_queries(world: World, django_assert_max_num_queries: object) -> None:
    for i in range(10):
        make_procedure(
            code=f"3.{i:06d}", name=f"Thủ tục {i}", field=world.field, agency=world.dept, division=world.division, days=2 + i
        )
    Client().get(CATALOGUE)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        assert Client().get(CATALOGUE).status_code == 200
