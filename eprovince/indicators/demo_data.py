"""Demo data of the indicators app, loaded by `manage.py load_demo` after core's (organisations, accounts).

- The catalogue of demo_catalogue (elements, indicators, three report forms with their rules).
- Figures quoted in the seed articles, loaded as they are with the article as source: An Giang, first 6 months of
  2009 (revenue 252,1 tỉ đồng; 402,8 thousand telephone subscribers, +1,24% on the same period; 4.521 Internet
  subscribers, +1,1%; 11 bridge points) and the former Kiên Giang, 2008 (18 IT programmes, about 9,5 tỷ đồng, 61% of
  plan). Kiên Giang merged into An Giang on 1 July 2025: its history rolls up into the current province.
- Like for like across the merger: the enterprises report the whole merged territory from 2025S2 on, so the former
  Kiên Giang's own history (telecom, population, the work of its Department) is imported as published figures of
  its Sở TT&TT for 2020–2024 (flows up to 2025S1, the half-year before the merger); a year's "last" value of a unit
  that has ended would otherwise be counted twice. The former districts ended on 30 June 2025: their handover
  figures at that date (2025S1) stand for them in 2025 until their annual reports are approved. In 2025 the former
  Sở TT&TT An Giang reports January–February and the Sở KH&CN that took it over the rest of the year, the merged
  province included.
- Everything else is generated deterministically and marked synthetic (values, population, targets, index inputs):
  approved reporting rounds 2020–2025, and open rounds for the screens (2026S2 for enterprises, where VNPT has not
  reported yet; 2025 for the People's Committees, where Tân Châu is still drafting and Châu Thành awaits approval).
- The Vietnam ICT Index (2016 method) for 2018–2019, the DTI 2022 framework, and a provincial index of the districts.
- The yearly summary analytics read (summary.py), rebuilt at the end.

Idempotent: the catalogue and indices are upserted; a report already in its final state is left alone."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import ROUND_HALF_UP, Decimal
from typing import TextIO

from django.utils import timezone

from eprovince.core.demo_data import ORGANISATIONS
from eprovince.core.models import AdminUnit, Organisation

from . import demo_catalogue as cat
from . import frameworks, summary
from .constants import IndexAggregation, Normalisation, RoundStatus, SubmissionStatus
from .models import CategoryCombo, CategoryOption, DataElement, DataValue, Indicator, ReportForm, ReportingRound, Submission
from .periods import Period
from .services import catalogue, indices, rounds
from .services.values import ValueEntry, values_import_published, values_save

SYNTHETIC = "Số liệu minh họa (sinh tự động cho bản trình diễn)"
AG_2009 = "Mic.gov.vn – Hội nghị trực tuyến sơ kết 6 tháng đầu năm 2009 ngành Thông tin và Truyền thông tỉnh An Giang"
KG_2009 = "Mic.gov.vn – Sở TT&TT Kiên Giang triển khai nhiệm vụ công tác năm 2009 (kết quả năm 2008)"
ICT_2019 = "Vietnam ICT Index 2019 (Bộ TT&TT, Hội Tin học Việt Nam)"
MERGER_NOTE = "Từ 01/07/2025 số liệu gồm cả địa bàn tỉnh Kiên Giang cũ (sáp nhập vào tỉnh An Giang)."
KG_NOTE = "Số liệu của tỉnh Kiên Giang (cũ) trước khi sáp nhập vào tỉnh An Giang (01/07/2025)."
HANDOVER_NOTE = "Số liệu đến 30/6/2025, bàn giao khi kết thúc hoạt động của chính quyền cấp huyện."
KG_SCALE = 0.9  # the former Kiên Giang against the former An Giang (population 1,76 / 1,92 million)
FLOWS = ("REVENUE", "BUDGET_CONTRIBUTION")  # enterprise figures summed over the periods (the rest are levels)
ENTERPRISE_SHARES = {"VNPT": 0.36, "VIETTEL": 0.46, "MOBIFONE": 0.14, "VNPOST": 0.04}


def _noise(*key: object, spread: float = 0.02) -> float:
    """A deterministic factor in [1 - spread, 1 + spread] for `key`."""
    digest = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return 1 + spread * (int.from_bytes(digest[:4], "big") / 0xFFFFFFFF * 2 - 1)


def _round(value: float, places: int = 0) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _orgs() -> dict[str, Organisation]:
    by_name = {o.name: o for o in Organisation.objects.all()}
    return {spec["key"]: by_name[spec["name"]] for spec in ORGANISATIONS if spec["name"] in by_name}


# Catalogue ----------------------------------------------------------------------------------------------


def _catalogue(orgs: dict[str, Organisation]) -> tuple[dict[str, DataElement], dict[str, ReportForm]]:
    for combo_spec in cat.COMBOS:
        catalogue.category_combo_save(acting_user=None, **combo_spec)

    combo_objs = {c.code: c for c in CategoryCombo.objects.filter(code__in=[spec["code"] for spec in cat.COMBOS])}
    elements: dict[str, DataElement] = {}
    for order, (code, name, unit, kind, units, time, decimals, combo) in enumerate(cat.ELEMENTS, start=1):
        elements[code] = catalogue.data_element_save(
            acting_user=None, code=code, name=name, unit=unit, value_type=kind, aggregation=units, time_aggregation=time,
            decimals=decimals, category_combo=combo_objs.get(combo or ""), order=order * 10,
        )  # fmt: skip
    for order, spec in enumerate(cat.INDICATORS, start=1):
        catalogue.indicator_save(acting_user=None, order=order * 10, **spec)
    forms: dict[str, ReportForm] = {}
    _OPTIONS.clear()
    for option in CategoryOption.objects.filter(combo__elements__in=elements.values()).select_related("combo"):
        for element in elements.values():
            if element.category_combo_id == option.combo_id:
                _OPTIONS[(element.code, option.code)] = option
    for spec in cat.FORMS:
        forms[spec["code"]] = form = catalogue.report_form_save(
            acting_user=None, code=spec["code"], name=spec["name"], owner=orgs[spec["owner"]],
            period_type=spec["period_type"], convention=spec["convention"], deadline_days=spec["deadline_days"],
            change_comment_threshold=spec["change_comment_threshold"],
            elements=[(elements[code], section) for code, section in spec["elements"]],
            organisations=[orgs[key] for key in spec["organisations"] if key in orgs],
        )  # fmt: skip
        for order, rule in enumerate(spec["rules"], start=1):
            catalogue.validation_rule_save(acting_user=None, form=form, order=order * 10, **rule)
    return elements, forms


# Reports ------------------------------------------------------------------------------------------------


_OPTIONS: dict[tuple[str, str], CategoryOption] = {}


def _entries(elements: dict[str, DataElement], data: dict[str, Decimal], comment: str = "") -> list[ValueEntry]:
    result = []
    for key, value in data.items():
        code, _sep, option = key.partition(".")
        element = elements[code]
        option_obj = _OPTIONS[(code, option)] if option else None
        result.append(
            ValueEntry(element=element, raw=value, option=option_obj, comment=comment, source=SYNTHETIC, synthetic=True)
        )
    return result


def _report(
    form: ReportForm,
    period: str,
    organisation: Organisation,
    elements: dict[str, DataElement],
    data: dict[str, Decimal],
    final: str,
    comment: str = "",
    cache: dict[str, ReportingRound] | None = None,
) -> None:
    """Bring the unit's report to `final` (draft with values, submitted or approved), through the services."""
    key = f"{form.pk}:{period}"
    round_ = (cache or {}).get(key) or ReportingRound.objects.filter(form=form, period=period).first()
    if round_ is None:
        round_ = rounds.round_open(acting_user=None, form=form, period=period)
    if cache is not None:
        cache[key] = round_
    submission = next((s for s in _submissions(round_) if s.organisation_id == organisation.pk), None)
    if submission is None or submission.status != SubmissionStatus.DRAFT:
        return  # already beyond the draft: left as it is
    if data:
        values_save(
            acting_user=None, submission=submission, entries=_entries(elements, data, comment), localized=False, validate=False
        )
    sent, approved = _moments(round_, organisation)
    if final in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED):
        rounds.submission_submit(acting_user=None, submission=submission, at=sent)
    if final == SubmissionStatus.APPROVED:
        rounds.submission_approve(acting_user=None, submission=submission, at=approved)


