"""`{% chart some_chart %}`: the shared server-rendered chart (eprovince.core.charts) with its data table.

The SVG carries role="img", a title and a description with every number; below it a <details> holds the same
numbers as a table for readers who prefer (or need) a table, and for copying.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import mark_safe

from eprovince.core import charts

register = template.Library()


@register.inclusion_tag("core/_chart.html")
def chart(chart: charts.BarChart | charts.LineChart | None, caption: str = "") -> dict[str, Any]:
    if chart is None:
        return {"chart": None}
    header, rows = charts.table_rows(chart)
    return {
        "chart": chart,
        "chart_id": charts.chart_id(chart),
        "svg": mark_safe(charts.render_svg(chart)),  # built by render_svg: every text escaped
        "caption": caption,
        "header": header,
        "rows": rows,
    }
