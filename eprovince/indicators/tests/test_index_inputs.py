"""Index inputs are refused, not clamped: a published component score outside [0, 1] (80, −3, 1,0000001), NaN or
infinity never reaches a ranking; the error names the item and the value, in Vietnamese, and nothing is saved.
Whatever is accepted gives scores within the framework's range."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from eprovince.core.models import AuditEvent

from .. import frameworks
from ..constants import Normalisation
from ..indexing import ComponentSpec, FrameworkSpec, ItemSpec, PillarSpec, compute
from ..models import IndexFramework, IndexInput, IndexItem
from ..services.indices import clean_index_inputs, framework_install, index_inputs_save, index_subject_save

D = Decimal
GOOD = {"HTKT_DIEM": "0.7925", "HTNL_DIEM": "0.9538", "UDCNTT_DIEM": "0.85"}
BAD = [
    (80, "80"),
    (-3, "-3"),
    ("1.0000001", "1,0000001"),
    (D("1.0000001"), "1,0000001"),
    (1.0000001, "1,0000001"),
    (float("nan"), "nan"),
    (D("NaN"), "NaN"),
    (float("inf"), "inf"),
    (D("-Infinity"), "-Infinity"),
    ("NaN", "NaN"),
    ("Infinity", "Infinity"),
]


@pytest.fixture
def ict(db: None) -> tuple[IndexFramework, Any]:
    framework = framework_install(acting_user=None, definition=frameworks.ICT_INDEX_2016, year=2019)
    return framework, index_subject_save(acting_user=None, code="48", name="Đà Nẵng")


@pytest.mark.parametrize(("raw", "shown"), BAD)
def test_an_input_outside_0_1_or_not_a_number_is_refused_naming_the_item_and_the_value(ict, raw: Any, shown: str) -> None:
    framework, subject = ict
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        index_inputs_save(acting_user=None, framework=framework, subject=subject, values={**GOOD, "HTKT_DIEM": raw})
    errors = refused.value.message_dict
    assert list(errors) == ["HTKT_DIEM"]
    (message,) = errors["HTKT_DIEM"]
    assert "“Chỉ số hạ tầng kỹ thuật” (HTKT_DIEM)" in message and shown in message
    assert not IndexInput.objects.exists() and AuditEvent.objects.count() == audits
    assert not framework.subjects.exists()  # nor does the unit join the ranking


def test_the_range_message_says_what_is_expected(ict) -> None:
    framework, subject = ict
    with pytest.raises(ValidationError) as refused:
        index_inputs_save(acting_user=None, framework=framework, subject=subject, values={**GOOD, "HTNL_DIEM": 80})
    assert refused.value.message_dict["HTNL_DIEM"] == [
        "Tiêu chí “Chỉ số hạ tầng nhân lực” (HTNL_DIEM) là điểm đã chuẩn hóa, nhận giá trị từ 0 đến 1; giá trị 80 nằm "
        "ngoài khoảng này. Vui lòng kiểm tra lại số liệu (ví dụ 0,8654; tỷ lệ 80% nhập là 0,8)."
    ]


def test_every_refused_item_is_named_at_once_and_an_earlier_value_is_kept(ict) -> None:
    framework, subject = ict
    index_inputs_save(acting_user=None, framework=framework, subject=subject, values=GOOD)
    with pytest.raises(ValidationError) as refused:
        index_inputs_save(
            acting_user=None,
            framework=framework,
            subject=subject,
            values={"HTKT_DIEM": 80, "HTNL_DIEM": -3, "UDCNTT_DIEM": "0.5"},
        )
    assert set(refused.value.message_dict) == {"HTKT_DIEM", "HTNL_DIEM"}
    stored = {row.item.code: row.value for row in IndexInput.objects.select_related("item")}
    assert stored == {code: D(value) for code, value in GOOD.items()}


def test_the_bounds_themselves_are_accepted(ict) -> None:
    framework, subject = ict
    index_inputs_save(
        acting_user=None, framework=framework, subject=subject, values={"HTKT_DIEM": 0, "HTNL_DIEM": "1", "UDCNTT_DIEM": 1.0}
    )
    assert sorted(IndexInput.objects.values_list("value", flat=True)) == [D(0), D(1), D(1)]


def test_a_quantity_normalised_among_the_units_may_exceed_1_but_must_be_a_number(db: None) -> None:
    definition = {
        "code": "THU_NGHIEM",
        "name": "Chỉ số thử nghiệm",
        "aggregation": "weighted_mean",
        "components": [
            {
                "code": "HT",
                "name": "Hạ tầng",
                "items": [{"code": "BTS", "name": "Số trạm BTS", "normalisation": Normalisation.MIN_MAX}],
            }
        ],
    }
    framework = framework_install(acting_user=None, definition=definition, year=2024)
    subject = index_subject_save(acting_user=None, code="91", name="An Giang")
    index_inputs_save(acting_user=None, framework=framework, subject=subject, values={"BTS": 4020})
    assert IndexInput.objects.get().value == 4020
    for raw in (float("nan"), "Infinity", "bốn nghìn"):
        with pytest.raises(ValidationError) as refused:
            index_inputs_save(acting_user=None, framework=framework, subject=subject, values={"BTS": raw})
        assert "“Số trạm BTS” (BTS)" in refused.value.message_dict["BTS"][0]
    assert IndexInput.objects.get().value == 4020


# The law: what is accepted scores within the framework's range -----------------------------------------------


def spec_of(definition: dict[str, Any]) -> tuple[FrameworkSpec, dict[str, IndexItem]]:
    components, items = [], {}
    for component in definition["components"]:
        specs = []
        for item in component["items"]:
            items[item["code"]] = IndexItem(code=item["code"], name=item["name"], normalisation=item["normalisation"])
            specs.append(ItemSpec(item["code"], normalisation=item["normalisation"]))
        components.append(
            ComponentSpec(component["code"], tuple(specs), D(str(component.get("weight", 1))), D(str(component.get("points", 0))))
        )
    pillars = tuple(PillarSpec(p["code"], p["formula"]) for p in definition.get("pillars", ()))
    total = definition.get("total_points")
    return FrameworkSpec(tuple(components), definition["aggregation"], D(total) if total else None, pillars), items


anything = st.one_of(
    st.decimals(min_value=-2, max_value=2, places=7),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(),
    st.integers(-1000, 1000),
)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([frameworks.ICT_INDEX_2016, frameworks.DTI_PROVINCE_2022]),
    st.lists(st.dictionaries(st.sampled_from(range(12)), anything, max_size=12), min_size=1, max_size=5),
)
def test_accepted_inputs_always_score_within_0_1(definition: dict[str, Any], units: list[dict[int, Any]]) -> None:
    spec, items = spec_of(definition)
    codes = list(items)
    raw: dict[int, dict[str, Decimal | None]] = {}
    for number, drawn in enumerate(units):
        values = {codes[i % len(codes)]: v for i, v in drawn.items()}
        try:
            raw[number] = dict(clean_index_inputs(items, values))
        except ValidationError as refused:
            for code, messages in refused.message_dict.items():
                assert code in values and all(f"({code})" in m for m in messages)
            continue
        assert all(D(0) <= v <= D(1) for v in raw[number].values())
    for result in compute(spec, raw):
        for score in (result.score, *result.components.values(), *result.pillars.values(), *result.items.values()):
            assert score is None or D(0) <= score <= D(1)


@pytest.mark.parametrize("reference", [None, 0, -5])
def test_an_item_compared_to_a_reference_needs_a_reference_above_zero(db: None, reference: Any) -> None:
    item = {"code": "EMAIL", "name": "Cán bộ dùng thư điện tử", "normalisation": Normalisation.REFERENCE, "reference": reference}
    definition = {
        "code": "THU_NGHIEM",
        "name": "Chỉ số thử nghiệm",
        "aggregation": "weighted_mean",
        "components": [{"code": "HT", "name": "Hạ tầng", "items": [item]}],
    }
    with pytest.raises(ValidationError) as refused:
        framework_install(acting_user=None, definition=definition, year=2024)
    assert "“Cán bộ dùng thư điện tử” (EMAIL)" in refused.value.message_dict["EMAIL"][0]
    assert not IndexFramework.objects.exists()
