import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eprovince.core.constants import OrganisationKind, Role
from eprovince.core.models import Organisation
from eprovince.core.permissions import has_role, scope_queryset, scoped_organisations
from eprovince.core.services.organisations import organisation_update
from eprovince.core.testing import make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    province = make_org("UBND tỉnh", kind=OrganisationKind.PEOPLES_COMMITTEE)
    tanchau = make_org("UBND thị xã Tân Châu", parent=province, kind=OrganisationKind.PEOPLES_COMMITTEE)
    chauthanh = make_org("UBND huyện Châu Thành", parent=province, kind=OrganisationKind.PEOPLES_COMMITTEE)
    tanchau_office = make_org("Văn phòng HĐND và UBND thị xã Tân Châu", parent=tanchau, kind=OrganisationKind.DIVISION)
    return {"province": province, "tanchau": tanchau, "chauthanh": chauthanh, "tanchau_office": tanchau_office}


def test_role_covers_its_organisation_and_descendants_only(tree):
    officer = make_user("tam", (Role.REPORTING_OFFICER, tree["tanchau"]))
    assert has_role(officer, Role.REPORTING_OFFICER, organisation=tree["tanchau"])
    assert has_role(officer, Role.REPORTING_OFFICER, organisation=tree["tanchau_office"])
    assert not has_role(officer, Role.REPORTING_OFFICER, organisation=tree["chauthanh"])
    assert not has_role(officer, Role.REPORTING_OFFICER, organisation=tree["province"])
    assert not has_role(officer, Role.LEADER, organisation=tree["tanchau"])


def test_scoped_organisations_never_include_another_district(tree):
    officer = make_user("tam", (Role.REPORTING_OFFICER, tree["tanchau"]))
    names = set(scoped_organisations(officer, Role.REPORTING_OFFICER).values_list("name", flat=True))
    assert names == {"UBND thị xã Tân Châu", "Văn phòng HĐND và UBND thị xã Tân Châu"}


def test_platform_wide_role_and_superuser_see_everything(tree):
    admin = make_user("root", Role.ADMIN)
    assert scoped_organisations(admin, Role.ADMIN).count() == 4
    superuser = make_user("su", is_superuser=True)
    assert has_role(superuser, Role.LEADER, organisation=tree["chauthanh"])


def test_anonymous_and_inactive_users_hold_no_role(tree):
    from django.contrib.auth.models import AnonymousUser

    assert not has_role(AnonymousUser(), Role.CITIZEN)
    assert scoped_organisations(AnonymousUser(), Role.ADMIN).count() == 0
    inactive = make_user("x", Role.ADMIN, is_staff=False)
    inactive.is_active = False
    assert not has_role(inactive, Role.ADMIN)


def test_scope_follows_a_moved_subtree(tree):
    officer = make_user("tam", (Role.REPORTING_OFFICER, tree["tanchau"]))
    organisation_update(organisation=tree["tanchau_office"], acting_user=None, parent=tree["chauthanh"])
    assert not has_role(officer, Role.REPORTING_OFFICER, organisation=Organisation.objects.get(pk=tree["tanchau_office"].pk))


def test_an_organisation_cannot_be_moved_under_its_own_descendant(tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        organisation_update(organisation=tree["tanchau"], acting_user=None, parent=tree["tanchau_office"])


def test_scope_queryset_filters_rows_by_organisation_field(tree):
    from eprovince.core.models import Position
    from eprovince.core.services.accounts import position_assign

    officer = make_user("tam", (Role.REPORTING_OFFICER, tree["tanchau"]))
    other = make_user("mai")
    position_assign(user=other, organisation=tree["chauthanh"], title="Chuyên viên", acting_user=None)
    position_assign(user=other, organisation=tree["tanchau_office"], title="Chuyên viên", acting_user=None)
    visible = scope_queryset(Position.objects.all(), officer, Role.REPORTING_OFFICER)
    assert [p.organisation.name for p in visible] == ["Văn phòng HĐND và UBND thị xã Tân Châu"]


@settings(max_examples=25, deadline=None)
@given(
    parents=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=12),
    holder=st.integers(0, 50),
    target=st.integers(0, 50),
)
def test_law_role_covers_exactly_the_descendants(parents, holder, target):
    """For any random tree: a role held at X covers Y exactly when X is Y or an ancestor of Y."""
    from django.db import transaction

    with transaction.atomic():
        sid = transaction.savepoint_create()
        nodes: list[Organisation] = [make_org("gốc")]
        parent_of: dict[int, int | None] = {0: None}
        for i, p in enumerate(parents, start=1):
            idx = p % len(nodes)
            nodes.append(make_org(f"đơn vị {i}", parent=nodes[idx]))
            parent_of[i] = idx
        h, t = holder % len(nodes), target % len(nodes)
        user = make_user(f"u{len(nodes)}", (Role.SPECIALIST, nodes[h]))
        ancestors, cur = set(), t
        while cur is not None:
            ancestors.add(cur)
            cur = parent_of[cur]
        assert has_role(user, Role.SPECIALIST, organisation=nodes[t]) == (h in ancestors)
        transaction.savepoint_rollback(sid)
