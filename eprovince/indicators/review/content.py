"""The annual review report as data: what the DOCX and the PDF both print, built once from the app's results.

The text is written from the figures in the phrasing of the Department's own reports ("Doanh thu … năm 2025 đạt
4.020 tỷ đồng, đạt 102% kế hoạch, tăng 1,24% so cùng kỳ năm trước."); every number goes through Django's
localisation (4.020; 252,1). Results come from `indicators.results` (approved values, targets), series from
`indicators.analytics`, rankings from `indicators.rankings`; the header follows Decree 30/2020/NĐ-CP (appendix I):
governing body and agency name in capitals, "Số: …/BC-<agency symbol>", the national name and motto, place and
date, the title, then "Nơi nhận" and the signer at the end."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.charts import BarChart, Chart, Series
from eprovince.core.models import AdminUnit, Organisation, Position
from eprovince.core.text import fold

from ..analytics import elements_by_code, former_units_within, series
from ..models import DataElement, IndexFramework, Indicator, Target
from ..periods import Period
from ..rankings import IndexTable, index_table
from ..results import ResultRow, format_number, results
from .fields import FIELDS, INSPECTION, NOT_REPORTED, Field

Progress = Callable[[int, str], None]
CHART_YEARS = 5


# The model -------------------------------------------------------------------------------------------------


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]  # per column: right-aligned numbers
    widths: list[float]  # relative column widths
    note: str = ""
    bold_rows: set[int] = field(default_factory=set)  # rows to stand out (the province's own)


@dataclass
class Figure:
    chart: Chart
    caption: str


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figure: Figure | None = None


@dataclass
class Part:
    title: str
    sections: list[Section] = field(default_factory=list)


@dataclass
class Header:
    governing_body: str  # "UBND TỈNH AN GIANG" (empty when the agency has no superior)
    agency: str  # "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    number: str  # "Số:      /BC-SKHCN"
    national_name: str
    motto: str
    place_date: str  # "An Giang, ngày 23 tháng 11 năm 2026"


@dataclass
class Signer:
    authority: str  # "KT. GIÁM ĐỐC" or ""
    title: str  # "GIÁM ĐỐC"
    name: str


@dataclass
class ReviewReport:
    year: int
    header: Header
    doc_type: str  # "BÁO CÁO"
    subject: str  # "Tổng kết công tác năm 2025 và phương hướng, nhiệm vụ năm 2026"
    intro: list[str]
    parts: list[Part]
    closing: str
    recipients: list[str]
    signer: Signer
    notes: list[str]
    achieved: dict[str, Decimal] = field(default_factory=dict)  # code → % of target (unrounded), for checks

    @property
    def title(self) -> str:
        return f"{self.doc_type} {self.subject}"

    def sentences(self) -> list[str]:
        """Every paragraph of the body, in order."""
        found = list(self.intro)
        for part in self.parts:
            for section in part.sections:
                found += section.paragraphs
        return [*found, self.closing]


# Numbers and phrases ---------------------------------------------------------------------------------------


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def count_text(value: Decimal, decimals: int, unit: str) -> str:
    """A figure in a sentence: counts below ten get a leading zero as the Department writes them ("09 cuộc")."""
    if decimals == 0 and unit not in ("%", "") and 0 < value < 10 and value == value.to_integral_value():
        return f"{int(value):02d}"
    return format_number(value, decimals)


def lower_first(text: str) -> str:
    """ "Mật độ thuê bao Internet" → "mật độ thuê bao Internet"; acronyms ("CNTT", "DTI") stay as they are."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def with_unit(number: str, unit: str) -> str:
    return f"{number}%" if unit == "%" else (f"{number} {unit}" if unit else number)


def percent_text(value: Decimal | None, decimals: int = 1) -> str:
    return "—" if value is None else format_number(value, decimals, trim=True)


def signed_percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = format_number(abs(value), 2, trim=True)
    return f"+{text}" if value > 0 else (f"-{text}" if value < 0 else "0")


def _tail(row: ResultRow) -> str:
    parts = [p for p in (row.achieved_text, row.change_text) if p]
    if row.change_text:
        parts[-1] = _("%(change)s năm trước") % {"change": parts[-1]}
    return ", ".join(parts)


def _is_level(row: ResultRow, elements: dict[str, DataElement]) -> bool:
    element = elements.get(row.code) if row.kind == "element" else None
    return element is not None and element.time_aggregation in ("last", "average")