_SUBMISSIONS: dict[int, list[Submission]] = {}


def _submissions(round_: ReportingRound) -> list[Submission]:
    """The round's submissions, read once per round (the loader runs through many units of the same round)."""
    if round_.pk not in _SUBMISSIONS:
        _SUBMISSIONS[round_.pk] = list(Submission.objects.filter(round=round_).order_by())
    return _SUBMISSIONS[round_.pk]


def _moments(round_: ReportingRound, organisation: Organisation) -> tuple[dt.datetime | None, dt.datetime | None]:
    """When a past report was sent and approved: a few days around its deadline (one in seven late), at office
    hours. Reports of rounds still running are sent now."""
    if round_.deadline >= timezone.localdate():
        return None, None
    spread = _noise(round_.form.code, round_.period, organisation.pk, spread=1.0)  # 0 to 2
    days = round(6 * spread) - 5  # -5 … +7 days around the deadline
    sent = dt.datetime.combine(round_.deadline + dt.timedelta(days=min(days, 0) if spread < 1.7 else days), dt.time(9, 30))
    sent = timezone.make_aware(sent)
    return sent, sent + dt.timedelta(days=3, hours=5)


def _enterprise_values(key: str, period: Period) -> dict[str, Decimal]:
    t = period.year - 2019 + (0.5 if period.number == 2 else 0)
    merged = 1 + KG_SCALE if (period.year, period.number) >= (2025, 2) else 1.0  # the merged territory
    share = ENTERPRISE_SHARES[key]

    def v(name: str, base: float, growth: float, places: int = 0) -> Decimal:
        return _round(base * share * growth**t * merged * _noise(key, name, period.id), places)

    revenue = v("REVENUE", 1250, 1.06, 1)
    data = {"REVENUE": revenue, "BUDGET_CONTRIBUTION": _round(float(revenue) * 0.055 * _noise(key, "B", period.id), 1)}
    if key == "VNPOST":
        return data
    fixed_share = {"VNPT": 0.72, "VIETTEL": 0.28, "MOBIFONE": 0.0}[key] / share
    data |= {
        "SUB_PHONE.FIXED": v("FIXED", 60000 * fixed_share, 0.93),
        "SUB_PHONE.PREPAID": v("PREPAID", 2050000, 1.02),
        "SUB_PHONE.POSTPAID": v("POSTPAID", 190000, 1.05),
        "SUB_INTERNET": v("INTERNET", 1350000, 1.07),
        "SUB_BROADBAND": v("BROADBAND", 330000, 1.09),
        "BTS": v("BTS", 2900, 1.025),
        "FIBRE_KM": v("FIBRE", 14000, 1.04),
    }
    if key == "MOBIFONE":
        data["SUB_BROADBAND"] = v("BROADBAND", 60000 / share * 0.14, 1.09)
    return data


