"""Composite indices: normalisation, aggregation, pillars, competition ranking; the ICT Index and DTI frameworks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .. import frameworks
from ..constants import Normalisation
from ..indexing import competition_rank, normalise, points_score, weighted_mean
from ..models import IndexFramework
from ..rankings import index_table
from ..services.indices import framework_install, index_inputs_save, index_subject_save

D = Decimal
decimals01 = st.decimals(min_value=0, max_value=1, places=4)
values = st.dictionaries(
    st.integers(0, 60), st.one_of(st.none(), st.decimals(min_value=-1000, max_value=100000, places=2)), max_size=30
)


def test_ties_share_a_rank_and_the_next_rank_is_skipped() -> None:
    ranks = competition_rank({"a": D("0.9"), "b": D("0.8"), "c": D("0.8"), "d": D("0.7"), "e": None})
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4, "e": None}


def test_ranks_use_the_published_precision() -> None:
    assert competition_rank({"a": D("0.86541"), "b": D("0.86539")}) == {"a": 1, "b": 1}


@given(st.dictionaries(st.integers(0, 100), st.one_of(st.none(), decimals01), max_size=40))
def test_competition_ranking_laws(scores: dict[int, Decimal | None]) -> None:
    ranks = competition_rank(scores)
    ranked = {k: r for k, r in ranks.items() if r is not None}
    assert set(ranked) == {k for k, v in scores.items() if v is not None}
    for k, r in ranked.items():
        better = sum(1 for j in ranked if scores[j] > scores[k])  # type: ignore[operator]
        assert r == better + 1  # rank = 1 + the number of strictly better units
    for a in ranked:
        for b in ranked:
            if scores[a] == scores[b]:
                assert ranked[a] == ranked[b]
            if scores[a] > scores[b]:  # type: ignore[operator]
                assert ranked[a] < ranked[b]
    if ranked:
        assert min(ranked.values()) == 1 and max(ranked.values()) <= len(ranked)


@given(values, st.sampled_from(list(Normalisation)), st.decimals(min_value=1, max_value=10000, places=2), st.booleans())
def test_normalised_scores_lie_in_0_1_and_keep_missing_values(raw, method, reference, higher) -> None:
    result = normalise(raw, method, reference=reference, higher_is_better=higher)
    assert set(result) == set(raw)
    for key, value in result.items():
        if raw[key] is None:
            assert value is None
        else:
            assert value is not None and D(0) <= value <= D(1)


@given(values)
def test_min_max_puts_the_best_at_1_and_the_worst_at_0(raw) -> None:
    present = {k: v for k, v in raw.items() if v is not None}
    result = normalise(raw, Normalisation.MIN_MAX)
    if len(set(present.values())) >= 2:
        assert result[max(present, key=lambda k: present[k])] == 1
        assert result[min(present, key=lambda k: present[k])] == 0
        reverse = normalise(raw, Normalisation.MIN_MAX, higher_is_better=False)
        assert reverse[min(present, key=lambda k: present[k])] == 1


def test_reference_ratio_is_capped() -> None:
    assert normalise({"a": D(50), "b": D(150)}, Normalisation.REFERENCE, reference=D(100)) == {"a": D("0.5"), "b": D(1)}


@given(st.lists(st.tuples(decimals01, st.decimals(min_value=0, max_value=10, places=2)), min_size=1, max_size=10))
def test_weighted_means_and_points_stay_between_the_extremes(pairs) -> None:
    mean = weighted_mean(pairs)
    weighted = [s for s, w in pairs if w > 0]
    if not weighted:
        assert mean is None
        return
    assert mean is not None and min(weighted) - D("1e-20") <= mean <= max(weighted) + D("1e-20")
    score = points_score(pairs)
    assert score is not None and D(0) <= score <= D(1) + D("1e-20")


@pytest.mark.django_db
def test_ict_index_2016_method_da_nang_2019() -> None:
    framework = framework_install(acting_user=None, definition=frameworks.ICT_INDEX_2016, year=2019)
    da_nang = index_subject_save(acting_user=None, code="48", name="Đà Nẵng")
    other = index_subject_save(acting_user=None, code="79", name="TP. Hồ Chí Minh")
    index_inputs_save(
        acting_user=None,
        framework=framework,
        subject=da_nang,
        values={"HTKT_DIEM": "0.7925", "HTNL_DIEM": "0.9538", "UDCNTT_DIEM": "0.85"},
    )
    index_inputs_save(
        acting_user=None,
        framework=framework,
        subject=other,
        values={"HTKT_DIEM": "0.80", "HTNL_DIEM": "0.70", "UDCNTT_DIEM": "0.75"},
    )
    table = index_table(framework)
    first = table.rows[0]
    assert first.subject.name == "Đà Nẵng" and first.score == D("0.8654") and first.rank == 1
    assert [score for _c, score in first.components] == [D("0.7925"), D("0.9538"), D("0.8500")]
    assert table.rows[1].rank == 2 and table.rows[1].score == D("0.7500")


@pytest.mark.django_db
def test_rank_change_against_the_previous_years_version() -> None:
    f2018 = framework_install(acting_user=None, definition=frameworks.ICT_INDEX_2016, year=2018)
    f2019 = framework_install(acting_user=None, definition=frameworks.ICT_INDEX_2016, year=2019)
    subjects = [
        index_subject_save(acting_user=None, code=c, name=n) for c, n in (("A", "Tỉnh A"), ("B", "Tỉnh B"), ("C", "Tỉnh C"))
    ]
    for framework, scores in ((f2018, ("0.5", "0.6", "0.7")), (f2019, ("0.9", "0.6", "0.6"))):
        for subject, score in zip(subjects, scores, strict=True):
            index_inputs_save(
                acting_user=None,
                framework=framework,
                subject=subject,
                values={"HTKT_DIEM": score, "HTNL_DIEM": score, "UDCNTT_DIEM": score},
            )
    rows = {r.subject.code: r for r in index_table(f2019).rows}
    assert (rows["A"].rank, rows["A"].previous_rank, rows["A"].rank_change) == (1, 3, 2)
    assert (rows["B"].rank, rows["C"].rank) == (2, 2)  # tie
    assert rows["C"].rank_change == -1 and rows["B"].rank_change == 0


@pytest.mark.django_db
def test_dti_province_points_and_pillars() -> None:
    framework = framework_install(acting_user=None, definition=frameworks.DTI_PROVINCE_2022, year=2022)
    assert framework.total_points == 1000
    assert sum(c.points for c in framework.components.all()) == 1000
    scores = {
        "NHAN_THUC_DIEM": "0.8",
        "THE_CHE_DIEM": "0.7",
        "HA_TANG_DIEM": "0.6",
        "NHAN_LUC_DIEM": "0.5",
        "AN_TOAN_DIEM": "0.4",
        "DO_THI_DIEM": "0.9",
        "HD_CQS_DIEM": "0.5",
        "HD_KTS_DIEM": "0.3",
        "HD_XHS_DIEM": "0.6",
    }
    subject = index_subject_save(acting_user=None, code="91", name="An Giang")
    index_inputs_save(acting_user=None, framework=framework, subject=subject, values=scores)
    (row,) = index_table(framework).rows
    # DTI = Σ sub-index × points / 1000; smart city scores 0 points
    expected = (D("0.8") + D("0.7") + D("0.6") + D("0.5") + D("0.4")) * 100 + D("0.5") * 200 + D("0.3") * 150 + D("0.6") * 150
    assert row.score == (expected / 1000).quantize(D("0.0001"))
    foundation = 100 * (D("0.8") + D("0.7") + D("0.6") + D("0.5") + D("0.4"))  # F = 300
    pillars = {p.code: s for p, s in row.pillars}
    assert pillars["TC_CQS"] == ((foundation + 200 * D("0.5")) / 700).quantize(D("0.0001"))  # 400/700 = 0,5714
    assert pillars["TC_KTS"] == ((foundation + 150 * D("0.3")) / 650).quantize(D("0.0001"))  # 345/650 = 0,5308
    assert pillars["TC_XHS"] == ((foundation + 150 * D("0.6")) / 650).quantize(D("0.0001"))  # 390/650 = 0,6
    assert pillars["TC_CQS"] == D("0.5714") and pillars["TC_XHS"] == D("0.6000")


@pytest.mark.django_db
def test_installing_a_framework_twice_changes_nothing() -> None:
    framework_install(acting_user=None, definition=frameworks.DTI_PROVINCE_2022, year=2022)
    framework_install(acting_user=None, definition=frameworks.DTI_PROVINCE_2022, year=2022)
    assert IndexFramework.objects.count() == 1
    assert IndexFramework.objects.get().components.count() == 9