def row_sentence(row: ResultRow, year: int, elements: dict[str, DataElement]) -> str:
    """ "Doanh thu … năm 2025 đạt 4.020 tỷ đồng, đạt 102% kế hoạch, tăng 1,24% so cùng kỳ năm trước." """
    if row.actual is None:
        return _("%(name)s năm %(year)s chưa có số liệu đã phê duyệt (kế hoạch %(target)s).") % {
            "name": row.name,
            "year": year,
            "target": with_unit(row.target_display, row.unit),
        }
    value = with_unit(count_text(row.actual, row.decimals, row.unit), row.unit)
    if _is_level(row, elements):
        text = _("%(name)s đến cuối năm %(year)s đạt %(value)s") % {"name": row.name, "year": year, "value": value}
    else:
        text = _("%(name)s năm %(year)s đạt %(value)s") % {"name": row.name, "year": year, "value": value}
    tail = _tail(row)
    return f"{text}, {tail}." if tail else f"{text}."


def clause_sentence(rows: list[tuple[ResultRow, str]], year: int) -> str:
    """ "Trong năm 2025, đã tiến hành 09 cuộc thanh tra, kiểm tra (tăng 12,5% so cùng kỳ năm trước); …" """
    clauses = []
    for row, template in rows:
        if row.actual is None:
            continue
        clause = template.format(value=count_text(row.actual, row.decimals, row.unit), unit=row.unit)
        tail = _tail(row)
        clauses.append(f"{clause} ({tail})" if tail else clause)
    if not clauses:
        return ""
    return _("Trong năm %(year)s, %(clauses)s.") % {"year": year, "clauses": "; ".join(clauses)}


# Header, signer, recipients ----------------------------------------------------------------------------------


def agency_symbol(organisation: Organisation) -> str:
    """The agency's abbreviation for document numbers, from its name: "Sở Khoa học và Công nghệ" → "SKHCN"."""
    name = re.split(r"\s+(?:tỉnh|thành phố)\s+", _agency_name(organisation))[0]
    words = [w for w in fold(name).split() if w != "va" and w[:1].isalpha()]
    return "".join(w[0] for w in words).upper()[:20] or "CQ"


def _province(organisation: Organisation) -> AdminUnit | None:
    org: Organisation | None = organisation
    while org is not None:
        unit = org.admin_unit
        while unit is not None and unit.level != "province":
            unit = unit.parent
        if unit is not None:
            return unit
        org = org.parent
    return None


def place_name(organisation: Organisation) -> str:
    unit = _province(organisation)
    return unit.name if unit is not None else ""


def _agency_name(organisation: Organisation) -> str:
    """ "Sở Khoa học và Công nghệ tỉnh An Giang" → "Sở Khoa học và Công nghệ" when its superior names the province."""
    name = organisation.name
    place = place_name(organisation)
    if place and organisation.parent_id:
        for suffix in (f" tỉnh {place}", f" thành phố {place}", f" {place}"):
            if name.endswith(suffix):
                return name[: -len(suffix)]
    return name


def _governing_body(organisation: Organisation) -> str:
    parent = organisation.parent
    if parent is None:
        return ""
    name = parent.name
    if name.startswith("Ủy ban nhân dân "):
        name = "UBND " + name[len("Ủy ban nhân dân ") :]
    return name.upper()


