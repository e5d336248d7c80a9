"""Server-side charts: one layout, two painters.

A chart (`BarChart`, `LineChart`) is laid out once, in pure Python, into drawing primitives (rectangles, lines,
markers, text) in a 720-pixel-wide coordinate space. `render_svg` writes those primitives as inline-able, accessible
SVG markup (role="img", <title>, <desc>) for the web pages; `render_png` paints the very same primitives with
matplotlib's Agg backend (DejaVu Sans) for DOCX and PDF reports. So the page and the report show the same chart.
PDF reports embed the PNG: fpdf2's own SVG reader drops <title>/<desc> and fails on Vietnamese text.

Numbers on axes and labels use Django's localised number format (4.020; 252,1 in Vietnamese). Output is
deterministic: the ids come from a hash of the chart's content, no dates, no random salts.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.formats import number_format
from django.utils.translation import gettext as _

__all__ = [
    "BarChart",
    "LineChart",
    "Series",
    "chart_decimals",
    "format_number",
    "render_png",
    "render_svg",
]

# Colours, all at least 4.5:1 against white (so they also pass as text) and told apart by shape too:
# line series get distinct markers and dash patterns, bar series are labelled and listed in the legend.
PALETTE = ("#1d4ed8", "#b45309", "#047857", "#7e22ce", "#be123c", "#0f766e", "#4b5563", "#a16207")
TEXT = "#1f2937"
MUTED = "#4b5563"
GRID = "#d1d5db"
AXIS = "#6b7280"
TARGET = "#111827"
BACKGROUND = "#ffffff"
FONT_FAMILY = "'DejaVu Sans', 'Segoe UI', Roboto, Arial, sans-serif"
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES: tuple[tuple[float, ...], ...] = ((), (6, 3), (2, 3), (8, 3, 2, 3))

CHAR_WIDTH = 0.58  # average DejaVu Sans glyph width, in em
# The scale of an axis: a span below MIN_SPAN (5e-324 and the other subnormals, whose fifth underflows to zero) is
# drawn as 0 to 1, values beyond ±AXIS_LIMIT (where a span would overflow to infinity) at the end of the axis.
# Values that are not numbers at all (NaN, infinity) are gaps, like missing values.
MIN_SPAN = 1e-300
AXIS_LIMIT = 1e300


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]


@dataclass(frozen=True)
class BarChart:
    title: str
    categories: list[str]
    series: list[Series]
    unit: str = ""
    target: list[float | None] | None = None
    horizontal: bool | None = None  # None: horizontal bars once there are many bars
    width: int = 720  # layout pixels; a narrower chart keeps its text larger when shown small


@dataclass(frozen=True)
class LineChart:
    title: str
    categories: list[str]
    series: list[Series]
    unit: str = ""
    width: int = 720


Chart = BarChart | LineChart


# ---------------------------------------------------------------------------------------------------------------
# Numbers


def chart_decimals(values: Sequence[float | None], limit: int | None = None) -> int:
    """How many decimals the values need: 4020 → 0, 252.1 → 1, 175.0 → 0; at most 2, or 4 for scores below 1,5
    (index values such as 0,8654)."""
    if limit is None:
        finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
        limit = 4 if finite and max(finite) < 1.5 else 2
    needed = 0
    for value in values:
        if value is None or not math.isfinite(value):
            continue
        for places in range(limit + 1):
            if abs(round(value, places) - value) < 1e-9 * max(1.0, abs(value)):
                needed = max(needed, places)
                break
        else:
            needed = limit
    return needed


def _finite(value: float | None) -> float | None:
    """`value`, or None (a gap) for a missing value, NaN or infinity."""
    return value if value is not None and math.isfinite(value) else None


def format_number(value: float | None, decimals: int = 0) -> str:
    """A number in the active language's format with grouping: 4.020; 252,1 (Vietnamese); "–" when missing."""
    if value is None or not math.isfinite(value):
        return "–"
    if decimals == 0:
        value = round(value)
    return str(number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True))


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(ticks, 1)
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _axis(values: Sequence[float]) -> tuple[float, float, float]:
    """(low, high, step) of a y axis that includes zero and every finite value (within ±AXIS_LIMIT); low < high
    always, so placing a value never divides by zero."""
    low = max(-AXIS_LIMIT, min(0.0, *values))
    high = min(AXIS_LIMIT, max(0.0, *values))
    if high - low < MIN_SPAN:  # all equal, all zero, or subnormal: a step of span / 5 would underflow to 0
        high = low + 1.0
    step = _nice_step(high - low)
    bottom, top = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
    if not top > bottom:
        top = bottom + step
    return bottom, top, step


