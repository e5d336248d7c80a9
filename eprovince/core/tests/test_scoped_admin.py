"""A scoped administrator is scoped (issue 10, "Authorisation"): an administrator of one commune People's Committee
administers that commune and what is below it, nothing else; the platform's own pages (audit trail, roles with no
organisation) are a platform administrator's. Built like the demo: the province, its Department with divisions, two
communes, each with an office."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eprovince.core.constants import AuditAction, OrganisationKind, Role
from eprovince.core.models import AuditEvent, Organisation, RoleAssignment, User
from eprovince.core.permissions import administered_organisations, can_administer, forget_cached_roles
from eprovince.core.services.accounts import (
    position_assign,
    role_grant,
    role_revoke,
    user_create,
    user_unlock,
    user_update,
)
from eprovince.core.services.organisations import organisation_create, organisation_update
from eprovince.core.testing import make_org, make_user

pytestmark = pytest.mark.django_db

PC = OrganisationKind.PEOPLES_COMMITTEE


@pytest.fixture
def world() -> dict:
    province = make_org("Ủy ban nhân dân tỉnh An Giang", kind=PC)
    dept = make_org("Sở Khoa học và Công nghệ", parent=province)
    division = make_org("Phòng Bưu chính, Viễn thông", parent=dept, kind=OrganisationKind.DIVISION)
    commune = make_org("UBND xã Mỹ Hòa Hưng", parent=province, kind=PC)
    office = make_org("Văn phòng HĐND và UBND xã Mỹ Hòa Hưng", parent=commune, kind=OrganisationKind.DIVISION)
    other_commune = make_org("UBND xã Bình Hòa", parent=province, kind=PC)
    w = {
        "province": province, "dept": dept, "division": division,
        "commune": commune, "office": office, "other_commune": other_commune,
    }  # fmt: skip
    w["root"] = make_user("quantri", Role.ADMIN, full_name="Quản trị toàn hệ thống")
    w["xa_admin"] = make_user("quantri_xa", (Role.ADMIN, commune), full_name="Quản trị UBND xã")
    w["xa_staff"] = make_user("canbo_xa", (Role.REPORTING_OFFICER, office), full_name="Cán bộ xã")
    w["dept_staff"] = make_user("chuyenvien", (Role.SPECIALIST, division), full_name="Chuyên viên Sở")
    w["other_staff"] = make_user("canbo_binhhoa", (Role.REPORTING_OFFICER, other_commune))
    return w


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def roles_of(user: User) -> set[tuple[str, int | None]]:
    return set(RoleAssignment.objects.filter(user=user).values_list("role", "organisation_id"))


# --- The reported attack, first --------------------------------------------------------------------------------------


def test_a_commune_administrator_cannot_make_themselves_platform_administrator(world):
    me = world["xa_admin"]
    before = roles_of(me)
    response = client_for(me).post(
        reverse("core:user_detail", args=[me.pk]), {"role": Role.ADMIN, "organisation": "", "reason": "x"}
    )
    assert response.status_code in (400, 403)
    assert roles_of(me) == before
    assert not can_administer(User.objects.get(pk=me.pk), None)
    assert not AuditEvent.objects.filter(action=AuditAction.GRANT, actor=me).exists()


def test_nobody_grants_themselves_a_role_even_inside_their_own_scope(world):
    me = world["xa_admin"]
    response = client_for(me).post(
        reverse("core:user_detail", args=[me.pk]), {"role": Role.LEADER, "organisation": world["office"].pk, "reason": "x"}
    )
    assert response.status_code in (400, 403)
    assert roles_of(me) == {(Role.ADMIN, world["commune"].pk)}
    with pytest.raises(PermissionDenied):
        role_grant(user=me, role=Role.LEADER, organisation=world["office"], acting_user=me)
    root = world["root"]
    with pytest.raises(PermissionDenied):
        role_grant(user=root, role=Role.LEADER, organisation=world["office"], acting_user=root)


def test_nobody_revokes_their_own_role(world):
    me = world["xa_admin"]
    assignment = RoleAssignment.objects.get(user=me)
    with pytest.raises(PermissionDenied):
        role_revoke(assignment=assignment, acting_user=me, reason="x")
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


# --- Users -----------------------------------------------------------------------------------------------------------


def test_a_commune_administrator_lists_only_the_communes_people(world):
    page = client_for(world["xa_admin"]).get(reverse("core:user_list"))
    assert page.status_code == 200
    names = {u.username for u in page.context["page_obj"]}
    assert names == {"quantri_xa", "canbo_xa"}
    everyone = client_for(world["root"]).get(reverse("core:user_list"))
    assert {"quantri", "chuyenvien", "canbo_binhhoa", "canbo_xa"} <= {u.username for u in everyone.context["page_obj"]}


def test_other_agencies_accounts_answer_404_to_a_commune_administrator(world):
    client = client_for(world["xa_admin"])
    for target in (world["dept_staff"], world["other_staff"], world["root"]):
        assert client.get(reverse("core:user_detail", args=[target.pk])).status_code == 404
        assert client.post(reverse("core:user_unlock", args=[target.pk]), {"reason": "x"}).status_code == 404
        response = client.post(
            reverse("core:user_detail", args=[target.pk]),
            {"role": Role.REPORTING_OFFICER, "organisation": world["office"].pk, "reason": "x"},
        )
        assert response.status_code == 404
        assignment = RoleAssignment.objects.filter(user=target).first()
        response = client.post(reverse("core:role_revoke", args=[target.pk, assignment.pk]), {"reason": "x"})
        assert response.status_code == 404
        assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_commune_administrator_unlocks_the_communes_staff_only(world):
    for user in (world["xa_staff"], world["dept_staff"]):
        User.objects.filter(pk=user.pk).update(locked_until=timezone.now() + timezone.timedelta(minutes=10))
    client = client_for(world["xa_admin"])
    assert client.post(reverse("core:user_unlock", args=[world["xa_staff"].pk]), {"reason": "x"}).status_code == 302
    assert User.objects.get(pk=world["xa_staff"].pk).locked_until is None
    with pytest.raises(PermissionDenied):
        user_unlock(user=world["dept_staff"], acting_user=world["xa_admin"], reason="x")
    assert User.objects.get(pk=world["dept_staff"].pk).locked_until is not None


def test_an_account_also_holding_roles_elsewhere_is_not_the_communes_to_change(world):
    """A Department specialist who also reports for the commune is visible to the commune's administrator, who may
    grant and revoke roles in the commune, but may not unlock, deactivate or rename that account."""
    shared = world["dept_staff"]
    commune_role = role_grant(user=shared, role=Role.REPORTING_OFFICER, organisation=world["office"], acting_user=None)
    User.objects.filter(pk=shared.pk).update(locked_until=timezone.now() + timezone.timedelta(minutes=10))
    client = client_for(world["xa_admin"])
    page = client.get(reverse("core:user_detail", args=[shared.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ngoài phạm vi bạn quản trị" in html and reverse("core:user_unlock", args=[shared.pk]) not in html
    assert client.post(reverse("core:user_unlock", args=[shared.pk]), {"reason": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        user_update(user=shared, acting_user=world["xa_admin"], is_active=False)
    assert User.objects.get(pk=shared.pk).is_active
    dept_role = RoleAssignment.objects.get(user=shared, organisation=world["division"])
    assert client.post(reverse("core:role_revoke", args=[shared.pk, dept_role.pk]), {"reason": "x"}).status_code == 403
    assert RoleAssignment.objects.filter(pk=dept_role.pk).exists()
    assert client.post(reverse("core:role_revoke", args=[shared.pk, commune_role.pk]), {"reason": "x"}).status_code == 302
    assert not RoleAssignment.objects.filter(pk=commune_role.pk).exists()


def test_grant_form_offers_only_organisations_in_scope_and_a_forged_id_grants_nothing(world):
    client = client_for(world["xa_admin"])
    target = world["xa_staff"]
    page = client.get(reverse("core:user_detail", args=[target.pk]))
    offered = set(page.context["form"].fields["organisation"].queryset.values_list("pk", flat=True))
    assert offered == {world["commune"].pk, world["office"].pk}
    before = roles_of(target)
    for org in ("", world["province"].pk, world["dept"].pk, world["other_commune"].pk, 999999, "abc"):
        response = client.post(
            reverse("core:user_detail", args=[target.pk]), {"role": Role.ADMIN, "organisation": org, "reason": "x"}
        )
        assert response.status_code == 400
        assert roles_of(target) == before
    response = client.post(
        reverse("core:user_detail", args=[target.pk]), {"role": Role.LEADER, "organisation": world["office"].pk, "reason": "x"}
    )
    assert response.status_code == 302
    assert (Role.LEADER, world["office"].pk) in roles_of(target)


def test_a_commune_administrator_creates_an_account_inside_the_commune_only(world):
    client = client_for(world["xa_admin"])
    data = {"username": "moi", "full_name": "Người Mới", "password": "mat-khau-rat-dai-1", "reason": "Tuyển dụng"}
    response = client.post(reverse("core:user_create"), data)
    assert response.status_code == 400, "a scoped administrator's new account needs an organisation in scope"
    assert "organisation" in response.context["form"].errors
    response = client.post(reverse("core:user_create"), {**data, "organisation": world["dept"].pk, "role": Role.SPECIALIST})
    assert response.status_code == 400 and not User.objects.filter(username="moi").exists()
    response = client.post(reverse("core:user_create"), {**data, "organisation": world["office"].pk})
    assert response.status_code == 400 and "role" in response.context["form"].errors
    response = client.post(
        reverse("core:user_create"),
        {**data, "organisation": world["office"].pk, "role": Role.REPORTING_OFFICER, "title": "Công chức văn phòng"},
    )
    new = User.objects.get(username="moi")
    assert response.status_code == 302 and response.url == reverse("core:user_detail", args=[new.pk])
    assert roles_of(new) == {(Role.REPORTING_OFFICER, world["office"].pk)}
    assert new.positions.get().organisation == world["office"]
    assert client.get(reverse("core:user_detail", args=[new.pk])).status_code == 200


def test_only_a_platform_administrator_creates_an_account_with_no_organisation_or_technical_access(world):
    with pytest.raises(ValidationError):
        user_create(acting_user=world["xa_admin"], username="a1", password="mat-khau-rat-dai-1")
    with pytest.raises(PermissionDenied):
        user_create(
            acting_user=world["xa_admin"], username="a2", password="mat-khau-rat-dai-1",
            organisation=world["office"], role=Role.REPORTING_OFFICER, is_staff=True,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        user_create(acting_user=world["root"], username="a3", password="mat-khau-rat-dai-1", is_superuser=True)
    assert not User.objects.filter(username__in=["a1", "a2", "a3"]).exists()
    assert user_create(acting_user=world["root"], username="a4", password="mat-khau-rat-dai-1").pk


def test_position_is_assigned_only_inside_administered_organisations(world):
    with pytest.raises(PermissionDenied):
        position_assign(user=world["xa_staff"], organisation=world["dept"], title="Chuyên viên", acting_user=world["xa_admin"])


# --- Passwords -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["1234567890", "password123", "quantrimoi1"])
def test_weak_passwords_are_refused_for_every_account(world, password):
    with pytest.raises(ValidationError) as caught:
        user_create(acting_user=None, username="quantrimoi1", password=password, full_name="X")
    assert "password" in caught.value.message_dict
    assert not User.objects.filter(username="quantrimoi1").exists()


def test_the_create_form_shows_the_password_validators_messages(world):
    response = client_for(world["root"]).post(
        reverse("core:user_create"), {"username": "yeu", "full_name": "Mật Khẩu Yếu", "password": "1234567890"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["password"]
    assert errors and not User.objects.filter(username="yeu").exists()
    assert any("số" in e or "phổ biến" in e or "common" in e for e in errors), errors


# --- Organisations ---------------------------------------------------------------------------------------------------


def test_a_commune_administrator_creates_organisations_only_inside_the_commune(world):
    client = client_for(world["xa_admin"])
    form = client.get(reverse("core:organisation_create")).context["form"]
    assert set(form.fields["parent"].queryset.values_list("pk", flat=True)) == {world["commune"].pk, world["office"].pk}
    data = {"name": "Ban Chỉ huy Quân sự xã", "kind": OrganisationKind.DIVISION, "reason": "Thành lập"}
    for parent in ("", world["dept"].pk, world["province"].pk, world["other_commune"].pk):
        response = client.post(reverse("core:organisation_create"), {**data, "parent": parent})
        assert response.status_code == 200 and response.context["form"].errors
        assert not Organisation.objects.filter(name=data["name"]).exists()
    response = client.post(reverse("core:organisation_create"), {**data, "parent": world["commune"].pk})
    assert response.status_code == 302
    assert Organisation.objects.get(name=data["name"]).parent == world["commune"]


def test_organisation_services_refuse_placements_outside_scope(world):
    actor = world["xa_admin"]
    with pytest.raises(ValidationError):
        organisation_create(acting_user=actor, name="Cơ quan cấp tỉnh mới", kind=PC)
    with pytest.raises(ValidationError):
        organisation_create(acting_user=actor, name="Phòng mới của Sở", kind=PC, parent=world["dept"])
    with pytest.raises(PermissionDenied):
        organisation_update(organisation=world["dept"], acting_user=actor, name="Sở đổi tên")
    with pytest.raises(ValidationError):
        organisation_update(organisation=world["office"], acting_user=actor, parent=world["other_commune"])
    with pytest.raises(ValidationError):
        organisation_update(organisation=world["office"], acting_user=actor, successor=world["dept"])
    assert Organisation.objects.get(pk=world["dept"].pk).name == "Sở Khoa học và Công nghệ"
    assert Organisation.objects.get(pk=world["office"].pk).parent == world["commune"]


def test_a_commune_administrator_edits_the_commune_but_not_other_agencies(world):
    client = client_for(world["xa_admin"])
    assert client.get(reverse("core:organisation_edit", args=[world["dept"].pk])).status_code == 404
    assert client.get(reverse("core:organisation_edit", args=[world["other_commune"].pk])).status_code == 404
    data = {
        "name": "UBND xã Mỹ Hòa Hưng (sửa)", "kind": PC, "parent": world["province"].pk, "reason": "Sửa tên",
    }  # fmt: skip
    response = client.post(reverse("core:organisation_edit", args=[world["commune"].pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else None
    assert Organisation.objects.get(pk=world["commune"].pk).name == "UBND xã Mỹ Hòa Hưng (sửa)"
    response = client.post(
        reverse("core:organisation_edit", args=[world["office"].pk]),
        {"name": "Văn phòng", "kind": OrganisationKind.DIVISION, "parent": world["other_commune"].pk, "reason": "x"},
    )
    assert response.status_code == 200 and "parent" in response.context["form"].errors


def test_a_leader_who_sees_an_organisation_cannot_edit_it(world):
    leader = make_user("lanhdao", (Role.LEADER, world["province"]))
    client = client_for(leader)
    assert client.get(reverse("core:organisation_detail", args=[world["dept"].pk])).status_code == 200
    assert client.get(reverse("core:organisation_edit", args=[world["dept"].pk])).status_code == 403


# --- Audit trail -----------------------------------------------------------------------------------------------------


def test_the_audit_trail_is_the_platform_administrators_only(world):
    event = AuditEvent.objects.filter(object_repr=world["dept"].name).first()
    scoped = client_for(world["xa_admin"])
    assert scoped.get(reverse("core:audit_list")).status_code == 403
    assert scoped.get(reverse("core:audit_detail", args=[event.pk])).status_code == 403
    root = client_for(world["root"])
    assert root.get(reverse("core:audit_list")).status_code == 200
    assert root.get(reverse("core:audit_detail", args=[event.pk])).status_code == 200


def test_the_organisation_page_shows_its_history_to_its_administrators_without_links_to_the_trail(world):
    page = client_for(world["xa_admin"]).get(reverse("core:organisation_detail", args=[world["commune"].pk]))
    assert page.status_code == 200 and page.context["history"]
    assert reverse("core:audit_list") not in page.content.decode()
    assert "/can-bo/nhat-ky/" not in page.content.decode()


# --- A platform administrator still does everything -------------------------------------------------------------------


def test_a_platform_administrator_still_administers_everything(world):
    root = world["root"]
    client = client_for(root)
    for target in (world["dept_staff"], world["other_staff"], world["xa_admin"]):
        assert client.get(reverse("core:user_detail", args=[target.pk])).status_code == 200
    response = client.post(
        reverse("core:user_detail", args=[world["xa_admin"].pk]), {"role": Role.ADMIN, "organisation": "", "reason": "x"}
    )
    assert response.status_code == 302 and (Role.ADMIN, None) in roles_of(world["xa_admin"])
    org = organisation_create(acting_user=root, name="Sở Y tế", kind=OrganisationKind.DEPARTMENT, parent=world["province"])
    organisation_update(organisation=org, acting_user=root, parent=None)
    assert client.get(reverse("core:organisation_edit", args=[world["dept"].pk])).status_code == 200


# --- The grant law, over every case ------------------------------------------------------------------------------------


def _ancestors_or_self(org: Organisation | None) -> list[int]:
    """Walked by parent links, not by paths, so the reference is independent of has_role's prefix match."""
    chain = []
    while org is not None:
        chain.append(org.pk)
        org = org.parent
    return chain


