"""Bank statements of an agency's collection account: reading them (.xlsx or CSV) and matching their credits to the
fees dossiers owe. Pure functions: services.payments loads the dossiers and confirms the payments.

A statement is a table with a header row (banks put a few title rows above it) and four columns found by their
usual Vietnamese or English headers: the transaction date, the credited amount, the description (the memo the
applicant typed, "<dossier code> NOP PHI") and the bank's reference. Amounts are read the Vietnamese way
("1.500.000"), the English way ("1,500,000") or plain. Anything wrong is reported in Vietnamese with the row and the
column, all problems at once, and nothing is kept.

Banks mangle memos: upper or lower case, dashes and dots dropped or turned into spaces, diacritics removed, text
added before and after. A dossier code is recognised from its agency's numbering pattern with any run of up to
three separators allowed between any two of its characters; the code must not run on into letters or digits of the
same kind around it ("…-0001" is not found inside "…-00012")."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import string
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eprovince.core.text import fold

MAX_ROWS = 10_000  # data rows read from one statement
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # an .xlsx expanding beyond this is refused (zip bomb)
HEADER_SEARCH_ROWS = 30  # the header row is looked for among the first rows of each sheet
MAX_EMPTY_ROWS = 1000  # this many empty rows in a row end a sheet
MAX_ERRORS_SHOWN = 20
MAX_MEMO = 1000
MAX_REFERENCE = 100  # Payment.transaction_reference
SIGNING_SALT = "eprovince.onestop.statement"  # a namespace for the signature, not a secret
TOKEN_MAX_AGE = 2 * 60 * 60  # a preview may be confirmed within two hours


# --- Columns ----------------------------------------------------------------------------------------------------------


class Column(models.TextChoices):
    DATE = "date", gettext_lazy("Ngày giao dịch")
    AMOUNT = "amount", gettext_lazy("Số tiền ghi có")
    MEMO = "memo", gettext_lazy("Nội dung")
    REFERENCE = "reference", gettext_lazy("Số tham chiếu")


# Folded headers (lower case, no diacritics, punctuation as spaces). A header *containing* one of the phrases (as
# whole words) is the column; the exact-only names are too short or too general to be looked for inside a longer one
# ("số tiền" is also in "số tiền ghi nợ").
_PHRASES: dict[str, tuple[str, ...]] = {
    Column.DATE: ("ngay giao dich", "ngay gd", "ngay hach toan", "ngay hieu luc", "ngay thuc hien", "thoi gian giao dich",
                  "transaction date", "posting date", "value date", "effective date", "txn date"),
    Column.AMOUNT: ("so tien ghi co", "ghi co", "so tien co", "phat sinh co", "so tien bao co", "credit amount", "credit"),
    Column.MEMO: ("noi dung", "dien giai", "mo ta", "chi tiet giao dich", "description", "narrative", "remark",
                  "transaction details", "details"),
    Column.REFERENCE: ("so tham chieu", "ma tham chieu", "ma giao dich", "so giao dich", "ma gd", "so but toan",
                       "so chung tu", "reference", "ref no", "transaction no", "transaction number", "trace no"),
}  # fmt: skip
_EXACT: dict[str, tuple[str, ...]] = {
    Column.DATE: ("ngay", "date", "thoi gian", "ngay gio"),
    Column.AMOUNT: ("so tien", "so tien vnd", "amount", "so tien nhan"),
    Column.MEMO: ("ghi chu",),
    Column.REFERENCE: ("so ct", "so gd", "ref", "so ref", "ma ref", "ma so giao dich"),
}
_EXAMPLES = {
    Column.DATE: "“Ngày giao dịch”, “Ngày hạch toán”, “Ngày”",
    Column.AMOUNT: "“Số tiền ghi có”, “Ghi có”, “Credit”",
    Column.MEMO: "“Nội dung”, “Diễn giải”, “Description”",
    Column.REFERENCE: "“Số tham chiếu”, “Mã giao dịch”, “Số bút toán”",
}
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _header_key(value: Any) -> str:
    return _NOT_WORD.sub(" ", fold(_text(value))).strip()


def header_columns(cells: Sequence[Any]) -> dict[str, int]:
    """Which cell of a row holds which column (Column value → index), for the columns found. An exact name beats a
    phrase found inside a longer header; the leftmost cell wins a tie; a cell is used for one column only."""
    keys = [_header_key(c) for c in cells]
    candidates: list[tuple[int, int, str]] = []  # (rank, index, column): lower rank is better
    for index, key in enumerate(keys):
        if not key:
            continue
        padded = f" {key} "
        for column in Column.values:
            if key in _EXACT[column] or key in _PHRASES[column]:
                candidates.append((0, index, column))
            elif any(f" {phrase} " in padded for phrase in _PHRASES[column]):
                candidates.append((1, index, column))
    found: dict[str, int] = {}
    used: set[int] = set()
    for _rank, index, column in sorted(candidates):
        if column not in found and index not in used:
            found[column] = index
            used.add(index)
    return found


# --- Values -----------------------------------------------------------------------------------------------------------

_CURRENCY = re.compile(r"(vnd|vnđ|đồng|dong|đ|₫|d)$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_PLAIN = re.compile(r"^\d+$")
_VI_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")  # 1.500.000 or 1.500.000,00
_EN_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")  # 1,500,000 or 1,500,000.00
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}$")  # 1500000,00
_DECIMAL_POINT = re.compile(r"^\d+\.\d{1,2}$")  # 1500000.00


def parse_amount(value: Any) -> Decimal | None:
    """An amount in đồng from a cell: None when empty; ValueError when it is not a number.

    "1.500.000", "1.500.000 đ", "1,500,000 VND", "1 500 000", "1500000", "1.500.000,00", "-200.000", "(200.000)"."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(value)
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(value)
        return value
    text = _SPACES.sub("", unicodedata.normalize("NFC", str(value))).lower()
    if not text:
        return None
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    text = _CURRENCY.sub("", text)
    if text[:1] in ("+", "-"):
        negative, text = negative or text[0] == "-", text[1:]
    text = _CURRENCY.sub("", text)
    if _PLAIN.match(text):
        number = text
    elif _VI_GROUPED.match(text):
        number = text.replace(".", "").replace(",", ".")
    elif _EN_GROUPED.match(text):
        number = text.replace(",", "")
    elif _DECIMAL_COMMA.match(text):
        number = text.replace(",", ".")
    elif _DECIMAL_POINT.match(text):
        number = text
    else:
        raise ValueError(value)
    try:
        amount = Decimal(number)
    except InvalidOperation:
        raise ValueError(value) from None
    return -amount if negative else amount