def _position(value: float, low: float, high: float) -> float:
    """Where `value` lies between `low` (0) and `high` (1), kept on the axis."""
    return (min(max(value, low), high) - low) / (high - low)


def _step_decimals(step: float) -> int:
    return chart_decimals([step], limit=4)


# ---------------------------------------------------------------------------------------------------------------
# Primitives


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 1.0
    dash: tuple[float, ...] = ()


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    shape: str
    fill: str
    size: float = 4.5


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float = 12.0
    anchor: str = "start"  # start | middle | end
    fill: str = TEXT
    bold: bool = False


@dataclass
class Layout:
    width: float
    height: float
    shapes: list[Rect | Line | Marker | Text] = field(default_factory=list)

    def add(self, shape: Rect | Line | Marker | Text) -> None:
        self.shapes.append(shape)


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _shorten(text: str, size: float, room: float) -> str:
    if _text_width(text, size) <= room:
        return text
    keep = max(1, int(room / (size * CHAR_WIDTH)) - 1)
    return text[:keep].rstrip() + "…"


def _wrap(text: str, size: float, room: float, lines: int = 2) -> list[str]:
    words, out, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if _text_width(candidate, size) <= room or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1 :])]
    return [_shorten(line, size, room) for line in out]


def _has_data(chart: Chart) -> bool:
    if not chart.categories or not chart.series:
        return False
    values = [v for s in chart.series for v in s.values] + list(getattr(chart, "target", None) or [])
    return any(_finite(v) is not None for v in values)


def _all_values(chart: Chart) -> list[float]:
    values = [v for s in chart.series for v in s.values if v is not None and math.isfinite(v)]
    if isinstance(chart, BarChart) and chart.target:
        values += [v for v in chart.target if v is not None and math.isfinite(v)]
    return values


def _legend(layout: Layout, chart: Chart, y: float) -> float:
    """Draw the legend from the left at `y`; return the y below it."""
    entries: list[tuple[str, int, str]] = [(s.name, i, "series") for i, s in enumerate(chart.series)]
    if isinstance(chart, BarChart) and chart.target and any(v is not None for v in chart.target):
        entries.append((_("Kế hoạch"), -1, "target"))
    if len(entries) <= 1 and not any(kind == "target" for _n, _i, kind in entries):
        return y
    x = 16.0
    for name, index, kind in entries:
        label = _shorten(name, 12, 220)
        needed = 28 + _text_width(label, 12) + 18
        if x + needed > layout.width - 8 and x > 16:
            x, y = 16.0, y + 20
        if kind == "target":
            layout.add(Line(((x, y - 4), (x + 20, y - 4)), TARGET, 2.0, (4, 2)))
        elif isinstance(chart, LineChart):
            colour = PALETTE[index % len(PALETTE)]
            layout.add(Line(((x, y - 4), (x + 20, y - 4)), colour, 2.5, DASHES[index % len(DASHES)]))
            layout.add(Marker(x + 10, y - 4, MARKERS[index % len(MARKERS)], colour))
        else:
            layout.add(Rect(x + 3, y - 12, 14, 14, PALETTE[index % len(PALETTE)]))
        layout.add(Text(x + 26, y, label, 12, fill=TEXT))
        x += needed
    return y + 16


def _layout(chart: Chart) -> Layout:
    width = float(max(360, min(1440, chart.width)))
    layout = Layout(width, 0)
    title_lines = _wrap(chart.title, 16, width - 32, lines=2)
    y = 26.0
    for line in title_lines:
        layout.add(Text(16, y, line, 16, bold=True))
        y += 22
    if not _has_data(chart):
        layout.height = y + 60
        layout.add(Rect(16, y, width - 32, 44, "#f3f4f6"))
        layout.add(Text(width / 2, y + 27, _("Chưa có số liệu để vẽ biểu đồ."), 13, "middle", MUTED))
        return layout
    if chart.unit:
        layout.add(Text(16, y, _("Đơn vị tính: %(unit)s") % {"unit": chart.unit}, 12, fill=MUTED))
        y += 10
    y = _legend(layout, chart, y + 16)
    if isinstance(chart, BarChart) and (
        chart.horizontal if chart.horizontal is not None else len(chart.categories) * max(1, len(chart.series)) > 12
    ):
        _horizontal_bars(layout, chart, y + 4)
    else:
        _vertical(layout, chart, y + 8)
    return layout