def test_grant_law_a_grant_succeeds_iff_the_actor_administers_the_organisation_and_is_not_the_target(world):
    actors = {
        "platform": world["root"],
        "province": make_user("qt_tinh", (Role.ADMIN, world["province"])),
        "commune": world["xa_admin"],
        "office": make_user("qt_vanphong", (Role.ADMIN, world["office"])),
        "leader": make_user("lanhdao", (Role.LEADER, world["province"])),
        "superuser": make_user("su", is_superuser=True),
    }
    held_at = {  # where each actor holds the administrator role: "*" everywhere, None nowhere
        "platform": "*", "superuser": "*", "province": world["province"].pk, "commune": world["commune"].pk,
        "office": world["office"].pk, "leader": None,
    }  # fmt: skip
    targets = [None, *(world[k] for k in ("province", "dept", "division", "commune", "office", "other_commune"))]
    other = world["xa_staff"]
    checked = 0
    for (name, actor), org, to_self, role in itertools.product(
        actors.items(), targets, (False, True), (Role.ADMIN, Role.LEADER, Role.CITIZEN)
    ):
        user = actor if to_self else other
        if org is not None:
            org = Organisation.objects.get(pk=org.pk)
        administers = held_at[name] == "*" or (
            held_at[name] is not None and org is not None and held_at[name] in _ancestors_or_self(org)
        )
        expected = administers and not to_self
        before = roles_of(user)
        try:
            assignment = role_grant(user=user, role=role, organisation=org, acting_user=actor, reason="luật")
        except (PermissionDenied, ValidationError):
            granted = False
        else:
            granted = True
        assert granted == expected, (name, org, to_self, role)
        if granted:
            assert (role, org.pk if org else None) in roles_of(user)
            if (role, org.pk if org else None) not in before:
                role_revoke(assignment=assignment, acting_user=None, reason="dọn")
        else:
            assert roles_of(user) == before
        forget_cached_roles(actor)
        forget_cached_roles(user)
        checked += 1
    assert checked == 6 * 7 * 2 * 3


