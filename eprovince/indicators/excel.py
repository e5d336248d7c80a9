"""A unit's report as an Excel workbook: the template to download (header block, one row per cell of the form,
last period's value for reference, the values already entered) and reading the filled file back.

Reading never writes: each row is read once and checked once here (codes and options resolved with the API's
rules and messages, datasets.unknown_*_message; each value by services.values.check_entry), then goes to
services.values.values_save as checked, which saves all of them or none, audits them and runs the form's
validation rules. Every problem names the sheet, row and column: "Trang 'Số liệu', dòng 12, cột F: …".

The workbook carries a very hidden sheet "_meta" naming the form, organisation, period and submission and the
key (element code, option code) of every data row, so a file of another report is refused."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from eprovince.core.http import content_disposition
from eprovince.core.models import Organisation, User
from eprovince.core.spreadsheets import put, set_value

from .constants import ValueType
from .datasets import unknown_element_message, unknown_option_message
from .models import CategoryOption, DataElement, DataValue, Submission
from .selectors import EntryRow, entry_rows
from .services.rounds import not_editable_message
from .services.values import CheckedEntry, SaveResult, ValueEntry, check_entry, values_save

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 5 * 1024 * 1024  # an uploaded file
MAX_UNZIPPED_BYTES = 80 * 1024 * 1024  # what it may expand to (a zip bomb is refused before openpyxl opens it)
MAX_ROWS = 5_000  # data rows read below the header
MAX_COMMENT = 1_000
FORMAT = "eprovince.indicators.submission"
FORMAT_VERSION = "1"

SHEET = "Số liệu"
META_SHEET = "_meta"
HEADER_ROW = 8
FIRST_ROW = HEADER_ROW + 1


@dataclass(frozen=True)
class Column:
    field: str
    letter: str
    title: str
    width: int


COLUMNS = (
    Column("code", "A", "Mã chỉ tiêu", 18),
    Column("name", "B", "Tên chỉ tiêu", 48),
    Column("unit", "C", "Đơn vị tính", 13),
    Column("option", "D", "Nhóm phân tổ", 16),
    Column("previous", "E", "Kỳ trước (tham khảo)", 16),
    Column("value", "F", "Giá trị kỳ này", 16),
    Column("comment", "G", "Ghi chú, giải trình", 40),
)
COL = {c.field: c.letter for c in COLUMNS}
_AT = {c.field: index for index, c in enumerate(COLUMNS)}  # a field → its place in a row's values
# Fields of a datasets row → the column its errors point at.
_FIELD_COLUMN = {"dataElement": "A", "categoryOption": "D", "value": "F", "comment": "G"}
# Keys of the metadata sheet, in its rows 1…; the row keys follow after a blank row.
_META_KEYS = ("format", "version", "form", "organisation", "period", "submission", "sheet", "header_row", "generated_at")
_META_ROWS_TITLE = len(_META_KEYS) + 2

_THIN = Side(style="thin", color="9AA5AD")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DCE6F0")
_INPUT_FILL = PatternFill("solid", fgColor="FFF9DB")
_SECTION_FILL = PatternFill("solid", fgColor="F2F4F5")


# Errors ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """A problem in the file, located as precisely as it can be: sheet, row and column (any may be absent)."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where: list[str] = []
        if self.sheet:
            where.append(_("Trang '%(sheet)s'") % {"sheet": self.sheet})
        if self.row:
            where.append(_("dòng %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("cột %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message

    @property
    def sort_key(self) -> tuple[str, int, str]:
        return (self.sheet, self.row or 0, self.column)


class ExcelImportError(ValidationError):
    """The file was refused; `cell_errors` says where and why. Nothing of it was saved."""

    def __init__(self, errors: Iterable[CellError]) -> None:
        self.cell_errors = sorted(errors, key=lambda e: e.sort_key)
        super().__init__([str(e) for e in self.cell_errors])


def _cell(sheet: str, row: int, column: str, message: str) -> CellError:
    return CellError(message=message, sheet=sheet, row=row, column=column)


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:] if message else message


# The template ----------------------------------------------------------------------------------------------------


def _number(value: Decimal | None, element: DataElement) -> Any:
    if value is None:
        return None
    if element.value_type == ValueType.BOOLEAN:
        return _("Có") if value else _("Không")
    if value == value.to_integral_value():
        return int(value)
    return value


def _number_format(element: DataElement) -> str:
    if element.value_type == ValueType.INTEGER:
        return "#,##0"
    if element.decimals:
        return "#,##0." + "0" * element.decimals
    return "#,##0.######"


def _validation_for(element: DataElement) -> tuple[str, dict[str, Any]]:
    """(key, DataValidation arguments) for the value cell of `element`: openpyxl writes Excel's own checks."""
    common = {"allow_blank": True, "showErrorMessage": True, "showInputMessage": True, "errorTitle": _("Giá trị không hợp lệ")}
    if element.value_type == ValueType.BOOLEAN:
        choices = f'"{_("Có")},{_("Không")}"'
        return "boolean", {"type": "list", "formula1": choices, "error": _("Chọn Có hoặc Không."), **common}
    if element.value_type == ValueType.PERCENTAGE:
        return "percentage", {
            "type": "decimal",
            "operator": "between",
            "formula1": "0",
            "formula2": "100",
            "error": _("Tỉ lệ phần trăm phải từ 0 đến 100."),
            **common,
        }
    kind = "whole" if element.value_type == ValueType.INTEGER else "decimal"
    if element.allow_negative:
        return f"{kind}-signed", {
            "type": kind,
            "operator": "between",
            "formula1": "-999999999999999999",
            "formula2": "999999999999999999",
            "error": _("Phải là số nguyên.") if kind == "whole" else _("Phải là một số."),
            **common,
        }
    return kind, {
        "type": kind,
        "operator": "greaterThanOrEqual",
        "formula1": "0",
        "error": _("Phải là số nguyên không âm.") if kind == "whole" else _("Phải là số không âm."),
        **common,
    }


def _previous_values(submission: Submission, rows: Sequence[EntryRow]) -> dict[tuple[int, int | None], Decimal]:
    previous = submission.round.period_obj.previous().id
    stored = DataValue.objects.filter(
        organisation=submission.organisation, period=previous, element__in={r.element.pk for r in rows}
    ).values_list("element_id", "category_option_id", "value")
    return {(element, option): value for element, option, value in stored}


def row_key(element: DataElement, option: CategoryOption | None) -> str:
    return f"{element.code}.{option.code}" if option else element.code


def template_workbook(submission: Submission) -> Workbook:
    """The template of one unit's report, pre-filled with the values entered so far and last period's values."""
    round_ = submission.round
    form = round_.form
    period = round_.period_obj
    previous = period.previous()
    rows = entry_rows(submission)
    last = _previous_values(submission, rows)

    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook has its sheet
    ws.title = SHEET
    ws.sheet_properties.tabColor = "1F4E79"
    last_letter = COLUMNS[-1].letter
    put(ws, 1, 1, form.name)  # every text through core.spreadsheets: a name or comment "=…" is text, not a formula
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last_letter}1")
    block = [
        (_("Đơn vị báo cáo:"), submission.organisation.name),
        (
            _("Kỳ báo cáo:"),
            f"{period.label} ({period.start(form.convention):%d/%m/%Y} – {period.end(form.convention):%d/%m/%Y})",
        ),
        (_("Hạn nộp:"), f"{round_.deadline:%d/%m/%Y}"),
        (_("Kỳ trước:"), _("%(period)s (cột E, chỉ để tham khảo)") % {"period": previous.label}),
        (
            _("Hướng dẫn:"),
            _(
                "Chỉ nhập vào cột F (giá trị kỳ này) và cột G (ghi chú, giải trình). Số nhập dạng số của Excel hoặc "
                "theo cách viết Việt Nam (4.020; 252,1). Ô giá trị để trống thì giữ nguyên số liệu đã lưu. Không chèn, "
                "xóa hay đổi chỗ các cột và không sửa mã chỉ tiêu."
            ),
        ),
    ]
    for offset, (label, text) in enumerate(block, start=2):
        put(ws, offset, 1, label).font = Font(bold=True)
        put(ws, offset, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=offset, start_column=2, end_row=offset, end_column=len(COLUMNS))
    ws.row_dimensions[6].height = 45
    for column in COLUMNS:
        cell = set_value(ws[f"{column.letter}{HEADER_ROW}"], column.title)
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[column.letter].width = column.width
    ws.row_dimensions[HEADER_ROW].height = 32

    # Every data row repeats a few cell styles: the first cell of each kind is styled through openpyxl's setters,
    # the others take a copy of its style indexes (setting a style looks it up by hashing the whole style object,
    # which for 35.000 cells took seconds). Each check's cells are collected and given to it at once
    # (DataValidation.add tests every cell against the ones already added: quadratic in the rows).
    styles: dict[tuple[str, str], StyleArray] = {}
    formats: dict[int, str] = {}
    specs: dict[tuple[str, bool], tuple[str, dict[str, Any]]] = {}
    validations: dict[str, DataValidation] = {}
    checked: dict[str, list[CellRange]] = {}
    value_column = column_index_from_string(COL["value"])
    keys: list[tuple[int, str]] = []
    number = FIRST_ROW
    section = ""
    for row in rows:
        element = row.element
        if row.form_element.section and row.form_element.section != section:
            section = row.form_element.section
            put(ws, number, 2, section).font = Font(bold=True)
            for column in COLUMNS:
                ws[f"{column.letter}{number}"].fill = _SECTION_FILL
            number += 1
        option = row.option
        number_format = formats.get(element.pk)
        if number_format is None:
            number_format = formats[element.pk] = _number_format(element)
        values = {
            "code": element.code,
            "name": element.name,
            "unit": element.unit,
            "option": option.name if option else None,
            "previous": _number(last.get((element.pk, option.pk if option else None)), element),
            "value": _number(row.value, element),
            "comment": row.comment or None,
        }
        for index, column in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=number, column=index)
            style_key = (column.field, number_format if column.field in ("previous", "value") else "")
            style = styles.get(style_key)
            if style is not None:
                cell._style = copy(style)
            else:
                cell.border = _BORDER
                if column.field in ("previous", "value"):
                    cell.number_format = number_format
                if column.field in ("value", "comment"):
                    cell.fill = _INPUT_FILL
                    cell.protection = Protection(locked=False)
                if column.field in ("name", "comment"):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                styles[style_key] = copy(cell._style)
            # after the shared style: a text's own quote prefix (core.spreadsheets) is not copied to other cells
            set_value(cell, values[column.field])
        spec_key = (element.value_type, element.allow_negative)
        if spec_key not in specs:
            specs[spec_key] = _validation_for(element)
        kind, spec = specs[spec_key]
        if kind not in validations:
            validations[kind] = DataValidation(**spec)
            ws.add_data_validation(validations[kind])
            checked[kind] = []
        checked[kind].append(CellRange(min_col=value_column, min_row=number, max_col=value_column, max_row=number))
        keys.append((number, row_key(element, option)))
        number += 1
    for kind, validation in validations.items():
        validation.sqref = MultiCellRange(checked[kind])
    comments = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_COMMENT), allow_blank=True)
    comments.error = _("Ghi chú tối đa %(n)d ký tự.") % {"n": MAX_COMMENT}
    comments.showErrorMessage = True
    if keys:
        comments.add(f"{COL['comment']}{FIRST_ROW}:{COL['comment']}{number - 1}")
        ws.add_data_validation(comments)
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    # Protected without a password: the structure (columns, codes) stays put, values and comments stay editable.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    generated = timezone.localtime().isoformat(timespec="seconds")
    info = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "form": form.code,
        "organisation": str(submission.organisation.pk),
        "period": period.id,
        "submission": str(submission.pk),
        "sheet": SHEET,
        "header_row": str(HEADER_ROW),
        "generated_at": generated,
    }
    for index, key in enumerate(_META_KEYS, start=1):
        put(meta, index, 1, key)
        put(meta, index, 2, info[key])
    put(meta, 4, 3, submission.organisation.name)
    put(meta, _META_ROWS_TITLE, 1, "row")
    put(meta, _META_ROWS_TITLE, 2, "key")
    for index, (number, key) in enumerate(keys, start=_META_ROWS_TITLE + 1):
        put(meta, index, 1, number)
        put(meta, index, 2, key)
    for name, row_number in (("EP_FORM", 3), ("EP_ORGANISATION", 4), ("EP_PERIOD", 5)):
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{META_SHEET}'!$B${row_number}")
    wb.properties.creator = "e-Province"
    wb.properties.title = f"{form.name} – {submission.organisation.name} – {period.label}"
    return wb