def _vertical(layout: Layout, chart: Chart, top: float) -> None:
    values = _all_values(chart)
    low, high, step = _axis(values)
    tick_decimals = _step_decimals(step)
    value_decimals = chart_decimals(values)
    ticks = [low + i * step for i in range(round((high - low) / step) + 1)]
    tick_labels = [format_number(t, tick_decimals) for t in ticks]
    left = 24 + min(max(_text_width(t, 12) for t in tick_labels), layout.width * 0.4)
    right = layout.width - 16
    plot_h = 220.0
    bottom = top + plot_h
    n = len(chart.categories)
    slot = (right - left) / n

    def y_of(v: float) -> float:
        return bottom - _position(v, low, high) * plot_h

    for tick, label in zip(ticks, tick_labels, strict=True):
        ty = y_of(tick)
        layout.add(Line(((left, ty), (right, ty)), GRID if tick != 0 else AXIS, 1.0))
        layout.add(Text(left - 8, ty + 4, label, 12, "end", MUTED))
    label_size = 12.0 if slot >= 60 else 11.0
    label_lines = [_wrap(c, label_size, slot - 4) for c in chart.categories]
    for i, lines in enumerate(label_lines):
        cx = left + slot * (i + 0.5)
        for j, line in enumerate(lines):
            layout.add(Text(cx, bottom + 18 + j * 15, line, label_size, "middle", TEXT))
    layout.height = bottom + 18 + 15 * max(len(lines) for lines in label_lines) + 8
    zero = y_of(max(low, min(0.0, high)))
    if isinstance(chart, BarChart):
        k = len(chart.series)
        group = slot * 0.72
        bar_w = group / k
        show_values = bar_w >= 6 * CHAR_WIDTH * 11
        for si, series in enumerate(chart.series):
            colour = PALETTE[si % len(PALETTE)]
            for i, value in enumerate(map(_finite, series.values[:n])):
                if value is None:
                    continue
                x = left + slot * i + (slot - group) / 2 + si * bar_w
                vy = y_of(value)
                layout.add(Rect(x + 1, min(vy, zero), bar_w - 2, max(abs(zero - vy), 0.5), colour))
                if show_values or k == 1:
                    text = format_number(value, value_decimals)
                    size = 11.0 if _text_width(text, 11) <= slot else 9.0
                    target = _finite((chart.target or [None] * n)[i]) if i < len(chart.target or []) else None
                    above = min(vy, zero)
                    # On its bar; above the target's dash only where the two would overlap (a label far above
                    # its bar reads as the target's value).
                    if target is not None and above - 5 - size <= y_of(target) <= above + 2:
                        above = y_of(target)
                    layout.add(Text(x + bar_w / 2, above - 5, text, size, "middle", TEXT))
        for i, target in enumerate(map(_finite, (chart.target or [])[:n])):
            if target is None:
                continue
            ty = y_of(target)
            x0 = left + slot * i + (slot - group) / 2 - 4
            layout.add(Line(((x0, ty), (x0 + group + 8, ty)), TARGET, 2.0, (4, 2)))
    else:
        for si, series in enumerate(chart.series):
            colour = PALETTE[si % len(PALETTE)]
            run: list[tuple[float, float]] = []
            points = []
            for i, value in enumerate(map(_finite, series.values[:n])):
                if value is None:  # a gap, not a zero
                    if len(run) > 1:
                        layout.add(Line(tuple(run), colour, 2.5, DASHES[si % len(DASHES)]))
                    run = []
                    continue
                point = (left + slot * (i + 0.5), y_of(value))
                run.append(point)
                points.append((point, value))
            if len(run) > 1:
                layout.add(Line(tuple(run), colour, 2.5, DASHES[si % len(DASHES)]))
            for (px, py), _value in points:
                layout.add(Marker(px, py, MARKERS[si % len(MARKERS)], colour))
            if len(chart.series) == 1 and n <= 12:
                for (px, py), value in points:
                    layout.add(Text(px, py - 10, format_number(value, value_decimals), 11, "middle", TEXT))


