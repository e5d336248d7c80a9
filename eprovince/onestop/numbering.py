"""Dossier codes: `{code}-{yymmdd}-{seq:4}` by default, e.g. 000.20.00.H01-260309-0007.

The pattern is configurable per receiving agency (models.DossierNumbering). A pattern must keep codes unique:
it contains {code} (agencies never share codes) and {seq}, and the counter's period must be readable from it
(a daily counter needs the full date, a yearly one the year). The counter row of (agency, period) is created if
missing and incremented by one statement (UPDATE … SET last_value = last_value + 1 … RETURNING, which also locks
it), in the caller's transaction: concurrent submissions wait for each other and never get the same number, and a
rolled-back one gives its number back (no gap). The row stays locked until the commit, so callers draw the number as
late as they can. A unique constraint on Dossier.code is the last guard."""

from __future__ import annotations

import datetime as dt
import re
import string

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eprovince.core.models import Organisation

from .constants import DEFAULT_NUMBERING_PATTERN, NumberingReset
from .models import DossierCounter, DossierNumbering

_PLACEHOLDERS = {"code", "yyyy", "yy", "mm", "dd", "yymmdd", "seq"}
_SEQ_SPEC = re.compile(r"^\d?$")
_MAX_SEQ_WIDTH = 9


def _fields(pattern: str) -> list[tuple[str, str]]:
    try:
        return [(name, spec or "") for _text, name, spec, _conv in string.Formatter().parse(pattern) if name is not None]
    except ValueError:
        raise ValidationError({"pattern": _("Mẫu mã hồ sơ có dấu ngoặc nhọn không khớp.")}) from None


def validate_pattern(pattern: str, reset: str) -> None:
    """Raises ValidationError({"pattern": …}) unless `pattern` gives unique codes with a counter reset `reset`."""
    fields = _fields(pattern)
    names = [name for name, _spec in fields]
    unknown = sorted({n for n in names if n not in _PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            {"pattern": _("Mẫu mã hồ sơ có chỗ trống không hợp lệ: %(names)s. Dùng {code}, {yyyy}, {yy}, {mm}, {dd}, "
                          "{yymmdd}, {seq} hoặc {seq:4}.") % {"names": ", ".join(f"{{{n}}}" for n in unknown)}}
        )  # fmt: skip
    if names.count("seq") != 1 or "code" not in names:
        raise ValidationError({"pattern": _("Mẫu mã hồ sơ phải có đúng một {seq} (số thứ tự) và có {code} (mã cơ quan).")})
    for name, spec in fields:
        if (name != "seq" and spec) or (name == "seq" and not _SEQ_SPEC.match(spec)):
            raise ValidationError({"pattern": _("Chỉ {seq} nhận độ dài, từ 1 đến 9 chữ số, ví dụ {seq:4}.")})
    has_year = bool({"yyyy", "yy", "yymmdd"} & set(names))
    has_day = "yymmdd" in names or (has_year and {"mm", "dd"} <= set(names))
    if reset == NumberingReset.DAILY and not has_day:
        raise ValidationError({"pattern": _("Số thứ tự đặt lại hằng ngày: mẫu mã phải có ngày đầy đủ, ví dụ {yymmdd}.")})
    if reset == NumberingReset.YEARLY and not has_year:
        raise ValidationError({"pattern": _("Số thứ tự đặt lại hằng năm: mẫu mã phải có năm, ví dụ {yyyy}.")})


def render_code(pattern: str, *, agency_code: str, day: dt.date, seq: int) -> str:
    values: dict[str, str] = {
        "code": agency_code,
        "yyyy": f"{day:%Y}",
        "yy": f"{day:%y}",
        "mm": f"{day:%m}",
        "dd": f"{day:%d}",
        "yymmdd": f"{day:%y%m%d}",
    }
    out = []
    for text, name, spec, _conv in string.Formatter().parse(pattern):
        out.append(text)
        if name == "seq":
            out.append(str(seq).zfill(int(spec) if spec else 1))
        elif name is not None:
            out.append(values[name])
    return "".join(out).upper()  # codes are looked up case-insensitively as upper case (validators.normalise_dossier_code)


def period_key(reset: str, day: dt.date) -> str:
    if reset == NumberingReset.DAILY:
        return day.isoformat()
    if reset == NumberingReset.YEARLY:
        return f"{day:%Y}"
    return "all"


def agency_code(org: Organisation) -> str:
    """The agency's electronic code, or its nearest ancestor's; the primary key when none has one."""
    if org.electronic_code:
        return org.electronic_code
    ancestors = {o.pk: o.electronic_code for o in Organisation.objects.filter(pk__in=org.ancestor_ids())}
    for pk in reversed(org.ancestor_ids()):
        if ancestors.get(pk):
            return f"{ancestors[pk]}.{org.pk}"
    return f"CQ{org.pk}"


def numbering_for(org: Organisation) -> tuple[str, str]:
    """The agency's (pattern, reset); no query when its numbering was read with it
    (select_related("…__dossier_numbering"), found or not)."""
    if Organisation.dossier_numbering.is_cached(org):
        own = getattr(org, "dossier_numbering", None)  # None when the join found no row
        return (own.pattern, own.reset) if own is not None else (DEFAULT_NUMBERING_PATTERN, NumberingReset.DAILY)
    row = DossierNumbering.objects.filter(organisation=org).values_list("pattern", "reset").first()
    return row if row else (DEFAULT_NUMBERING_PATTERN, NumberingReset.DAILY)


def _counter_sql() -> tuple[str, str]:
    """The two statements of next_sequence(): the increment of an existing row, and the period's first number (an
    insert that becomes the increment if another transaction created the row first). Both return the new value."""
    meta = DossierCounter._meta
    qn = transaction.get_connection().ops.quote_name
    table, org, period, value = (
        qn(meta.db_table), qn(meta.get_field("organisation").column), qn(meta.get_field("period").column),
        qn(meta.get_field("last_value").column),
    )  # fmt: skip
    # Only quoted names from the model are formatted in; the values are parameters.
    increment = f"UPDATE {table} SET {value} = {value} + 1 WHERE {org} = %s AND {period} = %s RETURNING {value}"  # noqa: S608
    first = (
        f"INSERT INTO {table} ({org}, {period}, {value}) VALUES (%s, %s, 1) "  # noqa: S608 - quoted names
        f"ON CONFLICT ({org}, {period}) DO UPDATE SET {value} = {table}.{value} + 1 RETURNING {value}"
    )
    return increment, first


def next_sequence(org: Organisation, period: str) -> int:
    """The next number of `org`'s counter for `period`. Must run inside the transaction that uses it: the counter
    row stays locked (other transactions drawing from it wait) until that transaction ends, and a rollback returns
    the number. One statement (two for the period's first number)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("next_sequence() must run inside a transaction.")
    increment, first = _counter_sql()
    with connection.cursor() as cursor:
        cursor.execute(increment, [org.pk, period])
        row = cursor.fetchone()
        if row is None:  # the period's first number; losing the race to create the row increments the winner's
            cursor.execute(first, [org.pk, period])
            row = cursor.fetchone()
    return int(row[0])


def next_code(org: Organisation, day: dt.date) -> str:
    """A new dossier code of `org` for a dossier received (or submitted) on `day` (local date)."""
    pattern, reset = numbering_for(org)
    code = agency_code(org)  # read before the counter row is locked
    seq = next_sequence(org, period_key(reset, day))
    return render_code(pattern, agency_code=code, day=day, seq=seq)
