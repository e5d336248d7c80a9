"""The public catalogue is searched over name, field, agencies, national code and result name: every word in any
order, diacritics ignored, matches in the name first."""

from __future__ import annotations

import pytest
from django.test import Client

from eprovince.core.search import parse_query
from eprovince.onestop import selectors
from eprovince.onestop.catalogue_search import ranked
from eprovince.onestop.models import Procedure
from eprovince.onestop.services.catalogue import field_save, procedure_save

from .factories import World, make_procedure

pytestmark = pytest.mark.django_db
CATALOGUE = "/thu-tuc-hanh-chinh/"


@pytest.fixture
def telecom(world: World) -> World:
    """The BTS licence belongs to the field "Viễn thông và Internet"; its result is a "Giấy phép lắp đặt trạm BTS"."""
    field = field_save(acting_user=None, code="vien-thong", name="Viễn thông và Internet")
    procedure_save(acting_user=None, instance=world.bts, field=field, result_name="Giấy phép lắp đặt trạm BTS")
    return world


def _names(q: str) -> list[str]:
    return [p.name for p in selectors.public_procedures(q=q)]


@pytest.mark.parametrize("q", ["giay phep vien thong", "vien thong giay phep", "GIẤY PHÉP VIỄN THÔNG", "internet bts"])
def test_words_of_the_field_and_the_result_find_the_bts_licence(telecom: World, q: str) -> None:
    assert _names(q) == ["Cấp phép lắp đặt trạm BTS"]


def test_the_agency_and_the_national_code_are_searched(telecom: World) -> None:
    assert set(_names("so xd")) == set() and set(_names("khoa hoc cong nghe")) == {
        "Cấp giấy phép bưu chính",
        "Cấp phép lắp đặt trạm BTS",
    }
    assert _names("1.000002") == ["Cấp phép lắp đặt trạm BTS"]
    assert _names("000002") == ["Cấp phép lắp đặt trạm BTS"]


def test_matches_in_the_name_rank_before_matches_elsewhere(telecom: World) -> None:
    # "giấy phép" is in the first one's name and only in the second one's result.
    assert _names("giay phep") == ["Cấp giấy phép bưu chính", "Cấp phép lắp đặt trạm BTS"]
    # A whole phrase in the name ranks before scattered words in the name.
    make_procedure(code="1.000009", name="Cấp lại phép thử nghiệm trạm", field=telecom.field, agency=telecom.dept,
                   division=telecom.division)  # fmt: skip
    assert _names("cap phep")[0] == "Cấp phép lắp đặt trạm BTS"


def test_exact_diacritics_rank_above_folded_matches(world: World) -> None:
    make_procedure(code="1.000010", name="Cấp phép bưu chinh", field=world.field, agency=world.dept, division=world.division)
    assert _names("giấy phép bưu chính")[0] == "Cấp giấy phép bưu chính"
    assert _names("bưu chinh")[0] == "Cấp phép bưu chinh"


def test_a_lone_common_word_is_ignored_and_words_must_all_match(telecom: World) -> None:
    assert len(_names("của")) == Procedure.objects.filter(is_active=True).count()  # ignored: the whole catalogue
    assert _names("giay phep ho chieu") == []


def test_the_catalogue_page_finds_the_bts_licence_by_its_field(telecom: World) -> None:
    page = Client().get(CATALOGUE, {"q": "giay phep vien thong"}).content.decode()
    assert "Cấp phép lắp đặt trạm BTS" in page and "Cấp giấy phép bưu chính" not in page


def test_the_searched_catalogue_costs_a_fixed_number_of_queries(telecom: World, django_assert_max_num_queries: object) -> None:
    for i in range(30):
        make_procedure(code=f"3.{i:06d}", name=f"Thủ tục viễn thông {i}", field=telecom.field, agency=telecom.dept,
                       division=telecom.division, form=False)  # fmt: skip
    Client().get(CATALOGUE, {"q": "vien thong"})
    with django_assert_max_num_queries(7):  # type: ignore[operator]
        assert Client().get(CATALOGUE, {"q": "vien thong"}).status_code == 200


def test_ranking_is_pure_python_over_one_query(telecom: World, django_assert_num_queries: object) -> None:
    with django_assert_num_queries(1):  # type: ignore[operator]
        rows = ranked(Procedure.objects.filter(is_active=True), parse_query("giay phep"))
    assert [r[1] for r in rows] == ["Cấp giấy phép bưu chính", "Cấp phép lắp đặt trạm BTS"]