def template_bytes(submission: Submission) -> bytes:
    buffer = io.BytesIO()
    template_workbook(submission).save(buffer)
    return buffer.getvalue()


def template_filename(submission: Submission) -> str:
    """ "Mẫu nhập DN_VT - VNPT An Giang - 6 tháng đầu năm 2024.xlsx" (no characters a file system refuses)."""
    round_ = submission.round
    text = _("Mẫu nhập %(form)s - %(org)s - %(period)s") % {
        "form": round_.form.code,
        "org": submission.organisation.name,
        "period": round_.period_obj.label,
    }
    cleaned = "".join("-" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in text)
    return f"{' '.join(cleaned.split())[:150]}.xlsx"


# Reading a filled file -------------------------------------------------------------------------------------------


def read_upload(upload: UploadedFile) -> bytes:
    """The file's bytes if it is an .xlsx within the size limits (checked on the content, not the name)."""
    name = upload.name or "?"
    size = upload.size or 0
    if size > MAX_BYTES:
        raise ExcelImportError([_oversized(name, size)])
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ExcelImportError([_oversized(name, len(data))])
    check_xlsx(data, name)
    return data


def _oversized(name: str, size: int) -> CellError:
    megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
    return CellError(
        _("Tệp “%(name)s” nặng %(size)s MB, vượt giới hạn %(limit)d MB: hãy xóa các trang, hình ảnh không cần thiết.")
        % {"name": name, "size": megabytes, "limit": MAX_BYTES // 1024 // 1024}
    )


def check_xlsx(data: bytes, name: str = "") -> None:
    """An .xlsx is a zip holding xl/workbook.xml; anything else (.xls, .csv, .ods, a renamed file) is refused."""
    wrong = CellError(
        _(
            "Tệp “%(name)s” không phải là tệp Excel .xlsx. Hãy tải mẫu Excel từ trang báo cáo, điền số liệu rồi lưu "
            "dưới dạng “Excel Workbook (*.xlsx)”."
        )
        % {"name": name or "?"}
    )
    if len(data) > MAX_BYTES:
        raise ExcelImportError([_oversized(name or "?", len(data))])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise ExcelImportError([wrong]) from None
    if "xl/workbook.xml" not in names:
        raise ExcelImportError([wrong])
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ExcelImportError([CellError(_("Tệp “%(name)s” quá lớn khi giải nén.") % {"name": name or "?"})])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _raw(value: Any) -> str | int | float | Decimal | None:
    """A value cell as the services take it: numbers as they are, everything else (dates, booleans) as text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE, _TEXT, _RUN = (f"{_NS}{tag}" for tag in ("row", "c", "v", "is", "t", "r"))
_SHEET_DATA = f"{_NS}sheetData"


_DIGITS = "0123456789"


@functools.cache
def _column_of(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _sheet_values(ws: Any, *, min_row: int, max_row: int, max_col: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, the first `max_col` values) of each row present in the sheet between `min_row` and `max_row`.

    The values are those openpyxl gives with read_only/data_only/values_only (cached results of formulas, dates as
    datetimes from the workbook's date styles), read straight from the sheet's XML and stopping at its end of data:
    openpyxl's own reader builds a dictionary per cell and parses the data validations after the rows, which for a
    5.000-row template took most of an import's time. A sheet not opened read-only, or with DTD declarations:
    openpyxl's own iterator."""
    xml = b""
    if isinstance(ws, ReadOnlyWorksheet) and ws.parent.data_only:
        with ws._get_source() as source:
            xml = source.read()  # bounded: check_xlsx refused archives expanding beyond MAX_UNZIPPED_BYTES
    if not xml or b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:  # declarations: left to openpyxl's defused parser
        rows = ws.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col, values_only=True)
        yield from enumerate(rows, min_row)
        return
    workbook = ws.parent
    shared, epoch = ws._shared_strings, workbook.epoch
    date_formats, timedelta_formats = workbook._date_formats, workbook._timedelta_formats
    number = 0
    # The C parser of the standard library in one call, not openpyxl's defusedxml one (a Python callback per XML
    # tag, most of the time of a large file): a sheet without DTD declarations has no entities to expand.
    data = ElementTree.fromstring(xml).find(_SHEET_DATA)  # noqa: S314
    for element in data if data is not None else ():
        if element.tag != _ROW:
            continue
        found = element.get("r")
        number = int(found) if found else number + 1
        if number < min_row:
            continue
        if number > max_row:
            break
        values: list[Any] = [None] * max_col
        column = 0
        for cell in element.iter(_CELL):
            reference = cell.get("r")
            column = _column_of(reference.rstrip(_DIGITS)) if reference else column + 1
            if column > max_col:
                continue
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                inline = cell.find(_INLINE)
                if inline is not None:
                    if len(inline) == 1 and inline[0].tag == _TEXT:  # <is><t>text</t></is>: nearly always
                        values[column - 1] = inline[0].text or ""
                        continue
                    texts = [t.text or "" for t in inline.findall(_TEXT)]
                    texts += [t.text or "" for run in inline.findall(_RUN) for t in run.findall(_TEXT)]
                    values[column - 1] = "".join(texts)
                continue
            raw = cell.findtext(_VALUE) or None
            if raw is None:
                continue
            value: Any = raw
            if kind == "n":
                value = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
                style = int(cell.get("s", 0) or 0)
                if style and style in date_formats:
                    try:
                        value = from_excel(value, epoch, timedelta=style in timedelta_formats)
                    except (OverflowError, ValueError):
                        value = "#VALUE!"
            elif kind == "s":
                value = shared[int(raw)]
            elif kind == "b":
                value = bool(int(raw))
            elif kind == "d":
                value = from_ISO8601(raw)
            values[column - 1] = value
        yield number, tuple(values)