def _committee_values(key: str, year: int) -> dict[str, Decimal]:
    if key == "UBND-LONGXUYEN":
        return {  # one ward, from 1 July 2025
            "EGOV_SERVICES_L12": Decimal(24), "EGOV_SERVICES_L3": Decimal(6), "EGOV_SERVICES_L4": Decimal(4),
            "OFFICIALS_EMAIL_PCT": Decimal(100), "ONE_STOP_IT": Decimal(1), "ONLINE_MEETINGS": Decimal(12),
            "BRIDGE_POINTS": Decimal(2), "BTS_PERMITS.VIETTEL": Decimal(3), "BTS_PERMITS.VNPT": Decimal(2),
        }  # fmt: skip
    t = year - 2019
    tanchau = key == "UBND-TANCHAU"
    communes = 14 if tanchau else 13
    l12 = _round((112 if tanchau else 104) + 5 * t * _noise(key, "L12", year))
    data = {
        "EGOV_SERVICES_L12": l12,
        "EGOV_SERVICES_L3": _round((14 if tanchau else 18) + 4 * t * _noise(key, "L3", year)),
        "EGOV_SERVICES_L4": min(l12, _round(2 + 7 * t * _noise(key, "L4", year, spread=0.2))),
        "OFFICIALS_EMAIL_PCT": min(Decimal(100), _round((86 if tanchau else 83) + 2.6 * t * _noise(key, "EM", year), 1)),
        "ONE_STOP_IT": Decimal(0 if (not tanchau and year == 2020) else 1),
        "ONLINE_MEETINGS": _round(9 + t * _noise(key, "OM", year, spread=0.3)),
        "BRIDGE_POINTS": _round((12 if tanchau else 10) + t // 2),
        "COMMUNES_TOTAL": Decimal(communes),
        "COMMUNES_CRITERION8": Decimal(min(communes, communes - 4 + t + (0 if tanchau else -1))),
        "BTS_PERMITS.VNPT": _round(2 + 2 * _noise(key, "BV", year, spread=0.5)),
        "BTS_PERMITS.VIETTEL": _round(4 + 2 * _noise(key, "BT", year, spread=0.5)),
        "BTS_PERMITS.MOBIFONE": _round(1 + _noise(key, "BM", year, spread=0.5)),
    }
    if year == 2020:  # the programme's last year in the south
        data["DVBT2_RECEIVERS"] = _round((1180 if tanchau else 960) * _noise(key, "TV", year))
    return data


def _handover_values(key: str) -> dict[str, Decimal]:
    """A former district's figures when it ended (30 June 2025): levels halfway between its 2024 and 2025 ones,
    flows (meetings, permits) for the half-year."""
    before, after = _committee_values(key, 2024), _committee_values(key, 2025)
    data = {}
    for name, value in after.items():
        if name.startswith(("ONLINE_MEETINGS", "BTS_PERMITS")):
            data[name] = _round(float(value) * 0.55)
        elif name.startswith("COMMUNES") or name == "ONE_STOP_IT":
            data[name] = value
        else:
            data[name] = _round(float(before.get(name, value) + value) / 2, 1 if name == "OFFICIALS_EMAIL_PCT" else 0)
    return data


def _department_values(year: int, unit: str = "SO", scale: float = 1.0) -> dict[str, Decimal]:
    """A year's work of a province's Department (`unit` "KG": the former Kiên Giang's, at `scale`)."""

    def n(name: str, base: float, spread: float = 0.25, places: int = 0) -> Decimal:
        return _round(base * scale * _noise(unit, name, year, spread=spread), places)

    t = year - 2020
    return {
        "INSPECTIONS": n("I", 10), "VIOLATIONS": n("V", 24), "FINES": n("F", 64, 0.3) * 1_000_000,
        "IT_PROGRAMMES": n("P", 15), "IT_PROGRAMME_FUNDS": n("PF", 12, 0.3, 1), "TRAINING_CLASSES": n("C", 6),
        "TRAINEES": n("T", 650),
        "PRESS_AGENCIES": _round(15 * scale), "BULLETIN_LICENCES": n("BL", 8), "PUBLICATION_LICENCES": n("PL", 34, 0.15),
        "RADIO_IT_STATIONS": _round((30 + 18 * t) * scale * _noise(unit, "R", spread=0.05)),
    }  # fmt: skip


def _department_2025() -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """2025: the former Sở TT&TT's January and February (flows only), and the Sở KH&CN's rest of the year for the
    whole merged province (the former Kiên Giang's first half-year handed over to it)."""
    kien_giang = _department_values(2025, "KG", KG_SCALE)
    whole = {k: v + kien_giang[k] for k, v in _department_values(2025).items()}
    whole["PRESS_AGENCIES"] -= 1  # the provincial newspaper and radio-television station merged in 2025
    first = {
        "INSPECTIONS": Decimal(1), "VIOLATIONS": Decimal(3), "FINES": Decimal(8_000_000), "IT_PROGRAMMES": Decimal(2),
        "IT_PROGRAMME_FUNDS": Decimal("1.4"), "BULLETIN_LICENCES": Decimal(1), "PUBLICATION_LICENCES": Decimal(5),
    }  # fmt: skip
    rest = {k: v - first.get(k, 0) for k, v in whole.items()}
    return first, rest


def _kiengiang_telecom(period: Period) -> dict[str, Decimal]:
    """The former Kiên Giang's enterprise figures for `period`: levels up to 2024S2, flows up to 2025S1."""
    totals: dict[str, float] = {}
    for key in ENTERPRISE_SHARES:
        for name, value in _enterprise_values(key, period).items():
            totals[name] = totals.get(name, 0.0) + float(value)
    levels = (period.year, period.number) < (2025, 1)
    return {
        name: _round(value * KG_SCALE * _noise("KG", name, period.id, spread=0.03), 1 if name in FLOWS else 0)
        for name, value in totals.items()
        if levels or name in FLOWS
    }


def _reports(orgs: dict[str, Organisation], elements: dict[str, DataElement], forms: dict[str, ReportForm]) -> None:
    cache: dict[str, ReportingRound] = {}
    _SUBMISSIONS.clear()
    enterprise = forms["DN_BCVT"]
    for year in range(2020, 2027):
        for half in (1, 2):
            period = Period.parse(f"{year}S{half}")
            if period.id == "2026S2":
                continue
            comment = MERGER_NOTE if period.id in ("2025S2", "2026S1") else ""
            for key in ENTERPRISE_SHARES:
                _report(
                    enterprise,
                    period.id,
                    orgs[key],
                    elements,
                    _enterprise_values(key, period),
                    SubmissionStatus.APPROVED,
                    comment,
                    cache,
                )
    # The open round: VNPT (account "doanhnghiep") has not reported yet; Viettel awaits approval; MobiFone is done.
    current = Period.parse("2026S2")
    _report(
        enterprise,
        current.id,
        orgs["VIETTEL"],
        elements,
        _enterprise_values("VIETTEL", current),
        SubmissionStatus.SUBMITTED,
        cache=cache,
    )
    _report(
        enterprise,
        current.id,
        orgs["MOBIFONE"],
        elements,
        _enterprise_values("MOBIFONE", current),
        SubmissionStatus.APPROVED,
        cache=cache,
    )
    _report(enterprise, current.id, orgs["VNPT"], elements, {}, SubmissionStatus.DRAFT, cache=cache)

    committees = forms["UBND_CNTT"]
    for year in range(2020, 2025):
        for key in ("UBND-TANCHAU", "UBND-CHAUTHANH"):
            _report(
                committees, str(year), orgs[key], elements, _committee_values(key, year), SubmissionStatus.APPROVED, cache=cache
            )
    # 2025, the year of the reorganisation: the new ward has reported; the former districts are late.
    _report(
        committees,
        "2025",
        orgs["UBND-LONGXUYEN"],
        elements,
        _committee_values("UBND-LONGXUYEN", 2025),
        SubmissionStatus.APPROVED,
        cache=cache,
    )
    _report(
        committees,
        "2025",
        orgs["UBND-CHAUTHANH"],
        elements,
        _committee_values("UBND-CHAUTHANH", 2025),
        SubmissionStatus.SUBMITTED,
        cache=cache,
    )
    partial = {k: v for k, v in _committee_values("UBND-TANCHAU", 2025).items() if k.startswith("EGOV")}
    _report(committees, "2025", orgs["UBND-TANCHAU"], elements, partial, SubmissionStatus.DRAFT, cache=cache)

    department = forms["SO_TONGHOP"]
    for year in range(2020, 2025):
        _report(
            department, str(year), orgs["SO-TTTT"], elements, _department_values(year), SubmissionStatus.APPROVED, cache=cache
        )
    first, rest = _department_2025()
    _report(department, "2025", orgs["SO-TTTT"], elements, first, SubmissionStatus.APPROVED, cache=cache)
    comment = "Cả năm 2025 trên địa bàn tỉnh An Giang mới, gồm phần bàn giao của tỉnh Kiên Giang (cũ)."
    _report(department, "2025", orgs["SO"], elements, rest, SubmissionStatus.APPROVED, comment, cache=cache)
    # Past rounds are closed; only the two current ones stay open for the screens.
    for round_ in ReportingRound.objects.filter(status=RoundStatus.OPEN).select_related("form"):
        if (round_.form.code, round_.period) not in {("DN_BCVT", "2026S2"), ("UBND_CNTT", "2025")}:
            rounds.round_close(acting_user=None, round_=round_)


# Published figures, population and targets ----------------------------------------------------------------


def _published(orgs: dict[str, Organisation], elements: dict[str, DataElement]) -> None:
    def publish(org: str, period: str, rows: list[tuple[str, Decimal, str, str, bool]]) -> None:
        entries = [
            ValueEntry(element=elements[code], raw=value, comment=comment, source=source, synthetic=synthetic)
            for code, value, comment, source, synthetic in rows
        ]
        values_import_published(acting_user=None, organisation=orgs[org], period=Period.parse(period), entries=entries)

    publish("SO-TTTT", "2009S1", [
        ("REVENUE", Decimal("252.1"), "Tổng doanh thu của các doanh nghiệp ước đạt 252,1 tỉ đồng.", AG_2009, False),
        ("SUB_PHONE", Decimal(402800), "Ước 402,8 ngàn thuê bao, tăng 1,24% so cùng kỳ năm trước.", AG_2009, False),
        ("SUB_INTERNET", Decimal(4521), "Ước 4.521 thuê bao, tăng 1,1% so cùng kỳ năm trước.", AG_2009, False),
        ("BRIDGE_POINTS", Decimal(11), "11 điểm cầu truyền hình của 11 huyện, thị, thành phố.", AG_2009, False),
    ])  # fmt: skip
    derived = "Suy ra từ mức tăng so cùng kỳ nêu trong bài (số liệu minh họa)"
    publish("SO-TTTT", "2008S1", [
        ("SUB_PHONE", Decimal(397866), "402.800 / 1,0124", derived, True),
        ("SUB_INTERNET", Decimal(4472), "4.521 / 1,011", derived, True),
    ])  # fmt: skip
    publish("SO-TTTT-KG", "2008", [
        ("IT_PROGRAMMES", Decimal(18), "18 chương trình, dự án, kế hoạch (5 kế hoạch phát sinh trong năm).", KG_2009, False),
        ("IT_PROGRAMME_FUNDS", Decimal("9.5"), "Tổng kinh phí gần 9,5 tỷ đồng, đạt 61% so với kế hoạch.", KG_2009, False),
    ])  # fmt: skip
    population = {
        2008: 2150000,
        2009: 2151000,
        **{y: 1908000 + 1500 * (y - 2019) for y in range(2020, 2025)},
        2025: 3679000,
        2026: 3684000,
    }
    for year, value in population.items():
        publish("UBND-TINH", str(year), [("POPULATION", Decimal(value), "", SYNTHETIC, True)])


def _former_units(orgs: dict[str, Organisation], elements: dict[str, DataElement]) -> None:
    """History of the units that ended in 2025, imported as published figures (synthetic): the former Kiên Giang
    (telecom, population, its Department's work) and the former districts' handover figures."""

    def publish(org: str, period: str, data: dict[str, Decimal], comment: str) -> None:
        values_import_published(
            acting_user=None, organisation=orgs[org], period=Period.parse(period), entries=_entries(elements, data, comment)
        )

    for year in range(2020, 2026):
        for half in (1, 2):
            period = Period.parse(f"{year}S{half}")
            if (year, half) <= (2025, 1):
                publish("SO-TTTT-KG", period.id, _kiengiang_telecom(period), KG_NOTE)
        if year < 2025:
            yearly = _department_values(year, "KG", KG_SCALE) | {"POPULATION": Decimal(1740000 + 4000 * (year - 2020))}
            publish("SO-TTTT-KG", str(year), yearly, KG_NOTE)
    for key in ("UBND-TANCHAU", "UBND-CHAUTHANH"):
        publish(key, "2025S1", _handover_values(key), HANDOVER_NOTE)


def _targets(orgs: dict[str, Organisation], elements: dict[str, DataElement]) -> None:
    indicators = {i.code: i for i in Indicator.objects.all()}
    for year in range(2020, 2027):
        t = year - 2019
        merged = 1 + KG_SCALE  # the series count the former Kiên Giang in every year
        decision = f"Kế hoạch phát triển ngành năm {year} (số liệu minh họa)"
        catalogue.target_set(
            acting_user=None,
            year=year,
            element=elements["REVENUE"],
            value=_round(2520 * 1.06**t * merged, 1),
            source_decision=decision,
            synthetic=True,
        )
        catalogue.target_set(
            acting_user=None,
            year=year,
            indicator=indicators["PHONE_DENSITY"],
            value=_round(118 + 2.5 * t, 1),
            source_decision=decision,
            synthetic=True,
        )
        catalogue.target_set(
            acting_user=None,
            year=year,
            indicator=indicators["BROADBAND_DENSITY"],
            value=_round(15.5 + 1.8 * t, 1),
            source_decision=decision,
            synthetic=True,
        )
        catalogue.target_set(
            acting_user=None,
            year=year,
            indicator=indicators["CRITERION8_PCT"],
            value=Decimal(100),
            source_decision=decision,
            synthetic=True,
        )
    catalogue.target_set(
        acting_user=None, year=2008, element=elements["IT_PROGRAMME_FUNDS"], organisation=orgs["SO-TTTT-KG"], value=Decimal("15.6"),
        source_decision="Suy ra từ bài viết: kinh phí gần 9,5 tỷ đồng đạt 61% kế hoạch (9,5 / 0,61)",
    )  # fmt: skip


# Indices ------------------------------------------------------------------------------------------------

# (GSO code, name, strength): strength shapes the synthetic scores.
PROVINCES = [
    ("01", "Hà Nội", 0.80), ("79", "TP. Hồ Chí Minh", 0.79), ("48", "Đà Nẵng", 0.87), ("46", "Thừa Thiên Huế", 0.70),
    ("22", "Quảng Ninh", 0.72), ("40", "Nghệ An", 0.55), ("92", "Cần Thơ", 0.58), ("89", "An Giang", 0.47),
    ("91", "Kiên Giang", 0.44), ("87", "Đồng Tháp", 0.50), ("93", "Hậu Giang", 0.45), ("51", "Quảng Ngãi", 0.45),
]  # fmt: skip


def _indices(orgs: dict[str, Organisation], elements: dict[str, DataElement]) -> None:
    legacy = {u.code: u for u in AdminUnit.objects.filter(level="province", valid_to__isnull=False)}
    subjects = {
        code: indices.index_subject_save(acting_user=None, code=f"TINH-{code}", name=name, admin_unit=legacy.get(code))
        for code, name, _s in PROVINCES
    }
    for year in (2018, 2019):
        framework = indices.framework_install(acting_user=None, definition=frameworks.ICT_INDEX_2016, year=year)
        for code, _name, strength in PROVINCES:
            if year == 2019 and code == "48":
                values, source, synthetic = {"HTKT_DIEM": "0.7925", "HTNL_DIEM": "0.9538", "UDCNTT_DIEM": "0.85"}, ICT_2019, False
            else:
                base = code if code != "51" else "93"  # Quảng Ngãi and Hậu Giang tie: ranks 1, 2, 2, 4 on screen
                values = {
                    item: str(_round(min(0.99, strength * _noise(base, item, year, spread=0.12)), 4))
                    for item in ("HTKT_DIEM", "HTNL_DIEM", "UDCNTT_DIEM")
                }
                source, synthetic = SYNTHETIC, True
            indices.index_inputs_save(
                acting_user=None, framework=framework, subject=subjects[code], values=values, source=source, synthetic=synthetic
            )
    dti = indices.framework_install(acting_user=None, definition=frameworks.DTI_PROVINCE_2022, year=2022)
    for code, _name, strength in PROVINCES[:9]:
        values = {
            f"{c['code']}_DIEM": str(_round(min(0.98, strength * 0.9 * _noise(code, c["code"], spread=0.2)), 4))
            for c in frameworks.DTI_PROVINCE_2022["components"]
        }
        indices.index_inputs_save(
            acting_user=None, framework=dti, subject=subjects[code], values=values, source=SYNTHETIC, synthetic=True
        )
    criterion8 = Indicator.objects.get(code="CRITERION8_PCT")
    local = {
        "code": "AG_CNTT_HUYEN",
        "name": "Chỉ số ứng dụng CNTT của UBND cấp huyện tỉnh An Giang",
        "aggregation": IndexAggregation.WEIGHTED_MEAN,
        "description": "Chỉ số nội bộ của tỉnh (minh họa): tính ngay từ báo cáo đã phê duyệt của các huyện; chuẩn hóa "
        "min–max giữa các huyện hoặc so với giá trị tham chiếu.",
        "source": "Sở Khoa học và Công nghệ tỉnh An Giang",
        "components": [
            {
                "code": "NEN_TANG", "name": "Nhân lực và hạ tầng", "weight": 1,
                "items": [
                    {"code": "EMAIL", "name": "Cán bộ dùng thư điện tử", "normalisation": Normalisation.REFERENCE, "reference": Decimal(100), "element": elements["OFFICIALS_EMAIL_PCT"]},
                    {"code": "BRIDGE", "name": "Điểm cầu trực tuyến", "normalisation": Normalisation.MIN_MAX, "element": elements["BRIDGE_POINTS"]},
                ],
            },
            {
                "code": "UNG_DUNG", "name": "Ứng dụng", "weight": 2,
                "items": [
                    {"code": "DVC4", "name": "Dịch vụ công mức độ 4", "normalisation": Normalisation.MIN_MAX, "element": elements["EGOV_SERVICES_L4"]},
                    {"code": "HOP", "name": "Hội nghị trực tuyến", "normalisation": Normalisation.MIN_MAX, "element": elements["ONLINE_MEETINGS"]},
                    {"code": "NTM", "name": "Xã đạt tiêu chí số 8", "normalisation": Normalisation.REFERENCE, "reference": Decimal(100), "indicator": criterion8},
                ],
            },
        ],
    }  # fmt: skip
    for year in (2023, 2024):
        framework = indices.framework_install(acting_user=None, definition=local, year=year)
        for key in ("UBND-TANCHAU", "UBND-CHAUTHANH"):
            indices.index_subject_save(
                acting_user=None, code=f"ORG-{orgs[key].pk}", name=orgs[key].name, organisation=orgs[key], frameworks=[framework]
            )


def load(stdout: TextIO) -> None:
    orgs = _orgs()
    missing = {"SO", "SO-BCVT", "SO-TTTT", "SO-TTTT-KG", "UBND-TINH", "VNPT", "VIETTEL", "MOBIFONE", "VNPOST"} - set(orgs)
    if missing:
        stdout.write(f"  Chỉ tiêu: thiếu cơ quan trình diễn ({', '.join(sorted(missing))}); chưa nạp.\n")
        return
    elements, forms = _catalogue(orgs)
    _published(orgs, elements)
    _former_units(orgs, elements)
    _reports(orgs, elements, forms)
    _targets(orgs, elements)
    _indices(orgs, elements)
    summary.rebuild()  # kept by the services above already; whole, whatever an earlier load left
    stdout.write(
        f"  Chỉ tiêu: {len(elements)} chỉ tiêu dữ liệu, {Indicator.objects.count()} chỉ số, {len(forms)} biểu mẫu, "
        f"{ReportingRound.objects.count()} đợt báo cáo, {DataValue.objects.count()} giá trị "
        f"({DataValue.objects.filter(synthetic=False).count()} trích từ bài viết, còn lại là số liệu minh họa).\n"
    )
