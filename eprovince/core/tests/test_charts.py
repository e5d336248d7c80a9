"""The shared chart module: one layout drawn as SVG for the pages and as PNG for the reports."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from eprovince.core.charts import BarChart, LineChart, Series, chart_decimals, format_number, render_png, render_svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own markup, just rendered


@pytest.fixture(autouse=True)
def vietnamese():  # type: ignore[no-untyped-def]
    with translation.override("vi"):
        yield


def revenue() -> BarChart:
    return BarChart(
        title="Doanh thu bưu chính, viễn thông",
        categories=["2022", "2023", "2024"],
        series=[Series("Thực hiện", [3950.0, 4020.0, 252.1])],
        unit="tỷ đồng",
        target=[3900.0, 3940.0, None],
    )


def texts(svg: str) -> list[str]:
    root = parse(svg)
    return [el.text or "" for el in root.iter(f"{SVG}text")]


def test_svg_is_accessible_and_well_formed() -> None:
    svg = render_svg(revenue())
    root = parse(svg)  # well-formed XML, so it inlines safely
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "Doanh thu bưu chính, viễn thông"
    assert desc is not None and "4.020" in (desc.text or "") and "252,1" in (desc.text or "")
    labelled = (root.get("aria-labelledby") or "").split()
    assert labelled == [title.get("id"), desc.get("id")]


def test_numbers_use_vietnamese_format_on_labels_and_axis() -> None:
    labels = texts(render_svg(revenue()))
    assert "4.020,0" in labels  # value label, one decimal because 252,1 needs one
    assert "252,1" in labels
    assert "3.000" in labels or "4.000" in labels  # axis ticks grouped with "."
    assert not any(re.fullmatch(r"\d+\.\d", text) for text in labels)  # never an English decimal point


def test_output_is_deterministic_and_ids_depend_on_content() -> None:
    assert render_svg(revenue()) == render_svg(revenue())
    assert render_png(revenue(), dpi=72) == render_png(revenue(), dpi=72)
    other = BarChart("Khác", ["2024"], [Series("A", [1.0])])
    first_id = parse(render_svg(revenue())).find(f"{SVG}title").get("id")  # type: ignore[union-attr]
    second_id = parse(render_svg(other)).find(f"{SVG}title").get("id")  # type: ignore[union-attr]
    assert first_id != second_id


def test_titles_and_names_are_escaped() -> None:
    chart = LineChart(
        title='Thuê bao <script>alert("x")</script> & "mạng"',
        categories=["<b>2024</b>"],
        series=[Series("A & B <i>", [1.0])],
    )
    svg = render_svg(chart)
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == chart.title  # type: ignore[union-attr]


def test_none_values_leave_gaps_not_zeros() -> None:
    chart = LineChart(
        title="Thuê bao Internet",
        categories=["2021", "2022", "2023", "2024"],
        series=[Series("Tỉnh", [10.0, 12.0, None, 15.0])],
    )
    root = parse(render_svg(chart))
    lines = [el for el in root.iter(f"{SVG}polyline") if el.get("stroke") == "#1d4ed8"]
    # one polyline for 2021–2022; the lone 2024 point is a marker only: nothing is drawn through the gap
    assert len(lines) == 1 and len(lines[0].get("points", "").split()) == 2
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    bars = BarChart("Cột", ["a", "b"], [Series("S", [None, 5.0])])
    drawn = [el for el in parse(render_svg(bars)).iter(f"{SVG}rect") if el.get("fill") == "#1d4ed8"]
    assert len(drawn) == 1


def test_empty_data_shows_a_message() -> None:
    for chart in (
        LineChart("Trống", [], []),
        BarChart("Không số liệu", ["2024"], [Series("A", [None])]),
    ):
        svg = render_svg(chart)
        assert "Chưa có số liệu để vẽ biểu đồ." in svg
        assert render_png(chart, dpi=72).startswith(b"\x89PNG\r\n\x1a\n")


def test_png_is_a_png_of_the_requested_resolution() -> None:
    small = render_png(revenue(), dpi=72)
    large = render_png(revenue(), dpi=150)
    assert small.startswith(b"\x89PNG\r\n\x1a\n") and large.startswith(b"\x89PNG\r\n\x1a\n")
    width_small = int.from_bytes(small[16:20], "big")
    width_large = int.from_bytes(large[16:20], "big")
    assert width_small == 540 and width_large == 1125  # 7,5 inches at 72 and 150 dpi


def test_many_categories_turn_into_horizontal_bars_with_every_label() -> None:
    names = [f"Huyện {i}" for i in range(15)]
    chart = BarChart("Xếp hạng", names, [Series("Điểm", [0.8654 - i * 0.01 for i in range(15)])])
    labels = texts(render_svg(chart))
    assert all(name in labels for name in names)
    assert "0,8654" in labels  # index scores keep four decimals


def test_template_tag_embeds_svg_and_a_data_table() -> None:
    html = Template("{% load charts %}{% chart c 'Nguồn: báo cáo đã duyệt' %}").render(Context({"c": revenue()}))
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html
    assert "<details" in html and "Xem bảng số liệu" in html
    assert '<th scope="row">2023</th>' in html and ">4.020,0<" in html
    assert "Kế hoạch" in html and "Nguồn: báo cáo đã duyệt" in html
    assert Template("{% load charts %}{% chart c %}").render(Context({"c": None})).strip() == ""


def test_decimals() -> None:
    assert chart_decimals([4020.0, 175.0]) == 0
    assert chart_decimals([252.1, 4020.0]) == 1
    assert chart_decimals([0.8654, 0.5]) == 4
    assert format_number(4020, 0) == "4.020"
    assert format_number(252.1, 1) == "252,1"
    assert format_number(None) == "–"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)),
        min_size=1,
        max_size=20,
    )
)
def test_any_values_give_well_formed_svg(values: list[float | None]) -> None:
    with translation.override("vi"):
        for chart in (
            BarChart("B", [str(i) for i in range(len(values))], [Series("S", values)], target=values[::-1]),
            LineChart("L", [str(i) for i in range(len(values))], [Series("S", values), Series("T", values[::-1])]),
        ):
            root = parse(render_svg(chart))
            assert root.get("role") == "img"
            for el in list(root.iter())[1:]:
                for name in ("x", "y", "width", "height"):
                    if el.get(name) is not None:
                        float(el.get(name))  # type: ignore[arg-type]


# Any number at all: the scale never divides by zero and every coordinate is a finite number ---------------------

EXTREMES = [5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 1.7976931348623157e308, -1.7976931348623157e308, 0.0, -0.0]
NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?|-?inf|nan", re.IGNORECASE)


def coordinates(svg: str) -> list[float]:
    """Every number of the drawing's geometry (x, y, width, height, cx, cy, r, points, viewBox)."""
    root = parse(svg)
    found: list[float] = []
    for el in root.iter():
        for name in ("x", "y", "width", "height", "cx", "cy", "r", "points", "viewBox"):
            value = el.get(name)
            if value is not None and value != "100%":
                found += [float(n) for n in NUMBER.findall(value)]
    return found