@dataclass
class _Meta:
    """The metadata sheet: its header values, and the key of each data row, read from the sheet (while the workbook
    is open) only when a row needs it: a row naming its option in column D does not."""

    values: dict[str, str]
    sheet: Any
    _rows: dict[int, str] | None = None

    @property
    def rows(self) -> dict[int, str]:
        """Data row number → "CODE" or "CODE.OPTION"."""
        if self._rows is None:
            self._rows = {}
            last = _META_ROWS_TITLE + MAX_ROWS
            for _number, cells in _sheet_values(self.sheet, min_row=_META_ROWS_TITLE + 1, max_row=last, max_col=2):
                first, second = (*cells, None, None)[:2]
                if first is not None:
                    try:
                        self._rows[int(first)] = _text(second)
                    except (TypeError, ValueError):
                        continue
        return self._rows


def _read_meta(wb: Any) -> _Meta:
    if META_SHEET not in wb.sheetnames:
        raise ExcelImportError(
            [
                CellError(
                    _(
                        "Tệp không phải là mẫu Excel của báo cáo này (thiếu trang thông tin ẩn '%(sheet)s'). Hãy tải "
                        "mẫu từ trang báo cáo, điền số liệu vào đó rồi tải lên."
                    )
                    % {"sheet": META_SHEET}
                )
            ]
        )
    sheet = wb[META_SHEET]
    values: dict[str, str] = {}
    # openpyxl's reader stops after the last row asked: the header, not the 5.000 row keys below it
    for cells in sheet.iter_rows(min_row=1, max_row=_META_ROWS_TITLE - 1, max_col=2, values_only=True):
        first, second = (*cells, None, None)[:2]
        if first is not None:
            values[_text(first)] = _text(second)
    if values.get("format") != FORMAT:
        raise ExcelImportError([_cell(META_SHEET, 1, "B", _("tệp không phải là mẫu Excel báo cáo số liệu của e-Province."))])
    return _Meta(values, sheet)


