"""Reading bank statements and recognising dossier codes in transfer memos (no database): the columns banks name in
their own ways, amounts written the Vietnamese way, every bad file refused with a Vietnamese message naming the row
and the column, and a dossier code found however the bank mangled the memo."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from eprovince.onestop.constants import DEFAULT_NUMBERING_PATTERN
from eprovince.onestop.numbering import render_code
from eprovince.onestop.statements import (
    DossierFacts,
    Outcome,
    StatementFileError,
    StatementLine,
    code_matcher,
    dump_statement,
    find_codes,
    format_amount,
    load_statement,
    match_lines,
    parse_amount,
    parse_statement,
    read_upload,
)

from .factories import PDF_BYTES, PNG_BYTES, docx_bytes

HEADER = ["Ngày giao dịch", "Số tiền ghi có", "Nội dung", "Số tham chiếu"]
CODE = "000.20.00.H99-260309-0007"
MATCHER = code_matcher(DEFAULT_NUMBERING_PATTERN, "000.20.00.H99", 1)


def csv_bytes(rows: Sequence[Sequence[object]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode()


def xlsx_bytes(rows: Sequence[Sequence[object]], *, sheets: int = 1) -> bytes:
    workbook = Workbook()
    for index in range(1, sheets):
        workbook.create_sheet(f"Trang {index}")
    sheet = workbook.worksheets[-1]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refused(data: bytes, name: str = "sao-ke.csv") -> list[str]:
    with pytest.raises(StatementFileError) as info:
        parse_statement(data, name)
    return info.value.messages


# --- Reading files ----------------------------------------------------------------------------------------------------


def test_a_bank_workbook_with_title_rows_debits_and_totals_gives_its_credits() -> None:
    data = xlsx_bytes(
        [
            ["NGÂN HÀNG TMCP CÔNG THƯƠNG VIỆT NAM"],
            ["SAO KÊ TÀI KHOẢN", "113000246810"],
            [],
            ["STT", "Ngày giao dịch / Transaction date", "Số tham chiếu / Reference No.", "Diễn giải / Description",
             "Số tiền ghi nợ / Debit", "Số tiền ghi có / Credit", "Số dư / Balance"],
            [1, dt.datetime(2026, 3, 10, 9, 15), "FT26069001", f"IBFT {CODE} NOP PHI", None, 1_500_000, 11_500_000],
            [2, "10/03/2026", "FT26069002", "PHI QUAN LY TAI KHOAN", 11_000, None, 11_489_000],
            [3, "11/03/2026 14:02:11", 26069003, "000.20.00.H99-260310-0001 NOP PHI", "", "1.500.000", 12_989_000],
            [None, "Tổng cộng", None, None, 11_000, 3_000_000, None],
        ]
    )  # fmt: skip
    statement = parse_statement(data, "saoke-thang3.xlsx")
    assert [(ln.row, ln.date, ln.amount, ln.reference) for ln in statement.lines] == [
        (5, dt.date(2026, 3, 10), 1_500_000, "FT26069001"),
        (7, dt.date(2026, 3, 11), 1_500_000, "26069003"),
    ]
    assert statement.lines[0].memo == f"IBFT {CODE} NOP PHI" and statement.skipped == 1
    assert len(statement.sha256) == 64


def test_the_statement_may_be_on_any_sheet_of_the_workbook() -> None:
    data = xlsx_bytes([HEADER, ["10/03/2026", 704, f"{CODE} NOP PHI", "FT1"]], sheets=3)
    assert [ln.amount for ln in parse_statement(data, "s.xlsx").lines] == [704]


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize(
    ("delimiter", "header", "amount"),
    [
        (",", HEADER, "1,500,000"),
        (";", HEADER, "1.500.000"),
        (";", ["Ngày", "Ghi có", "Diễn giải", "Mã giao dịch"], "1.500.000 đ"),
        (",", ["Ngày hạch toán", "Số tiền", "Nội dung giao dịch", "Số bút toán"], "1500000"),
        ("\t", ["Transaction date", "Credit", "Description", "Reference"], "1,500,000.00 VND"),
        (";", ["Thời gian giao dịch", "Phát sinh có", "Mô tả", "Số GD"], "1 500 000"),
    ],
)
def test_csv_files_in_utf8_with_any_common_header_and_separator(
    bom: bool, delimiter: str, header: list[str], amount: str
) -> None:
    data = csv_bytes([header, ["10/03/2026", amount, f"{CODE} NOP PHI", "FT26069001"]], delimiter=delimiter, bom=bom)
    [line] = parse_statement(data, "sao-ke.csv").lines
    assert (line.row, line.date, line.amount, line.memo, line.reference) == (
        2, dt.date(2026, 3, 10), Decimal(1_500_000), f"{CODE} NOP PHI", "FT26069001"
    )  # fmt: skip


# --- Bad files: a Vietnamese message, nothing kept ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (PDF_BYTES, "sao-ke.pdf", "không phải là bảng tính"),
        (PNG_BYTES, "sao-ke.csv", "không phải là bảng tính"),
        (docx_bytes(), "sao-ke.xlsx", "không phải là bảng tính"),
        (b"PK\x03\x04garbage", "sao-ke.xlsx", "không phải là bảng tính"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "sao-ke.xls", "Excel 97–2003 (.xls)"),
        (b"", "sao-ke.csv", "rỗng"),
        (b" \r\n\r\n", "sao-ke.csv", "rỗng"),
        (codecs.BOM_UTF8, "sao-ke.csv", "rỗng"),
        (
            b"Ng\xe0y;Ghi c\xf3;N\xf4\xf2i dung;S\xf4\xec tham chi\xea\xecu\n10/03/2026;704;X;FT1\n",
            "s.csv",
            "UTF-8",
        ),  # Windows-1258
        (b"Xin chao\nday khong phai sao ke\n", "s.csv", "Không tìm thấy dòng tiêu đề"),
    ],
)
def test_what_is_not_a_statement_is_refused_with_a_clear_message(data: bytes, name: str, message: str) -> None:
    messages = refused(data, name)
    assert any(message in m for m in messages), messages


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["Ngày giao dịch", "Số tiền ghi có", "Nội dung"], ["Số tham chiếu"]),
        (["Ngày giao dịch", "Số tiền ghi nợ", "Nội dung", "Số tham chiếu"], ["Số tiền ghi có"]),
        (["Số tiền ghi có", "Số tham chiếu"], ["Ngày giao dịch", "Nội dung"]),
    ],
)
def test_a_missing_column_is_named(header: list[str], missing: list[str]) -> None:
    messages = refused(csv_bytes([["SAO KÊ TÀI KHOẢN"], header, ["x"] * len(header)]))
    assert len(messages) == len(missing)
    for column, message in zip(missing, messages, strict=True):
        assert f"Thiếu cột “{column}” ở dòng tiêu đề (dòng 2)" in message


def test_a_text_in_the_amount_column_is_named_by_row_and_column_and_every_problem_is_listed() -> None:
    rows = [HEADER, ["10/03/2026", "1.500.000", "A NOP PHI", "FT1"], ["10/03/2026", "một triệu", "B NOP PHI", "FT2"],
            ["32/13/2026", "704", "C NOP PHI", "FT3"], ["", "704", "D NOP PHI", "FT4"]]  # fmt: skip
    assert refused(xlsx_bytes(rows), "s.xlsx") == [
        "Dòng 3, cột B (“Số tiền ghi có”): “một triệu” không phải là số tiền.",
        "Dòng 4, cột A (“Ngày giao dịch”): “32/13/2026” không phải là ngày (ví dụ 15/01/2026).",
        "Dòng 5, cột A (“Ngày giao dịch”): thiếu ngày giao dịch.",
    ]
    csv_messages = refused(csv_bytes(rows[:3], delimiter=";"))
    assert csv_messages == ["Dòng 3, cột 2 (“Số tiền ghi có”): “một triệu” không phải là số tiền."]


def test_a_statement_with_no_credit_is_refused() -> None:
    rows = [HEADER, ["10/03/2026", "", "PHI SMS", "FT1"], ["10/03/2026", "0", "PHI QUAN LY", "FT2"]]
    assert "không có giao dịch ghi có nào" in refused(csv_bytes(rows))[0]
    assert "không có giao dịch ghi có nào" in refused(csv_bytes([HEADER]))[0]


def test_an_oversized_upload_is_refused_before_it_is_read() -> None:
    upload = SimpleUploadedFile("sao-ke.csv", b"x" * 2048)
    with pytest.raises(StatementFileError, match="quá lớn: tối đa 1,0"):
        read_upload(upload, max_bytes=1024)
    assert read_upload(SimpleUploadedFile("s.csv", b"abc"), max_bytes=1024) == ("s.csv", b"abc")


# --- Amounts ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.500.000", 1_500_000), ("1,500,000", 1_500_000), ("1500000", 1_500_000), ("1 500 000", 1_500_000),
        ("1.500.000 đ", 1_500_000), ("1.500.000đ", 1_500_000), ("1.500.000 VNĐ", 1_500_000), ("1,500,000 VND", 1_500_000),
        ("1.500.000,00", 1_500_000), ("1,500,000.00", 1_500_000), ("704", 704), ("1.500", 1_500), ("+200.000", 200_000),
        ("-200.000", -200_000), ("(200.000)", -200_000), ("1500000,50", Decimal("1500000.5")), (1_500_000, 1_500_000),
        (1_500_000.0, 1_500_000), ("", None), (None, None), ("1\u00a0500\u00a0000", 1_500_000),
    ],
)  # fmt: skip
def test_amounts_written_the_vietnamese_english_or_plain_way(text: object, amount: object) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize("text", ["một triệu", "1.50.000", "1,5,0", "abc 100", "1.500.000.0000,0,0", "--5", True])
def test_texts_are_not_amounts(text: object) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


@given(
    amount=st.integers(min_value=0, max_value=10**13),
    style=st.sampled_from(["vi", "en", "plain", "spaced"]),
    suffix=st.sampled_from(["", " đ", "đ", " VND", " VNĐ", " đồng"]),
    decimals=st.booleans(),
)
def test_any_amount_reads_back_whatever_the_writing(amount: int, style: str, suffix: str, decimals: bool) -> None:
    grouped = f"{amount:,}"
    text = {"vi": grouped.replace(",", "."), "en": grouped, "plain": str(amount), "spaced": grouped.replace(",", " ")}[style]
    if decimals and style in ("vi", "en", "plain"):
        text += ",00" if style == "vi" else ".00"
    assert parse_amount(text + suffix) == amount
    assert parse_amount(format_amount(amount)) == amount


# --- Codes in memos ---------------------------------------------------------------------------------------------------

MEMOS_FOUND = [
    f"{CODE} NOP PHI",
    "000.20.00.H99-260309-0007 NOP PHI",
    "000 20 00 H99 260309 0007 NOP PHI",
    "0002000H992603090007 NOP PHI",
    "0002000H99-260309-0007NOPPHI",
    "000.20.00.h99-260309-0007 nop phi",
    "MBVCB.3341229876.000.20.00.H99-260309-0007 NOP PHI.CT tu 0011004455667 NGUYEN VAN DONG toi 113000246810",
    "IBFT 000.20.00.H99 260309 0007 NOP PHI-260310-09:15:44",
    "TRAN THI HOA chuyen tien 00020.00H99 2603090007 nop phi ho so",
    "Nộp phí hồ sơ 000.20.00.H99-260309-0007 (Công ty Mê Kông)",
    "000.20.00.H99 - 260309 - 0007",
    "000_20_00_H99_260309_0007",
    "REM 000.20.00.H99-2603 09-0007 NOP PHI",  # wrapped across two lines of the bank's display
]
MEMOS_NOT_FOUND = [
    "000.20.00.H99-260309-00071 NOP PHI",  # another, longer sequence
    "1000.20.00.H99-260309-0007 NOP PHI",  # another agency code ending the same way
    "000.20.00.H99-260309-007 NOP PHI",  # a digit missing
    "000.20.00.H98-260309-0007 NOP PHI",
    "000.20.00.H99-260309 NOP PHI",
    "NOP PHI HO SO",
    "",
]


@pytest.mark.parametrize("memo", MEMOS_FOUND)
def test_the_code_is_found_however_the_bank_wrote_the_memo(memo: str) -> None:
    assert find_codes(memo, [MATCHER]) == [CODE]


@pytest.mark.parametrize("memo", MEMOS_NOT_FOUND)
def test_no_code_is_made_up(memo: str) -> None:
    assert find_codes(memo, [MATCHER]) == []


def test_several_codes_and_several_agencies_and_patterns() -> None:
    other = code_matcher(DEFAULT_NUMBERING_PATTERN, "SKHCN", 2)
    yearly = code_matcher("HS-{code}/{yyyy}/{seq:5}", "SYT", 3)
    memo = "SKHCN 261123 0001 va 000.20.00.H99-260309-0007 NOP PHI; hs syt 2026 00042"
    assert find_codes(memo, [MATCHER, other, yearly]) == [CODE, "SKHCN-261123-0001", "HS-SYT/2026/00042"]
    unpadded = code_matcher("{code}-{yy}-{seq}", "QN", 4)
    assert find_codes("QN 26 12 NOP PHI", [unpadded]) == ["QN-26-12"]
    assert find_codes("QN-26-123 NOP PHI", [unpadded]) == ["QN-26-123"]


AGENCY_CODES = st.from_regex(r"[A-Z0-9]{1,4}(\.[A-Z0-9]{1,3}){0,3}", fullmatch=True)
SEPARATORS = st.sampled_from(["", " ", "-", ".", "  ", " - ", "_", "/", ". "])


@settings(max_examples=300, deadline=None)
@given(
    agency=AGENCY_CODES,
    day=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2040, 12, 31)),
    seq=st.integers(min_value=1, max_value=9999),
    before=st.text(max_size=40),
    after=st.text(max_size=40),
    data=st.data(),
)
def test_any_code_surrounded_by_any_noise_and_spacing_is_found(
    agency: str, day: dt.date, seq: int, before: str, after: str, data: st.DataObject
) -> None:
    code = render_code(DEFAULT_NUMBERING_PATTERN, agency_code=agency, day=day, seq=seq)
    pieces = code.replace(".", "-").split("-")
    mangled = pieces[0]
    for piece in pieces[1:]:
        mangled += data.draw(SEPARATORS) + piece
    mangled = "".join(c.lower() if data.draw(st.booleans()) else c for c in mangled)
    memo = f"{before} {mangled} {data.draw(st.sampled_from(['NOP PHI', 'nop phi', '', 'NOPPHI']))} {after}"
    assert code in find_codes(memo, [code_matcher(DEFAULT_NUMBERING_PATTERN, agency, 7)])


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2040, 12, 31)),
    seq=st.integers(min_value=1, max_value=9999),
    digit=st.integers(min_value=0, max_value=9),
)
def test_a_code_running_on_into_more_digits_is_another_code(day: dt.date, seq: int, digit: int) -> None:
    code = render_code(DEFAULT_NUMBERING_PATTERN, agency_code="000.20.00.H99", day=day, seq=seq)
    assert find_codes(f"{code}{digit} NOP PHI", [MATCHER]) == []
    assert find_codes(f"{digit}{code} NOP PHI", [MATCHER]) == []


# --- Matching rules ---------------------------------------------------------------------------------------------------


def line(row: int, amount: int, memo: str, reference: str) -> StatementLine:
    return StatementLine(row=row, date=dt.date(2026, 3, 10), amount=Decimal(amount), memo=memo, reference=reference)


def test_each_line_gets_one_proposed_action() -> None:
    dossiers = {
        "A-1": DossierFacts(code="A-1", in_agency=True, pk=1, due=1_500_000),
        "A-2": DossierFacts(code="A-2", in_agency=True, pk=2, due=1_500_000),
        "A-3": DossierFacts(code="A-3", in_agency=True, pk=3, paid=True),
        "A-4": DossierFacts(code="A-4", in_agency=True, pk=4, due=None),
        "B-1": DossierFacts(code="B-1", in_agency=False),
    }
    lines = [
        line(2, 1_500_000, "A-1", "FT1"), line(3, 1_000_000, "A-2", "FT2"), line(4, 1_500_000, "A-3", "FT3"),
        line(5, 1_500_000, "A-4", "FT4"), line(6, 1_500_000, "B-1", "FT5"), line(7, 1_500_000, "?", "FT6"),
        line(8, 1_500_000, "A-1", "FT1"), line(9, 1_500_000, "A-1", "FT7"), line(10, 1_500_000, "A-2", "FT-OLD"),
        line(11, 1_500_000, "A-1 A-2", "FT8"), line(12, 1_500_000, "A-2", ""),
    ]  # fmt: skip
    codes = {ln.row: [c for c in ln.memo.split() if c in dossiers] for ln in lines}
    matches = match_lines(lines, codes=codes, dossiers=dossiers, used_references={"FT-OLD": "A-9"})
    assert [(m.line.row, m.outcome) for m in matches] == [
        (2, Outcome.CONFIRM), (3, Outcome.AMOUNT_DIFFERS), (4, Outcome.ALREADY_PAID), (5, Outcome.NO_FEE),
        (6, Outcome.OTHER_AGENCY), (7, Outcome.NOT_FOUND), (8, Outcome.DUPLICATE_REFERENCE), (9, Outcome.SAME_DOSSIER),
        (10, Outcome.DUPLICATE_REFERENCE), (11, Outcome.AMBIGUOUS), (12, Outcome.NO_REFERENCE),
    ]  # fmt: skip
    by_row = {m.line.row: m for m in matches}
    assert by_row[8].other_row == 2 and by_row[9].other_row == 2 and by_row[10].used_by == "A-9"
    assert by_row[6].dossier is None and by_row[6].label == by_row[7].label == "Không tìm thấy hồ sơ"
    assert [m.line.row for m in matches if m.confirmable] == [2]


def test_the_carried_statement_comes_back_only_unchanged() -> None:
    data = csv_bytes([HEADER, ["10/03/2026", "1.500.000", f"{CODE} NOP PHI", "FT1"]])
    statement = parse_statement(data, "s.csv")
    token = dump_statement(statement, organisation_id=3, user_id=9)
    carried = load_statement(token)
    assert (carried.statement, carried.organisation_id, carried.user_id) == (statement, 3, 9)
    with pytest.raises(StatementFileError, match="không hợp lệ"):
        load_statement(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])
    with pytest.raises(StatementFileError, match="quá hạn"):
        load_statement(token, max_age=-1)


def test_too_many_rows_are_refused_and_a_long_empty_tail_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from eprovince.onestop import statements

    monkeypatch.setattr(statements, "MAX_ROWS", 5)
    rows = [HEADER] + [["10/03/2026", "704", f"X{n} NOP PHI", f"FT{n}"] for n in range(40)]
    assert "quá 5 dòng" in refused(xlsx_bytes(rows), "s.xlsx")[0]
    assert "quá 5 dòng" in refused(csv_bytes(rows))[0]
    monkeypatch.setattr(statements, "MAX_EMPTY_ROWS", 3)
    tail = [HEADER, ["10/03/2026", "704", "A NOP PHI", "FT1"], [], [], [], [], ["10/03/2026", "704", "B NOP PHI", "FT2"]]
    assert [ln.reference for ln in parse_statement(xlsx_bytes(tail), "s.xlsx").lines] == ["FT1"]