def charts_of(values: list[float | None]) -> list[BarChart | LineChart]:
    categories = [str(i) for i in range(len(values))]
    return [
        BarChart("B", categories, [Series("S", values)], target=values[::-1]),
        BarChart("H", categories, [Series("S", values)], target=values[::-1], horizontal=True),
        LineChart("L", categories, [Series("S", values), Series("T", values[::-1])]),
    ]


@pytest.mark.parametrize(
    "values",
    [[5e-324], [5e-324, 0.0], [-5e-324], [0.0, 0.0], [3.0, 3.0], [-4.0, -2.5], [1.7976931348623157e308, -1.7976931348623157e308],
     [float("nan"), 1.0], [float("inf"), -float("inf"), 2.0], [float("nan")]],
)  # fmt: skip
def test_tiny_equal_huge_and_non_finite_values_lay_out(values: list[float | None]) -> None:
    for chart in charts_of(values):
        numbers = coordinates(render_svg(chart))
        assert numbers and all(math.isfinite(n) for n in numbers)
    render_png(charts_of(values)[0], dpi=20)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(EXTREMES)),
        min_size=1,
        max_size=12,
    )
)
def test_every_finite_float_lays_out_with_finite_coordinates(values: list[float | None]) -> None:
    with translation.override("vi"):
        for chart in charts_of(values):
            numbers = coordinates(render_svg(chart))
            assert numbers and all(math.isfinite(n) for n in numbers)
            root = parse(render_svg(chart))
            assert all(float(el.get("width", 0)) >= 0 and float(el.get("height", 0)) >= 0 for el in root.iter(f"{SVG}rect"))