def _meta_errors(meta: _Meta, submission: Submission) -> list[CellError]:
    """A file of another form, organisation or period, or of a unit the round does not expect."""
    round_ = submission.round
    errors: list[CellError] = []
    row_of = {key: index for index, key in enumerate(_META_KEYS, start=1)}
    form_code = meta.values.get("form", "")
    if form_code != round_.form.code:
        errors.append(
            _cell(
                META_SHEET,
                row_of["form"],
                "B",
                _("tệp là mẫu của biểu mẫu “%(found)s”, không phải của biểu mẫu “%(expected)s” (%(name)s).")
                % {"found": form_code or "?", "expected": round_.form.code, "name": round_.form.name},
            )
        )
    org_id = meta.values.get("organisation", "")
    if org_id != str(submission.organisation.pk):
        other = Organisation.objects.filter(pk=org_id).first() if org_id.isdigit() else None
        label = other.name if other else org_id or "?"
        if other is None or not round_.submissions.filter(organisation=other).exists():
            message = _(
                "đơn vị “%(found)s” không thuộc danh sách đơn vị báo cáo của đợt %(round)s; tệp này chỉ nhận số liệu của %(expected)s."
            ) % {"found": label, "round": round_, "expected": submission.organisation.name}
        else:
            message = _("tệp là mẫu của đơn vị “%(found)s”, không phải của %(expected)s.") % {
                "found": label,
                "expected": submission.organisation.name,
            }
        errors.append(_cell(META_SHEET, row_of["organisation"], "B", message))
    period_id = meta.values.get("period", "")
    if period_id != round_.period:
        errors.append(
            _cell(
                META_SHEET,
                row_of["period"],
                "B",
                _("tệp là mẫu của kỳ “%(found)s”, không phải của kỳ %(expected)s (%(id)s).")
                % {"found": period_id or "?", "expected": round_.period_obj.label, "id": round_.period},
            )
        )
    return errors