def format_amount(amount: Decimal | int) -> str:
    """1500000 → "1.500.000"; 1500000.5 → "1.500.000,5" (Vietnamese grouping)."""
    value = Decimal(amount)
    whole = int(value)
    text = f"{abs(whole):,}".replace(",", ".")
    fraction = abs(value - whole)
    if fraction:
        text += "," + format(fraction.normalize(), "f").split(".")[1]
    return f"-{text}" if value < 0 else text


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y", "%Y/%m/%d")


def parse_date(value: Any) -> dt.date | None:
    """The date of a cell: a date or datetime, an Excel serial number, or "15/01/2026" (time after it allowed)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20_000 <= value <= 80_000:  # an Excel serial date left unformatted (1954 to 2119)
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise ValueError(value)
    text = " ".join(str(value).split())
    if not text:
        return None
    head = re.split(r"[ T]", text, maxsplit=1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


# --- Reading a file ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    """A credit on the account: `row` is the row number shown by the spreadsheet (or the line of the CSV file)."""

    row: int
    date: dt.date
    amount: Decimal
    memo: str
    reference: str

    @property
    def amount_display(self) -> str:
        return format_amount(self.amount)


@dataclass(frozen=True)
class Statement:
    file_name: str
    sha256: str
    lines: tuple[StatementLine, ...]
    skipped: int = 0  # rows that are not credits (debits, zero amounts)


@dataclass
class _Table:
    """The rows of one sheet (or of the CSV file) as (row number, cells)."""

    name: str
    rows: list[tuple[int, list[Any]]]
    letters: bool  # columns named by letter (Excel) or by number (CSV)


class StatementFileError(ValidationError):
    """Every problem of a statement file, in Vietnamese; the file is not used."""


def _refuse(*messages: str) -> StatementFileError:
    shown = list(messages[:MAX_ERRORS_SHOWN])
    if len(messages) > MAX_ERRORS_SHOWN:
        shown.append(_("… và %(n)d lỗi khác.") % {"n": len(messages) - MAX_ERRORS_SHOWN})
    return StatementFileError(shown)


def _not_a_spreadsheet(name: str) -> StatementFileError:
    return _refuse(
        _("Tệp “%(name)s” không phải là bảng tính. Chỉ nhận sao kê dạng Excel (.xlsx) hoặc CSV (UTF-8, phân cách bằng "
          "dấu phẩy hoặc dấu chấm phẩy).") % {"name": name}
    )  # fmt: skip


def read_upload(upload: Any, *, max_bytes: int) -> tuple[str, bytes]:
    """(file name, content) of an uploaded statement within the size limit; StatementFileError otherwise."""
    name = (getattr(upload, "name", "") or "sao-ke")[-255:]
    size = getattr(upload, "size", None) or 0
    if size > max_bytes:
        raise _refuse(
            _("Tệp “%(name)s” quá lớn: tối đa %(limit)s, tệp đã chọn %(size)s.")
            % {"name": name, "limit": filesizeformat(max_bytes), "size": filesizeformat(size)}
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _refuse(_("Tệp “%(name)s” quá lớn: tối đa %(limit)s.") % {"name": name, "limit": filesizeformat(max_bytes)})
    return name, data


# The first bytes of files people pick by mistake (PDF, PNG, JPEG, GIF, a web page): not read as CSV text.
_NOT_TABLES = {b"%pdf-", b"%PDF", b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"GIF8", b"<html", b"<!doc", b"<?xml"}


def parse_statement(data: bytes, file_name: str) -> Statement:
    """The credits of a statement file (.xlsx or CSV, judged from the content). StatementFileError names every
    problem: not a spreadsheet, a missing column, a text where an amount or a date is expected (row and column)."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise _refuse(_("Tệp “%(name)s” rỗng.") % {"name": file_name})
    if data.startswith(b"PK\x03\x04"):
        tables = _xlsx_tables(data, file_name)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(
            _("Tệp “%(name)s” là tệp Excel 97–2003 (.xls), chưa được hỗ trợ: hãy mở tệp và lưu lại dưới dạng Excel "
              "Workbook (.xlsx) hoặc CSV UTF-8.") % {"name": file_name}
        )  # fmt: skip
    elif data.lstrip()[:5].lower() in _NOT_TABLES or data[:4] in _NOT_TABLES:
        raise _not_a_spreadsheet(file_name)
    else:
        tables = [_csv_table(data, file_name)]
    header = _find_header(tables)
    if isinstance(header, StatementFileError):
        raise header
    table, header_row, columns = header
    lines, skipped, errors = _read_lines(table, header_row, columns)
    if errors:
        raise _refuse(*errors)
    if not lines:
        raise _refuse(
            _("Sao kê “%(name)s” không có giao dịch ghi có nào dưới dòng tiêu đề: không có gì để đối chiếu.")
            % {"name": file_name}
        )
    return Statement(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), lines=tuple(lines), skipped=skipped)