def test_revoke_law_mirrors_the_grant_law(world):
    assignment = RoleAssignment.objects.get(user=world["other_staff"])
    with pytest.raises(PermissionDenied):
        role_revoke(assignment=assignment, acting_user=world["xa_admin"], reason="x")
    wide = role_grant(user=world["xa_staff"], role=Role.LEADER, organisation=None, acting_user=None)
    with pytest.raises(PermissionDenied):
        role_revoke(assignment=wide, acting_user=world["xa_admin"], reason="x")
    role_revoke(assignment=wide, acting_user=world["root"], reason="x")
    assert not RoleAssignment.objects.filter(pk=wide.pk).exists()


def test_administered_organisations_are_the_subtree_of_the_admin_role(world):
    assert set(administered_organisations(world["xa_admin"])) == {world["commune"], world["office"]}
    assert administered_organisations(world["xa_staff"]).count() == 0
    assert administered_organisations(world["root"]).count() == Organisation.objects.count()


def test_the_scoped_user_list_costs_the_same_queries_for_more_people(world):
    client = client_for(world["xa_admin"])
    client.get(reverse("core:user_list"))  # warm the session and the roles

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("core:user_list"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(5):
        make_user(f"canbo_xa_{n}", (Role.REPORTING_OFFICER, world["office"]))
    assert count() == few