def _header_errors(ws: Any) -> list[CellError]:
    found = next(ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, max_col=len(COLUMNS) + 1, values_only=True), ())
    found = tuple(found) + (None,) * (len(COLUMNS) + 1 - len(found))
    errors: list[CellError] = []
    for index, column in enumerate(COLUMNS):
        actual = _text(found[index])
        if actual.casefold() != column.title.casefold():
            errors.append(
                _cell(
                    SHEET,
                    HEADER_ROW,
                    column.letter,
                    _(
                        "tiêu đề phải là “%(expected)s” nhưng là “%(found)s”: các cột đã bị chèn, xóa hoặc đổi chỗ. "
                        "Hãy dùng lại mẫu đã tải, không thay đổi các cột."
                    )
                    % {"expected": column.title, "found": actual or _("(trống)")},
                )
            )
    if not errors and _text(found[len(COLUMNS)]):
        errors.append(
            _cell(
                SHEET,
                HEADER_ROW,
                get_column_letter(len(COLUMNS) + 1),
                _("có thêm cột “%(found)s” không có trong mẫu: hãy xóa cột này.") % {"found": _text(found[len(COLUMNS)])},
            )
        )
    return errors


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    code: str
    unit: str
    option: str
    value: Any
    comment: str


def _read_lines(ws: Any) -> tuple[list[_Line], list[CellError]]:
    lines: list[_Line] = []
    errors: list[CellError] = []
    last_row = FIRST_ROW + MAX_ROWS
    width = len(COLUMNS)
    for number, cells in _sheet_values(ws, min_row=FIRST_ROW, max_row=last_row, max_col=width):
        if len(cells) != width:
            cells = (tuple(cells) + (None,) * width)[:width]
        code, value, comment = _text(cells[_AT["code"]]), _raw(cells[_AT["value"]]), _text(cells[_AT["comment"]])
        if not code and value is None and not comment:
            continue
        if number == last_row:
            errors.append(_cell(SHEET, number, "A", _("tệp có quá %(n)d dòng số liệu.") % {"n": MAX_ROWS}))
            break
        lines.append(_Line(number, code, _text(cells[_AT["unit"]]), _text(cells[_AT["option"]]), value, comment))
    return lines, errors