def _xlsx_tables(data: bytes, name: str) -> list[_Table]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _not_a_spreadsheet(name) from None
    if "xl/workbook.xml" not in names:
        raise _not_a_spreadsheet(name)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise _refuse(_("Tệp “%(name)s” quá lớn khi giải nén.") % {"name": name})
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise _not_a_spreadsheet(name) from None
    tables = []
    try:
        for sheet in workbook.worksheets:
            rows: list[tuple[int, list[Any]]] = []
            empty = 0
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                if not any(v is not None and _text(v) for v in values):
                    empty += 1
                    if empty > MAX_EMPTY_ROWS:  # formatting stretched over a million empty rows: the data has ended
                        break
                    continue
                empty = 0
                rows.append((number, list(values)))
                if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                    raise _too_many_rows(name)
            tables.append(_Table(name=sheet.title, rows=rows, letters=True))
    except StatementFileError:
        raise
    except Exception:
        raise _not_a_spreadsheet(name) from None
    finally:
        workbook.close()
    return tables


def _too_many_rows(name: str) -> StatementFileError:
    return _refuse(
        _("Sao kê “%(name)s” có quá %(n)s dòng: hãy tách thành nhiều tệp.") % {"name": name, "n": format_amount(MAX_ROWS)}
    )


def _csv_table(data: bytes, name: str) -> _Table:
    if b"\x00" in data[:4096]:
        raise _not_a_spreadsheet(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(
            _("Tệp “%(name)s” không phải là CSV mã hóa UTF-8. Trong Excel, hãy chọn Lưu thành “CSV UTF-8 (Comma "
              "delimited)”.") % {"name": name}
        ) from None  # fmt: skip
    scores = []
    for delimiter in (",", ";", "\t"):
        head = _csv_rows(text, delimiter, limit=HEADER_SEARCH_ROWS)
        scores.append((max((len(header_columns(cells)) for _n, cells in head), default=0), delimiter))
    delimiter = max(scores, key=lambda item: item[0])[1]  # the first one among equals: a comma
    try:
        rows = _csv_rows(text, delimiter, limit=MAX_ROWS + HEADER_SEARCH_ROWS + 1)
    except csv.Error:
        raise _not_a_spreadsheet(name) from None
    if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise _too_many_rows(name)
    return _Table(name=name, rows=rows, letters=False)


def _csv_rows(text: str, delimiter: str, *, limit: int) -> list[tuple[int, list[Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
                if len(rows) >= limit:
                    break
    except csv.Error:
        if limit <= HEADER_SEARCH_ROWS:
            return rows
        raise
    return rows


def _find_header(tables: list[_Table]) -> tuple[_Table, int, dict[str, int]] | StatementFileError:
    best: tuple[int, _Table, int, dict[str, int]] | None = None
    for table in tables:
        for position, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
            columns = header_columns(cells)
            if len(columns) == len(Column.values):
                return table, position, columns
            if columns and (best is None or len(columns) > best[0]):
                best = (len(columns), table, position, columns)
    if best is None:
        return _refuse(
            _("Không tìm thấy dòng tiêu đề của sao kê. Cần các cột: %(columns)s.")
            % {"columns": ", ".join(f"“{c.label}”" for c in Column)}
        )
    _count, table, position, columns = best
    number = table.rows[position][0]
    return _refuse(
        *[
            _("Thiếu cột “%(column)s” ở dòng tiêu đề (dòng %(row)d): đặt tên cột là một trong %(examples)s.")
            % {"column": c.label, "row": number, "examples": _EXAMPLES[c]}
            for c in Column
            if c not in columns
        ]
    )


def _column_name(table: _Table, index: int, header: Sequence[Any]) -> str:
    from openpyxl.utils import get_column_letter

    title = _text(header[index]) if index < len(header) else ""
    where = get_column_letter(index + 1) if table.letters else str(index + 1)
    return f"{where} (“{title}”)"


def _read_lines(table: _Table, header_position: int, columns: dict[str, int]) -> tuple[list[StatementLine], int, list[str]]:
    header = table.rows[header_position][1]
    lines: list[StatementLine] = []
    errors: list[str] = []
    skipped = 0

    def cell(cells: list[Any], column: str) -> Any:
        index = columns[column]
        value = cells[index] if index < len(cells) else None
        return None if isinstance(value, str) and not value.strip() else value

    def problem(number: int, column: str, message: str) -> str:
        return _("Dòng %(row)d, cột %(column)s: %(message)s") % {
            "row": number, "column": _column_name(table, columns[column], header), "message": message
        }  # fmt: skip

    for number, cells in table.rows[header_position + 1 :]:
        memo = _text(cell(cells, Column.MEMO))[:MAX_MEMO]
        reference = _text(cell(cells, Column.REFERENCE))
        if not memo and not reference:
            continue  # totals, balances, blank lines
        raw_amount = cell(cells, Column.AMOUNT)
        try:
            amount = parse_amount(raw_amount)
        except ValueError:
            errors.append(
                problem(number, Column.AMOUNT, _("“%(value)s” không phải là số tiền.") % {"value": _text(raw_amount)[:60]})
            )
            continue
        if amount is None or amount <= 0:
            skipped += 1  # a debit, or nothing credited
            continue
        raw_date = cell(cells, Column.DATE)
        row_errors = []
        try:
            day = parse_date(raw_date)
        except ValueError:
            day = None
            row_errors.append(
                problem(
                    number, Column.DATE, _("“%(value)s” không phải là ngày (ví dụ 15/01/2026).") % {"value": _text(raw_date)[:60]}
                )
            )
        else:
            if day is None:
                row_errors.append(problem(number, Column.DATE, _("thiếu ngày giao dịch.")))
        if len(reference) > MAX_REFERENCE:
            row_errors.append(problem(number, Column.REFERENCE, _("số tham chiếu dài quá %(n)d ký tự.") % {"n": MAX_REFERENCE}))
        errors.extend(row_errors)
        if day is not None and not row_errors:
            lines.append(StatementLine(row=number, date=day, amount=amount, memo=memo, reference=reference))
    return lines, skipped, errors


# --- Recognising dossier codes in a memo ------------------------------------------------------------------------------

_SEP = "[^A-Z0-9]{0,3}"
_WIDTHS = {"yyyy": 4, "yy": 2, "mm": 2, "dd": 2, "yymmdd": 6}
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")


def prepare_memo(memo: str) -> str:
    """Upper case, diacritics removed (đ → D): what the code patterns are matched against."""
    return fold(memo).upper()


def _alnum(text: str) -> list[str]:
    return [c for c in prepare_memo(text) if "A" <= c <= "Z" or "0" <= c <= "9"]


@dataclass(frozen=True)
class CodeMatcher:
    """Finds the codes of one agency numbered with one pattern in a memo, however the bank spaced them."""

    agency_id: int
    compact: str  # the letters and digits the pattern always has: a quick test before the regular expression
    regex: re.Pattern[str]
    parts: tuple[str | int, ...]  # the code rebuilt: literal text, or the number of a captured group of digits

    def find(self, prepared: str, compact: str) -> list[str]:
        if self.compact not in compact:
            return []
        codes = []
        for match in self.regex.finditer(prepared):
            codes.append("".join(p if isinstance(p, str) else _NOT_ALNUM.sub("", match.group(p)) for p in self.parts))
        return codes


def code_matcher(pattern: str, agency_code: str, agency_id: int = 0) -> CodeMatcher:
    """The matcher of codes rendered by numbering.render_code(pattern, agency_code=…)."""
    atoms: list[tuple[str, str]] = []  # (regular expression, "A" letter / "9" digit)
    parts: list[str | int] = []
    fixed: list[str] = []
    group = 0

    def literal(text: str) -> None:
        for char in _alnum(text):
            atoms.append((re.escape(char), "9" if char.isdigit() else "A"))
            fixed.append(char)

    for text, name, spec, _conv in string.Formatter().parse(pattern):
        if text:
            parts.append(text)
            literal(text)
        if name is None:
            continue
        if name == "code":
            parts.append(agency_code)
            literal(agency_code)
            continue
        fixed.append("\0")  # the literal letters and digits on either side are not adjacent
        group += 1
        parts.append(group)
        width = _WIDTHS.get(name) or (int(spec) if spec else 0)
        repeat = f"{{{width - 1}}}" if width else "{0,8}"
        atoms.append((rf"([0-9](?:{_SEP}[0-9]){repeat})", "9"))
    if not atoms:
        raise ValueError(pattern)
    before = "(?<![A-Z])" if atoms[0][1] == "A" else "(?<![0-9])"
    after = "(?![A-Z])" if atoms[-1][1] == "A" else "(?![0-9])"
    regex = re.compile(before + _SEP.join(a for a, _kind in atoms) + after)
    compact = max("".join(fixed).split("\0"), key=len)
    return CodeMatcher(agency_id=agency_id, compact=compact, regex=regex, parts=tuple(parts))


def find_codes(memo: str, matchers: Iterable[CodeMatcher]) -> list[str]:
    """Every dossier code the memo may hold (each once, in the order found), for the matchers' agencies."""
    prepared = prepare_memo(memo)
    compact = _NOT_ALNUM.sub("", prepared)
    found: dict[str, None] = {}
    for matcher in matchers:
        for code in matcher.find(prepared, compact):
            found.setdefault(code, None)
    return list(found)


# --- Matching lines to the fees owed ----------------------------------------------------------------------------------


class Outcome(models.TextChoices):
    CONFIRM = "confirm", gettext_lazy("Xác nhận thu phí")
    ALREADY_PAID = "already_paid", gettext_lazy("Hồ sơ đã nộp phí")
    SAME_DOSSIER = "same_dossier", gettext_lazy("Trùng hồ sơ với dòng khác")
    AMOUNT_DIFFERS = "amount_differs", gettext_lazy("Số tiền khác phí phải nộp")
    NO_FEE = "no_fee", gettext_lazy("Hồ sơ không phải nộp phí")
    AMBIGUOUS = "ambiguous", gettext_lazy("Nội dung có nhiều mã hồ sơ")
    NOT_FOUND = "not_found", gettext_lazy("Không tìm thấy hồ sơ")
    # Shown exactly as NOT_FOUND: a clerk never learns that another agency has a dossier with that code.
    OTHER_AGENCY = "other_agency", gettext_lazy("Không tìm thấy hồ sơ")
    DUPLICATE_REFERENCE = "duplicate_reference", gettext_lazy("Trùng số tham chiếu")
    NO_REFERENCE = "no_reference", gettext_lazy("Thiếu số tham chiếu")


@dataclass(frozen=True)
class DossierFacts:
    """What matching needs to know about a dossier whose code a memo holds. Of another agency's dossier, only that."""

    code: str
    in_agency: bool
    pk: int = 0
    applicant_name: str = ""
    due: int | None = None  # the fee owed and not yet paid; None: nothing owed
    paid: bool = False


@dataclass(frozen=True)
class LineMatch:
    line: StatementLine
    outcome: str
    dossier: DossierFacts | None = None  # only a dossier of the agency
    other_row: int | None = None  # the earlier line with the same reference or dossier
    used_by: str = ""  # the code of the agency's dossier already paid with this reference

    @property
    def shown_outcome(self) -> str:
        return Outcome.NOT_FOUND if self.outcome == Outcome.OTHER_AGENCY else self.outcome

    @property
    def label(self) -> str:
        return str(Outcome(self.shown_outcome).label)

    @property
    def confirmable(self) -> bool:
        return self.outcome == Outcome.CONFIRM

    @property
    def due_display(self) -> str:
        return format_amount(self.dossier.due) if self.dossier and self.dossier.due is not None else ""


def match_lines(
    lines: Sequence[StatementLine],
    *,
    codes: Mapping[int, Sequence[str]],
    dossiers: Mapping[str, DossierFacts],
    used_references: Mapping[str, str],
) -> list[LineMatch]:
    """The proposed action for each line. `codes`: the codes found in each line's memo (by row); `dossiers`: the
    dossiers that exist among them; `used_references`: bank references already confirming a payment of the agency
    (→ the dossier code). A line is proposed for confirmation only when its reference is new, its memo names exactly
    one dossier of the agency, that dossier owes a fee not yet paid, the amount is exactly the fee, and no earlier
    line of the statement already confirms it."""
    results: list[LineMatch] = []
    seen_references: dict[str, int] = {}
    claimed: dict[int, int] = {}
    for line in lines:
        reference = line.reference
        if not reference:
            results.append(LineMatch(line, Outcome.NO_REFERENCE))
            continue
        if reference in used_references:
            results.append(LineMatch(line, Outcome.DUPLICATE_REFERENCE, used_by=used_references[reference]))
            continue
        if reference in seen_references:
            results.append(LineMatch(line, Outcome.DUPLICATE_REFERENCE, other_row=seen_references[reference]))
            continue
        seen_references[reference] = line.row
        found = [dossiers[c] for c in codes.get(line.row, ()) if c in dossiers]
        mine = list({d.pk: d for d in found if d.in_agency}.values())
        if len(mine) > 1:
            results.append(LineMatch(line, Outcome.AMBIGUOUS))
            continue
        if not mine:
            results.append(LineMatch(line, Outcome.OTHER_AGENCY if found else Outcome.NOT_FOUND))
            continue
        dossier = mine[0]
        if dossier.paid:
            outcome, other = Outcome.ALREADY_PAID, None
        elif dossier.due is None:
            outcome, other = Outcome.NO_FEE, None
        elif line.amount != dossier.due:
            outcome, other = Outcome.AMOUNT_DIFFERS, None
        elif dossier.pk in claimed:
            outcome, other = Outcome.SAME_DOSSIER, claimed[dossier.pk]
        else:
            outcome, other = Outcome.CONFIRM, None
            claimed[dossier.pk] = line.row
        results.append(LineMatch(line, outcome, dossier=dossier, other_row=other))
    return results


def outcome_counts(matches: Iterable[LineMatch], *, shown: bool = False) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in matches:
        key = m.shown_outcome if shown else m.outcome
        counts[key] = counts.get(key, 0) + 1
    return counts


# --- Carrying a statement from the preview to the confirmation (nothing is stored in between) ------------------------


@dataclass(frozen=True)
class Carried:
    statement: Statement
    organisation_id: int
    user_id: int


def dump_statement(statement: Statement, *, organisation_id: int, user_id: int) -> str:
    """The statement as a signed, compressed token for the confirmation form: the server trusts it back unchanged."""
    payload = {
        "o": organisation_id, "u": user_id, "n": statement.file_name, "h": statement.sha256, "s": statement.skipped,
        "l": [[ln.row, ln.date.isoformat(), str(ln.amount), ln.memo, ln.reference] for ln in statement.lines],
    }  # fmt: skip
    return signing.dumps(payload, salt=SIGNING_SALT, compress=True)


def load_statement(token: str, *, max_age: int = TOKEN_MAX_AGE) -> Carried:
    """The statement of a token made by dump_statement; StatementFileError if forged, damaged or too old."""
    try:
        data = signing.loads(token, salt=SIGNING_SALT, max_age=max_age)
        lines = tuple(
            StatementLine(row=int(r), date=dt.date.fromisoformat(d), amount=Decimal(a), memo=str(m), reference=str(ref))
            for r, d, a, m, ref in data["l"]
        )
        statement = Statement(file_name=str(data["n"]), sha256=str(data["h"]), lines=lines, skipped=int(data["s"]))
        return Carried(statement=statement, organisation_id=int(data["o"]), user_id=int(data["u"]))
    except signing.SignatureExpired:
        raise _refuse(_("Bản xem trước đã quá hạn: vui lòng tải lại tệp sao kê.")) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError, InvalidOperation):
        raise _refuse(_("Dữ liệu đối chiếu không hợp lệ: vui lòng tải lại tệp sao kê.")) from None