def _horizontal_bars(layout: Layout, chart: BarChart, top: float) -> None:
    values = _all_values(chart)
    low, high, step = _axis(values)
    value_decimals = chart_decimals(values)
    k = len(chart.series)
    bar_h = 16.0 if k == 1 else 12.0
    label_room = min(240.0, layout.width * 0.36)
    left = 16 + label_room + 8
    right = layout.width - 16 - 70
    labels = [_wrap(c, 12, label_room) for c in chart.categories]
    heights = [max(bar_h * k + 10, 15.0 * len(lines) + 8) for lines in labels]

    def x_of(v: float) -> float:
        return left + _position(v, low, high) * (right - left)

    zero = x_of(max(low, min(0.0, high)))
    tick_decimals = _step_decimals(step)
    ticks = [low + i * step for i in range(round((high - low) / step) + 1)]
    bottom = top + 18 + sum(heights)
    for tick in ticks:
        tx = x_of(tick)
        layout.add(Line(((tx, top + 14), (tx, bottom)), GRID if tick != 0 else AXIS, 1.0))
        layout.add(Text(tx, top + 8, format_number(tick, tick_decimals), 11, "middle", MUTED))
    y_row = top + 18
    for i, lines in enumerate(labels):
        row_h = heights[i]
        middle = y_row + row_h / 2
        for j, line in enumerate(lines):
            layout.add(Text(left - 8, middle + 4 + (j - (len(lines) - 1) / 2) * 15, line, 12, "end"))
        y0 = middle - bar_h * k / 2
        for si, series in enumerate(chart.series):
            value = _finite(series.values[i]) if i < len(series.values) else None
            if value is None:
                continue
            vx = x_of(value)
            y = y0 + si * bar_h
            layout.add(Rect(min(vx, zero), y + 1, max(abs(vx - zero), 0.5), bar_h - 2, PALETTE[si % len(PALETTE)]))
            layout.add(Text(max(vx, zero) + 4, y + bar_h - 4, format_number(value, value_decimals), 11, "start"))
        target = _finite(chart.target[i]) if chart.target and i < len(chart.target) else None
        if target is not None:
            tx = x_of(target)
            layout.add(Line(((tx, y0 - 4), (tx, y0 + bar_h * k + 4)), TARGET, 2.0, (4, 2)))
        y_row += row_h
    layout.height = bottom + 12


# ---------------------------------------------------------------------------------------------------------------
# Text alternative


def describe(chart: Chart) -> str:
    """A one-paragraph text alternative: what the chart shows, with every number."""
    if not _has_data(chart):
        return _("Chưa có số liệu để vẽ biểu đồ.")
    values = _all_values(chart)
    decimals = chart_decimals(values)
    kind = _("Biểu đồ cột") if isinstance(chart, BarChart) else _("Biểu đồ đường")
    unit = f" ({chart.unit})" if chart.unit else ""
    parts = [f"{kind}{unit}."]
    for series in chart.series:
        items = [
            f"{category}: {format_number(value, decimals)}"
            for category, value in zip(chart.categories, series.values, strict=False)
        ]
        parts.append(f"{series.name} — " + "; ".join(items) + ".")
    if isinstance(chart, BarChart) and chart.target:
        items = [
            f"{category}: {format_number(value, decimals)}"
            for category, value in zip(chart.categories, chart.target, strict=False)
            if value is not None
        ]
        if items:
            parts.append(_("Kế hoạch") + " — " + "; ".join(items) + ".")
    return " ".join(parts)


def table_rows(chart: Chart) -> tuple[list[str], list[list[str]]]:
    """The chart's numbers as a table: header, then one row per category (for the <details> fallback)."""
    values = _all_values(chart)
    decimals = chart_decimals(values)
    header = [_("Danh mục")] + [s.name for s in chart.series]
    targets = chart.target if isinstance(chart, BarChart) and chart.target else None
    if targets:
        header.append(_("Kế hoạch"))
    rows = []
    for i, category in enumerate(chart.categories):
        row = [category]
        for series in chart.series:
            row.append(format_number(series.values[i] if i < len(series.values) else None, decimals))
        if targets:
            row.append(format_number(targets[i] if i < len(targets) else None, decimals))
        rows.append(row)
    return header, rows


def chart_id(chart: Chart) -> str:
    """A deterministic id, distinct for charts with different content."""
    return "chart-" + hashlib.sha1(repr(chart).encode(), usedforsecurity=False).hexdigest()[:10]


# ---------------------------------------------------------------------------------------------------------------
# SVG