def _option_names(element: DataElement) -> dict[str, str]:
    """{name or code, case-folded: option code} of the element's options (the first option wins a clash)."""
    names: dict[str, str] = {}
    for option in element.category_combo.options.all() if element.category_combo else []:
        names.setdefault(option.name.casefold(), option.code)
        names.setdefault(option.code.casefold(), option.code)
    return names


def _option_code(element: DataElement, text: str, meta_key: str, names: dict[str, str] | None = None) -> str:
    """The option a row names in column D (by name or code); the template's own key when column D is empty.
    `names`: the element's _option_names, when the caller keeps them (one lookup per row of a large file)."""
    if text:
        found = (names if names is not None else _option_names(element)).get(text.casefold())
        if found is not None:
            return found
    else:
        code, _sep, option_code = meta_key.partition(".")
        if code == element.code and option_code:
            return option_code
    return text


def _options_by_code(element: DataElement) -> dict[str, CategoryOption]:
    return {option.code: option for option in element.category_combo.options.all()} if element.category_combo else {}


def _parse_rows(ws: Any, meta: _Meta, submission: Submission) -> list[tuple[_Line, CheckedEntry]]:
    """The file's entries (one per filled value cell), each checked once, or an ExcelImportError naming every bad
    cell.

    Codes and options are resolved as the API resolves them (datasets.resolve, with its messages) but against the
    form's elements loaded once: the first pass refuses unknown codes and options; only when every cell is known
    are the elements outside the form and the values themselves checked (one check_entry per cell, whose value
    values_save takes as it is)."""
    form = submission.round.form
    header = _header_errors(ws)
    if header:
        raise ExcelImportError(header)
    lines, errors = _read_lines(ws)
    in_form = {e.code: e for e in form.elements.select_related("category_combo").prefetch_related("category_combo__options")}
    wanted: list[tuple[_Line, DataElement | None, str]] = []  # (line, its element if in the form, its option's text)
    seen: dict[str, int] = {}
    option_names: dict[str, dict[str, str]] = {}
    units: dict[str, str] = {}
    for line in lines:
        if not line.code:
            errors.append(_cell(SHEET, line.number, COL["code"], _("thiếu mã chỉ tiêu (không nhập số vào dòng tiêu đề nhóm).")))
            continue
        if line.value is None:
            if line.comment:
                errors.append(
                    _cell(SHEET, line.number, COL["value"], _("chưa nhập giá trị: ghi chú ở cột G phải đi kèm một giá trị."))
                )
            continue  # an empty value cell keeps the value already saved
        if len(line.comment) > MAX_COMMENT:
            errors.append(_cell(SHEET, line.number, COL["comment"], _("ghi chú dài quá %(n)d ký tự.") % {"n": MAX_COMMENT}))
            continue
        element = in_form.get(line.code)
        option = line.option
        if element is not None:
            expected_unit = units.get(element.code)
            if expected_unit is None:
                expected_unit = units[element.code] = " ".join(element.unit.split())
            if line.unit and line.unit.casefold() != expected_unit.casefold():
                errors.append(
                    _cell(
                        SHEET,
                        line.number,
                        COL["unit"],
                        _("đơn vị tính “%(found)s” không phải đơn vị của chỉ tiêu %(code)s trong đợt này (“%(expected)s”).")
                        % {"found": line.unit, "code": element.code, "expected": expected_unit or "—"},
                    )
                )
                continue
            if element.code not in option_names:
                option_names[element.code] = _option_names(element)
            meta_key = "" if line.option else meta.rows.get(line.number, "")  # the row keys are read only if needed
            option = _option_code(element, line.option, meta_key, option_names[element.code])
            if element.category_combo_id is not None and not option:
                errors.append(
                    _cell(
                        SHEET, line.number, COL["option"], _("chỉ tiêu %(code)s phải ghi nhóm phân tổ.") % {"code": element.code}
                    )
                )
                continue
            cell_key = f"{element.code}.{option}"
            if cell_key in seen:
                errors.append(
                    _cell(
                        SHEET,
                        line.number,
                        COL["code"],
                        _("chỉ tiêu %(key)s đã có ở dòng %(row)d.") % {"key": cell_key.rstrip("."), "row": seen[cell_key]},
                    )
                )
                continue
            seen[cell_key] = line.number
        wanted.append((line, element, option))
    if not wanted and not errors:
        errors.append(CellError(_("không có giá trị nào để nhập: hãy điền cột F."), sheet=SHEET))
    outside = {line.code for line, element, _o in wanted if element is None}
    others = (
        {e.code: e for e in DataElement.objects.filter(code__in=outside).prefetch_related("category_combo__options")}
        if outside
        else {}
    )
    options: dict[str, dict[str, CategoryOption]] = {}
    unknown: list[CellError] = []
    known: list[tuple[_Line, DataElement, CategoryOption | None]] = []
    for line, in_this_form, option_code in wanted:
        element = in_this_form or others.get(line.code)
        if element is None:
            unknown.append(_cell(SHEET, line.number, COL["code"], _lower_first(unknown_element_message(line.code))))
            continue
        chosen = None
        if option_code:
            if element.code not in options:
                options[element.code] = _options_by_code(element)
            chosen = options[element.code].get(option_code)
            if chosen is None:
                unknown.append(
                    _cell(SHEET, line.number, COL["option"], _lower_first(unknown_option_message(element, option_code)))
                )
                continue
        known.append((line, element, chosen))
    entries: list[tuple[_Line, CheckedEntry]] = []
    if unknown:  # as datasets.resolve for the API: while a cell names an unknown code, the others wait
        errors.extend(unknown)
        known = []
    for line, element, chosen in known:
        if element.code not in in_form:
            errors.append(
                _cell(
                    SHEET,
                    line.number,
                    COL["code"],
                    _("chỉ tiêu %(code)s không thuộc biểu mẫu “%(form)s”.") % {"code": element.code, "form": form.name},
                )
            )
            continue
        entry = ValueEntry(element=element, raw=line.value, option=chosen, comment=line.comment, key=f"r{line.number}")
        try:
            value = check_entry(entry, localized=True)
        except ValidationError as exc:
            errors.append(_cell(SHEET, line.number, COL["value"], _value_message(exc, line.value)))
            continue
        entries.append((line, CheckedEntry(entry, value)))
    if errors:
        raise ExcelImportError(errors)
    return entries


