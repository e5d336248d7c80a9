"""`analytics.scopes_of` (every scope at once, for the pivot of thousands of units) gives exactly what
`scope_organisations` gives one root at a time, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from eprovince.core.models import Organisation
from eprovince.core.services.organisations import organisation_update
from eprovince.core.testing import make_org

from ..analytics import scope_organisations, scopes_of
from . import factories as f
from .test_analytics import reorganised  # noqa: F401  (the fixture: a merger of two provinces, a split district)

pytestmark = pytest.mark.django_db


def test_every_scope_matches_the_one_root_rule(world: f.World, reorganised) -> None:  # noqa: F811
    organisations = list(Organisation.objects.all())
    assert len(organisations) > 5
    batched = scopes_of(organisations)
    for org in organisations:
        assert batched[org.pk] == scope_organisations(org), org.name
    # the cases the rules are about, so the comparison above is not between two empty answers
    assert {reorganised["cuu_long"].pk, reorganised["hon_dat"].pk, world.tanchau.pk} <= batched[world.province.pk]
    assert world.tanchau.pk not in batched[reorganised["ward"].pk]
    assert reorganised["cuu_long"].pk in batched[world.department.pk]


def test_the_number_of_queries_does_not_grow_with_the_roots(
    world: f.World,
    reorganised,  # noqa: F811
    django_assert_max_num_queries,
) -> None:
    organisations = list(Organisation.objects.all())
    with django_assert_max_num_queries(5):  # the structure token, the three tables, the token again
        first = scopes_of(organisations)
    with django_assert_max_num_queries(1):  # kept while the structure does not change: the token only
        assert scopes_of(organisations) == first
    assert scopes_of([]) == {}


def test_a_change_of_the_structure_is_seen_at_once(world: f.World, reorganised) -> None:  # noqa: F811
    before = scopes_of([world.province])[world.province.pk]
    commune = make_org("Ủy ban nhân dân xã Mới", parent=world.province)
    assert scopes_of([world.province])[world.province.pk] == before | {commune.pk}
    # a successor link named afterwards brings the former organisation into its successor's scope
    former = make_org("Sở cũ", parent=world.province, valid_to=dt.date(2025, 2, 28))
    assert former.pk not in scopes_of([world.department])[world.department.pk]
    organisation_update(organisation=former, acting_user=None, successor=world.department)
    assert former.pk in scopes_of([world.department])[world.department.pk]
    # and every answer stays the one-root rule's
    for org in Organisation.objects.all():
        assert scopes_of([org])[org.pk] == scope_organisations(org), org.name


def test_index_items_backed_by_the_catalogue_read_each_subjects_own_scope(world: f.World, reorganised) -> None:  # noqa: F811
    from ..rankings import index_table
    from ..services import indices

    meetings = world.elements["ONLINE_MEETINGS"]
    framework = indices.framework_install(
        acting_user=None,
        definition={
            "code": "THU_NGHIEM",
            "name": "Chỉ số thử nghiệm",
            "aggregation": "weighted_mean",
            "components": [
                {
                    "code": "HOP",
                    "name": "Hội nghị",
                    "items": [{"code": "HOP_TT", "name": "Hội nghị trực tuyến", "element": meetings, "normalisation": "min_max"}],
                }
            ],
        },
        year=2024,
    )
    for code, org in (("TINH", world.province), ("TANCHAU", world.tanchau), ("SO", world.department)):
        indices.index_subject_save(acting_user=None, code=code, name=org.name, organisation=org, frameworks=[framework])
    table = index_table(framework)
    raw = {row.subject.code: row.raw["HOP_TT"] for row in table.rows}
    # 2024: the province counts former Tân Châu (12), Hòn Đất (5) and the merged province's department (7)
    assert raw == {"TINH": 24, "TANCHAU": 12, "SO": 7}
    assert [row.subject.code for row in table.rows if row.rank == 1] == ["TINH"]