def _n(value: float) -> str:
    """A coordinate for SVG: always "." and at most two decimals, whatever the language."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _svg_marker(m: Marker) -> str:
    s = m.size
    if m.shape == "circle":
        return f'<circle cx="{_n(m.x)}" cy="{_n(m.y)}" r="{_n(s)}" fill="{m.fill}" stroke="#fff" stroke-width="1"/>'
    if m.shape == "square":
        return (
            f'<rect x="{_n(m.x - s)}" y="{_n(m.y - s)}" width="{_n(2 * s)}" height="{_n(2 * s)}" '
            f'fill="{m.fill}" stroke="#fff" stroke-width="1"/>'
        )
    points = _marker_points(m)
    return f'<polygon points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in points)}" fill="{m.fill}" stroke="#fff" stroke-width="1"/>'


def _marker_points(m: Marker) -> list[tuple[float, float]]:
    s = m.size * 1.2
    if m.shape == "triangle":
        return [(m.x, m.y - s), (m.x + s, m.y + s * 0.8), (m.x - s, m.y + s * 0.8)]
    return [(m.x, m.y - s), (m.x + s, m.y), (m.x, m.y + s), (m.x - s, m.y)]


def render_svg(chart: Chart) -> str:
    """Inline-able SVG markup for `chart`: role="img", <title> and <desc> carrying every number."""
    layout = _layout(chart)
    ident = chart_id(chart)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {_n(layout.width)} {_n(layout.height)}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" focusable="false" '
        f'font-family="{escape(FONT_FAMILY)}">',
        f'<title id="{ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{escape(describe(chart))}</desc>',
        f'<rect width="{_n(layout.width)}" height="{_n(layout.height)}" fill="{BACKGROUND}"/>',
        '<g aria-hidden="true">',
    ]
    for shape in layout.shapes:
        if isinstance(shape, Rect):
            out.append(
                f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.w)}" height="{_n(shape.h)}" fill="{shape.fill}"/>'
            )
        elif isinstance(shape, Line):
            dash = f' stroke-dasharray="{" ".join(_n(d) for d in shape.dash)}"' if shape.dash else ""
            points = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape.points)
            out.append(
                f'<polyline points="{points}" fill="none" stroke="{shape.stroke}" '
                f'stroke-width="{_n(shape.width)}" stroke-linejoin="round"{dash}/>'
            )
        elif isinstance(shape, Marker):
            out.append(_svg_marker(shape))
        else:
            weight = ' font-weight="bold"' if shape.bold else ""
            out.append(
                f'<text x="{_n(shape.x)}" y="{_n(shape.y)}" font-size="{_n(shape.size)}" '
                f'text-anchor="{shape.anchor}" fill="{shape.fill}"{weight}>{escape(shape.text)}</text>'
            )
    out.append("</g></svg>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------------------
# PNG (the same primitives painted by matplotlib)


def render_png(chart: Chart, *, dpi: int = 150) -> bytes:
    """The same chart as a PNG image (for DOCX and PDF reports); 96 layout pixels to the inch (720 = 7,5 in)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon, Rectangle

    layout = _layout(chart)
    px = 1 / 96  # one layout pixel in inches
    figure = Figure(figsize=(layout.width * px, layout.height * px), dpi=dpi, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, layout.width)
    axes.set_ylim(layout.height, 0)
    axes.set_axis_off()
    pt = 72 / 96  # layout pixels to points
    anchors = {"start": "left", "middle": "center", "end": "right"}
    for shape in layout.shapes:
        if isinstance(shape, Rect):
            axes.add_patch(Rectangle((shape.x, shape.y), shape.w, shape.h, facecolor=shape.fill, linewidth=0))
        elif isinstance(shape, Line):
            xs = [p[0] for p in shape.points]
            ys = [p[1] for p in shape.points]
            style = (0, tuple(d * 1.0 / max(shape.width, 0.1) for d in shape.dash)) if shape.dash else "solid"
            axes.plot(xs, ys, color=shape.stroke, linewidth=shape.width * pt, linestyle=style, solid_joinstyle="round")
        elif isinstance(shape, Marker):
            if shape.shape == "circle":
                from matplotlib.patches import Circle

                axes.add_patch(Circle((shape.x, shape.y), shape.size, facecolor=shape.fill, edgecolor="#fff", linewidth=0.75))
            elif shape.shape == "square":
                s = shape.size
                axes.add_patch(
                    Rectangle((shape.x - s, shape.y - s), 2 * s, 2 * s, facecolor=shape.fill, edgecolor="#fff", linewidth=0.75)
                )
            else:
                axes.add_patch(Polygon(_marker_points(shape), facecolor=shape.fill, edgecolor="#fff", linewidth=0.75))
        else:
            axes.text(
                shape.x,
                shape.y,
                shape.text,
                fontsize=shape.size * pt,
                ha=anchors[shape.anchor],
                va="baseline",
                color=shape.fill,
                fontweight="bold" if shape.bold else "normal",
                family="DejaVu Sans",
            )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor=BACKGROUND, metadata={"Software": None})
    return buffer.getvalue()