def _value_message(exc: ValidationError, raw: Any) -> str:
    if getattr(exc, "code", None) == "not_a_number":
        return _("giá trị “%(text)s” không phải là số.") % {"text": raw}
    return " ".join(_lower_first(m) for m in exc.messages)


def _mapped(exc: ValidationError, by_key: dict[str, _Line]) -> list[CellError]:
    """Errors of datasets.resolve or services.values ({"r12.value": [...]} or {"r12": [...]}) located in the sheet."""
    if not hasattr(exc, "error_dict"):
        return [CellError(m) for m in exc.messages]
    found: list[CellError] = []
    for key, messages in exc.message_dict.items():
        row_key_, _sep, field = key.partition(".")
        line = by_key.get(row_key_)
        for message in messages:
            if line is None:
                found.append(CellError(message, sheet=SHEET))
            else:
                found.append(_cell(SHEET, line.number, _FIELD_COLUMN.get(field, COL["value"]), _lower_first(message)))
    return found


@contextlib.contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Reading a full template allocates an XML element per cell (about 85.000), all freed by reference counting
    when the reading ends. The cyclic garbage collector, running as they are allocated (now and then over every
    object of the process), took a fifth of an import's Python time: it waits until the file has been read. Other
    threads lose nothing but those passes; a collector already paused by someone else stays paused."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _read_file(data: bytes, filename: str, submission: Submission) -> list[tuple[_Line, CheckedEntry]]:
    """The checked entries of a filled template, or an ExcelImportError naming every problem."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ExcelImportError(
            [CellError(_("Không đọc được tệp Excel “%(name)s”: tệp bị hỏng hoặc không đúng định dạng.") % {"name": filename})]
        ) from None
    try:
        meta = _read_meta(wb)
        mismatch = _meta_errors(meta, submission)
        if mismatch:
            raise ExcelImportError(mismatch)
        if SHEET not in wb.sheetnames:
            raise ExcelImportError([CellError(_("Tệp không có trang '%(sheet)s' của mẫu.") % {"sheet": SHEET})])
        return _parse_rows(wb[SHEET], meta, submission)
    finally:
        wb.close()


def excel_import(*, acting_user: User, submission: Submission, data: bytes, filename: str = "") -> SaveResult:
    """Save the values of a filled template into `submission`: all of them, audited, or none (ExcelImportError).

    Each cell is read and checked once (sheet, row and column named for every problem), then values_save stores
    them as checked. Runs the form's validation rules at once (in the result), as saving from the web form does."""
    if not submission.is_editable:
        raise ExcelImportError([CellError(not_editable_message(submission))])
    check_xlsx(data, filename)
    with _cycle_collection_paused():
        entries = _read_file(data, filename, submission)
    by_key = {checked.entry.key: line for line, checked in entries}
    try:
        return values_save(
            acting_user=acting_user,
            submission=submission,
            entries=[checked for _line, checked in entries],
            reason=_("Nhập từ tệp Excel “%(name)s”") % {"name": filename or "?"},
        )
    except ValidationError as exc:
        raise ExcelImportError(_mapped(exc, by_key)) from None


def summary(result: SaveResult) -> str:
    return _("%(created)d giá trị mới, %(updated)d giá trị sửa, %(unchanged)d giá trị không đổi.") % {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


__all__ = [
    "MAX_BYTES",
    "XLSX_CONTENT_TYPE",
    "CellError",
    "ExcelImportError",
    "content_disposition",
    "excel_import",
    "read_upload",
    "summary",
    "template_bytes",
    "template_filename",
    "template_workbook",
]