def vietnamese_date(day: dt.date) -> str:
    """ "ngày 05 tháng 02 năm 2026": days below 10 and the months 1 and 2 get a leading zero (Decree 30/2020)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return _("ngày %(day)s tháng %(month)s năm %(year)s") % {"day": f"{day.day:02d}", "month": month, "year": day.year}


def header_for(organisation: Organisation, symbol: str, day: dt.date) -> Header:
    place = place_name(organisation)
    return Header(
        governing_body=_governing_body(organisation),
        agency=_agency_name(organisation).upper(),
        number=_("Số:        /BC-%(symbol)s") % {"symbol": symbol},
        national_name="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        motto="Độc lập - Tự do - Hạnh phúc",
        place_date=f"{place}, {vietnamese_date(day)}" if place else vietnamese_date(day).capitalize(),
    )


def signer_for(organisation: Organisation, day: dt.date) -> Signer:
    """The head of the agency on `day` signs; failing that a deputy "KT." (ký thay) the head; else a blank name."""
    positions = list(
        Position.objects.filter(organisation=organisation, title__icontains="giám đốc")
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("user")
    )
    head = next((p for p in positions if "phó" not in p.title.lower()), None)
    if head is not None:
        return Signer("", _("GIÁM ĐỐC"), str(head.user))
    deputy = next(iter(positions), None)
    if deputy is not None:
        return Signer(_("KT. GIÁM ĐỐC"), _("PHÓ GIÁM ĐỐC"), str(deputy.user))
    return Signer("", _("GIÁM ĐỐC"), "")


def recipients_for(organisation: Organisation) -> list[str]:
    found = []
    if organisation.parent is not None:
        found.append(_("%(name)s (b/c);") % {"name": organisation.parent.short_name or organisation.parent.name})
    found.append(_("Lãnh đạo Sở;"))
    if organisation.children.exists():
        found.append(_("Các phòng, đơn vị thuộc Sở;"))
    found.append(_("Lưu: VT."))
    return found


# Body --------------------------------------------------------------------------------------------------------


@dataclass
class _Counter:
    tables: int = 0
    figures: int = 0

    def table(self, caption: str) -> str:
        self.tables += 1
        return _("Bảng %(n)d. %(caption)s") % {"n": self.tables, "caption": caption}

    def figure(self, caption: str) -> str:
        self.figures += 1
        return _("Biểu đồ %(n)d. %(caption)s") % {"n": self.figures, "caption": caption}


def results_table(rows: list[ResultRow], year: int, caption: str) -> Table:
    synthetic = any(r.target_synthetic for r in rows)
    body = []
    for n, r in enumerate(rows, start=1):
        target = r.target_display if r.target is not None else "—"
        if r.target is not None and r.target_synthetic:
            target += "*"
        body.append(
            [
                str(n),
                r.name,
                r.unit,
                r.last_year_display if r.last_year is not None else "—",
                target,
                r.actual_display if r.actual is not None else "—",
                percent_text(r.percent_of_target),
                signed_percent(r.change_percent),
            ]
        )
    return Table(
        caption=caption,
        columns=[
            _("TT"),
            _("Chỉ tiêu"),
            _("Đơn vị tính"),
            _("Thực hiện năm %(y)s") % {"y": year - 1},
            _("Kế hoạch năm %(y)s") % {"y": year},
            _("Thực hiện năm %(y)s") % {"y": year},
            _("So với kế hoạch (%)"),
            _("So với cùng kỳ (%)"),
        ],
        rows=body,
        numeric=[False, False, False, True, True, True, True, True],
        widths=[0.6, 3.8, 1.4, 1.7, 1.7, 1.7, 1.5, 1.5],
        note=_("* Chỉ tiêu kế hoạch minh họa trong dữ liệu trình diễn.") if synthetic else "",
    )


def _subject(code: str) -> DataElement | Indicator | None:
    return Indicator.objects.filter(code=code).first() or DataElement.objects.filter(code=code).first()


def five_year_chart(code: str, year: int, title: str) -> Chart | None:
    subject = _subject(code)
    if subject is None:
        return None
    years = list(range(year - CHART_YEARS + 1, year + 1))
    values = [None if v is None else float(v) for _p, v in series(subject, [Period.parse(str(y)) for y in years])]
    if all(v is None for v in values):
        return None
    kind = Q(indicator=subject) if isinstance(subject, Indicator) else Q(element=subject)
    targets = {t.year: float(t.value) for t in Target.objects.filter(kind, organisation__isnull=True, year__in=years)}
    name = subject.name if isinstance(subject, Indicator) else subject.label
    return BarChart(
        title=title or name,
        categories=[str(y) for y in years],
        series=[Series(_("Thực hiện"), values)],
        unit=subject.unit,
        target=[targets.get(y) for y in years] if targets else None,
    )


def field_section(
    spec: Field, rows: dict[str, ResultRow], year: int, elements: dict[str, DataElement], counter: _Counter
) -> Section | None:
    chosen = [rows[c] for c in spec.codes if c in rows]
    if not chosen:
        return None
    section = Section(title=spec.title)
    if spec.lead:
        section.paragraphs.append(spec.lead)
    plain = [r for r in chosen if r.code not in spec.clauses]
    for r in plain:
        section.paragraphs.append(f"- {row_sentence(r, year, elements)}")
    clause = clause_sentence([(r, spec.clauses[r.code]) for r in chosen if r.code in spec.clauses], year)
    if clause:
        section.paragraphs.append(f"- {clause}")
    caption = _("Kết quả thực hiện lĩnh vực %(f)s năm %(y)s") % {"f": lower_first(spec.title), "y": year}
    section.tables.append(results_table(chosen, year, counter.table(caption)))
    if spec.chart:
        chart = five_year_chart(spec.chart, year, "")
        if chart is not None:
            caption = _("%(name)s giai đoạn %(first)s–%(last)s") % {
                "name": chart.title,
                "first": year - CHART_YEARS + 1,
                "last": year,
            }
            section.figure = Figure(chart, counter.figure(caption))
    return section


def assessment(rows: list[ResultRow], year: int) -> list[str]:
    with_target = [r for r in rows if r.percent_of_target is not None]
    if not with_target:
        return [_("Năm %(year)s chưa có chỉ tiêu kế hoạch nào có đủ số liệu để đánh giá.") % {"year": year}]
    reached = [r for r in with_target if r.percent_of_target is not None and r.percent_of_target >= 100]
    missed = [r for r in with_target if r not in reached]
    lead = _("Trong số %(total)s chỉ tiêu được giao kế hoạch năm %(year)s có đủ số liệu") % {
        "total": count_text(Decimal(len(with_target)), 0, "chỉ tiêu"),
        "year": year,
    }
    names = "; ".join(f"{lower_first(r.name)} ({r.achieved_text})" for r in missed)
    if not missed:
        text = _("%(lead)s, tất cả đều đạt và vượt kế hoạch.") % {"lead": lead}
    elif not reached:
        text = _("%(lead)s, chưa có chỉ tiêu nào đạt kế hoạch: %(names)s.") % {"lead": lead, "names": names}
    else:
        text = _("%(lead)s, có %(reached)s chỉ tiêu đạt và vượt kế hoạch, %(missed)s chỉ tiêu chưa đạt: %(names)s.") % {
            "lead": lead,
            "reached": count_text(Decimal(len(reached)), 0, "chỉ tiêu"),
            "missed": count_text(Decimal(len(missed)), 0, "chỉ tiêu"),
            "names": names,
        }
    paragraphs = [text]
    missing = [r for r in rows if r.target is not None and r.actual is None]
    if missing:
        paragraphs.append(
            _("Chưa có số liệu đã phê duyệt để đánh giá: %(names)s.") % {"names": "; ".join(lower_first(r.name) for r in missing)}
        )
    return paragraphs


# Rankings ----------------------------------------------------------------------------------------------------


def _own_units(organisation: Organisation) -> set[int]:
    province = _province(organisation)
    if province is None:
        return set()
    return {province.pk} | former_units_within(province)


def _latest_frameworks(year: int) -> list[IndexFramework]:
    chosen: dict[str, IndexFramework] = {}
    for framework in IndexFramework.objects.filter(year__lte=year).order_by("code", "-year"):
        chosen.setdefault(framework.code, framework)
    return list(chosen.values())


def _score(value: Decimal | None) -> str:
    return format_number(value, 4) if value is not None else "—"


def ranking_paragraphs(table: IndexTable, own_units: set[int]) -> tuple[list[str], set[int]]:
    framework = table.framework
    ranked = table.ranked
    own = [r for r in table.rows if r.subject.admin_unit_id in own_units]
    texts = []
    if own:
        for row in own:
            if row.rank is None:
                continue
            text = _("%(name)s năm %(year)s: %(subject)s đạt %(score)s điểm, xếp thứ %(rank)s/%(total)s") % {
                "name": framework.name,
                "year": framework.year,
                "subject": row.subject.name,
                "score": _score(row.score),
                "rank": row.rank,
                "total": ranked,
            }
            change = row.rank_change
            if change and table.previous is not None:
                verb = _("tăng") if change > 0 else _("giảm")
                text += _(", %(verb)s %(n)s bậc so với năm %(prev)s") % {
                    "verb": verb,
                    "n": abs(change),
                    "prev": table.previous.year,
                }
            elif change == 0 and table.previous is not None:
                text += _(", giữ nguyên thứ hạng so với năm %(prev)s") % {"prev": table.previous.year}
            texts.append(text + ".")
    else:
        first = next((r for r in table.rows if r.rank == 1), None)
        if first is not None:
            texts.append(
                _("%(name)s năm %(year)s: %(total)s đơn vị được đánh giá, dẫn đầu là %(subject)s với %(score)s điểm.")
                % {
                    "name": framework.name,
                    "year": framework.year,
                    "total": ranked,
                    "subject": first.subject.name,
                    "score": _score(first.score),
                }
            )
    return texts, {r.subject.pk for r in own}


def ranking_table(table: IndexTable, own: set[int], caption: str) -> Table:
    rows: list[list[str]] = []
    bold: set[int] = set()
    for row in table.rows:
        if row.rank is None:
            continue
        if row.subject.pk in own:
            bold.add(len(rows))
        if table.previous is not None and row.rank_change is not None:
            change = f"{row.rank_change:+d}" if row.rank_change else "0"
        else:
            change = "—"
        name = row.subject.name + (" *" if row.synthetic else "")
        rows.append([str(row.rank), name, _score(row.score), change])
    note = _("* Số liệu minh họa trong dữ liệu trình diễn.") if any(r.synthetic for r in table.rows) else ""
    previous = table.previous.year if table.previous is not None else None
    return Table(
        caption=caption,
        columns=[
            _("Hạng"),
            _("Đơn vị"),
            _("Điểm"),
            _("Thay đổi hạng so với năm %(y)s") % {"y": previous} if previous else _("Thay đổi hạng"),
        ],
        rows=rows,
        numeric=[True, False, True, True],
        widths=[0.8, 5.0, 1.6, 2.2],
        note=note,
        bold_rows=bold,
    )


def rankings_section(year: int, organisation: Organisation, counter: _Counter) -> Section | None:
    frameworks = _latest_frameworks(year)
    if not frameworks:
        return None
    own_units = _own_units(organisation)
    section = Section(title=_("Xếp hạng các bộ chỉ số"))
    tables = [index_table(f) for f in frameworks]
    # Indices where the province itself is compared come first, the newest first.
    tables.sort(key=lambda t: (not any(r.subject.admin_unit_id in own_units for r in t.rows), -t.framework.year))
    for table in tables:
        framework = table.framework
        if not table.ranked:
            continue
        texts, own = ranking_paragraphs(table, own_units)
        section.paragraphs += texts
        caption = _("%(name)s năm %(year)s") % {"name": framework.name, "year": framework.year}
        section.tables.append(ranking_table(table, own, counter.table(caption)))
    return section if section.tables else None


# Next year ---------------------------------------------------------------------------------------------------


def next_year_section(year: int, rows: dict[str, ResultRow], counter: _Counter) -> Section:
    nxt = year + 1
    targets = list(
        Target.objects.filter(year=nxt, organisation__isnull=True).select_related("indicator", "element").order_by("pk")
    )
    section = Section(title=_("Các chỉ tiêu chủ yếu năm %(y)s") % {"y": nxt})
    if not targets:
        section.paragraphs.append(_("Chưa giao chỉ tiêu kế hoạch năm %(y)s.") % {"y": nxt})
        return section
    clauses, body = [], []
    synthetic = False
    for n, target in enumerate(targets, start=1):
        subject = target.subject
        code = subject.code
        name = subject.name if isinstance(subject, Indicator) else subject.label
        decimals = subject.decimals
        unit = subject.unit
        goal = format_number(target.value, decimals)
        clauses.append(_("%(name)s đạt %(value)s") % {"name": lower_first(name), "value": with_unit(goal, unit)})
        current = rows.get(code)
        actual = current.actual if current is not None else None
        growth = (target.value - actual) / actual * 100 if actual else None
        synthetic = synthetic or target.synthetic
        body.append(
            [
                str(n),
                name,
                unit,
                format_number(actual, decimals) if actual is not None else "—",
                goal + ("*" if target.synthetic else ""),
                signed_percent(growth),
                target.source_decision,
            ]
        )
    section.paragraphs.append(_("Phấn đấu năm %(y)s: %(clauses)s.") % {"y": nxt, "clauses": "; ".join(clauses)})
    section.tables.append(
        Table(
            caption=counter.table(_("Chỉ tiêu kế hoạch năm %(y)s") % {"y": nxt}),
            columns=[
                _("TT"),
                _("Chỉ tiêu"),
                _("Đơn vị tính"),
                _("Thực hiện năm %(y)s") % {"y": year},
                _("Kế hoạch năm %(y)s") % {"y": nxt},
                _("Tăng so với năm %(y)s (%%)") % {"y": year},
                _("Căn cứ"),
            ],
            rows=body,
            numeric=[False, False, False, True, True, True, False],
            widths=[0.6, 3.6, 1.4, 1.5, 1.5, 1.4, 2.6],
            note=_("* Chỉ tiêu kế hoạch minh họa trong dữ liệu trình diễn.") if synthetic else "",
        )
    )
    return section


# The whole report ----------------------------------------------------------------------------------------------


def _no_progress(percent: int, label: str) -> None:
    return None


def build_report(
    *,
    year: int,
    organisation: Organisation,
    symbol: str = "",
    today: dt.date | None = None,
    progress: Progress = _no_progress,
) -> ReviewReport:
    """The review of `year` by `organisation` (the Department), for the whole province, from approved values."""
    day = today or timezone.localdate()
    symbol = symbol or agency_symbol(organisation)
    progress(10, _("Đang tổng hợp số liệu năm %(y)s") % {"y": year})
    period = Period.parse(str(year))
    all_rows = [r for r in results(period=period) if r.code not in NOT_REPORTED]
    by_code = {r.code: r for r in all_rows}
    elements = elements_by_code()
    counter = _Counter()
    agency = _agency_name(organisation)

    part1 = Part(title=_("KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM %(y)s") % {"y": year})
    named = {c for f in (*FIELDS, INSPECTION) for c in f.codes}
    others = Field(key="other", title=_("Các chỉ tiêu khác"), codes=tuple(r.code for r in all_rows if r.code not in named))
    specs = [*FIELDS, others]
    for n, spec in enumerate(specs):
        progress(15 + 35 * n // len(specs), _("Đang viết phần %(f)s") % {"f": lower_first(spec.title)})
        section = field_section(spec, by_code, year, elements, counter)
        if section is not None:
            part1.sections.append(section)

    progress(50, _("Đang tổng hợp công tác thanh tra, kiểm tra"))
    inspection = field_section(INSPECTION, by_code, year, elements, counter)
    if inspection is None:
        inspection = Section(
            title=INSPECTION.title,
            paragraphs=[_("Năm %(y)s chưa có số liệu thanh tra, kiểm tra đã được phê duyệt.") % {"y": year}],
        )
    part1.sections.append(inspection)

    progress(55, _("Đang tổng hợp xếp hạng chỉ số"))
    rankings = rankings_section(year, organisation, counter)
    if rankings is not None:
        part1.sections.append(rankings)
    reported = [r for r in all_rows if r.code in {c for f in specs for c in f.codes}]
    part1.sections.append(Section(title=_("Đánh giá chung"), paragraphs=assessment(reported, year)))

    progress(60, _("Đang lập phương hướng, nhiệm vụ năm %(y)s") % {"y": year + 1})
    part2 = Part(title=_("PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM %(y)s") % {"y": year + 1})
    part2.sections.append(next_year_section(year, by_code, counter))

    intro = [
        _(
            "%(agency)s báo cáo kết quả thực hiện nhiệm vụ năm %(y)s và phương hướng, nhiệm vụ năm %(n)s trong các "
            "lĩnh vực bưu chính, viễn thông, công nghệ thông tin, chuyển đổi số, báo chí, xuất bản và thông tin cơ "
            "sở trên địa bàn tỉnh như sau:"
        )
        % {"agency": agency, "y": year, "n": year + 1}
    ]
    stamp = timezone.localtime()
    notes = [
        _(
            "Số liệu tổng hợp tự động từ các báo cáo đã được phê duyệt trên hệ thống đến %(time)s; số liệu năm "
            "trước của các đơn vị hành chính trước sắp xếp năm 2025 được cộng vào địa bàn hiện nay."
        )
        % {"time": f"{stamp:%H} giờ {stamp:%M}, {stamp:%d/%m/%Y}"}
    ]
    report = ReviewReport(
        year=year,
        header=header_for(organisation, symbol, day),
        doc_type=_("BÁO CÁO"),
        subject=_("Tổng kết công tác năm %(y)s và phương hướng, nhiệm vụ năm %(n)s") % {"y": year, "n": year + 1},
        intro=intro,
        parts=[part1, part2],
        closing=_("Trên đây là báo cáo tổng kết công tác năm %(y)s và phương hướng, nhiệm vụ năm %(n)s của %(agency)s./.")
        % {"y": year, "n": year + 1, "agency": agency},
        recipients=recipients_for(organisation),
        signer=signer_for(organisation, day),
        notes=notes,
        achieved={r.code: pct for r in all_rows if (pct := r.percent_of_target) is not None},
    )
    progress(65, _("Đã tổng hợp xong nội dung báo cáo"))
    return report
