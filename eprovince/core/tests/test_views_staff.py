import pytest
from django.urls import reverse

from eprovince.core.constants import AuditAction, OrganisationKind, Role
from eprovince.core.models import AuditEvent, Organisation, RoleAssignment, User
from eprovince.core.testing import TEST_PASSWORD, make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    province = make_org("UBND tỉnh An Giang", kind=OrganisationKind.PEOPLES_COMMITTEE)
    return {
        "province": province,
        "tanchau": make_org("UBND thị xã Tân Châu", parent=province, kind=OrganisationKind.PEOPLES_COMMITTEE),
        "chauthanh": make_org("UBND huyện Châu Thành", parent=province, kind=OrganisationKind.PEOPLES_COMMITTEE),
    }


def test_login_page_lists_demo_accounts_only_in_demo_mode(client, settings):
    settings.DEMO_MODE = True
    assert "Tài khoản dùng thử" in client.get(reverse("core:login")).content.decode()
    settings.DEMO_MODE = False
    assert "Tài khoản dùng thử" not in client.get(reverse("core:login")).content.decode()


def test_login_then_staff_home_lists_only_the_users_modules(client, tree):
    make_user("tam", (Role.REPORTING_OFFICER, tree["tanchau"]))
    response = client.post(reverse("core:login"), {"username": "tam", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("core:staff_home")
    page = client.get(reverse("core:staff_home")).content.decode()
    assert "Cơ quan, đơn vị" in page
    assert "Nhật ký hệ thống" not in page and "Người dùng và phân quyền" not in page


def test_wrong_password_shows_vietnamese_error_and_401(client):
    make_user("tam")
    response = client.post(reverse("core:login"), {"username": "tam", "password": "sai"})
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_login_ignores_offsite_next(client):
    make_user("tam")
    response = client.post(reverse("core:login") + "?next=https://evil.example/", {"username": "tam", "password": TEST_PASSWORD})
    assert response.url == reverse("core:staff_home")


def test_officer_is_denied_another_districts_record(client, tree):
    officer = make_user("tam", (Role.REPORTING_OFFICER, tree["tanchau"]))
    client.force_login(officer)
    assert client.get(reverse("core:organisation_detail", args=[tree["tanchau"].pk])).status_code == 200
    assert client.get(reverse("core:organisation_detail", args=[tree["chauthanh"].pk])).status_code == 404
    listing = client.get(reverse("core:organisation_list")).content.decode()
    assert "Tân Châu" in listing and "Châu Thành" not in listing


def test_forged_organisation_id_gives_404(client, tree):
    client.force_login(make_user("root", Role.ADMIN))
    assert client.get(reverse("core:organisation_detail", args=[999999])).status_code == 404


def test_audit_viewer_is_for_administrators_only(client, tree):
    client.force_login(make_user("tam", (Role.LEADER, tree["province"])))
    assert client.get(reverse("core:audit_list")).status_code == 403
    client.force_login(make_user("root", Role.ADMIN))
    page = client.get(reverse("core:audit_list"), {"action": "create"})
    assert page.status_code == 200 and "UBND thị xã Tân Châu" in page.content.decode()


def test_audit_viewer_filters_and_rejects_inverted_dates(client, tree):
    client.force_login(make_user("root", Role.ADMIN))
    page = client.get(reverse("core:audit_list"), {"date_from": "01/02/2026", "date_to": "01/01/2026"}).content.decode()
    assert "phải trước hoặc bằng" in page
    event = AuditEvent.objects.filter(object_repr="UBND huyện Châu Thành").first()
    detail = client.get(reverse("core:audit_detail", args=[event.pk])).content.decode()
    assert "UBND huyện Châu Thành" in detail


def test_admin_edits_an_organisation_with_a_reason_and_it_is_audited(client, tree):
    admin = make_user("root", Role.ADMIN)
    client.force_login(admin)
    url = reverse("core:organisation_edit", args=[tree["tanchau"].pk])
    data = {
        "name": "UBND thị xã Tân Châu (mới)",
        "kind": OrganisationKind.PEOPLES_COMMITTEE,
        "parent": tree["province"].pk,
        "electronic_code": "000.00.05.H01",
        "reason": "Cập nhật theo quyết định",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert Organisation.objects.get(pk=tree["tanchau"].pk).name == "UBND thị xã Tân Châu (mới)"
    assert AuditEvent.objects.filter(actor=admin, action=AuditAction.UPDATE, reason="Cập nhật theo quyết định").exists()


def test_bad_electronic_code_is_refused_and_nothing_changes(client, tree):
    client.force_login(make_user("root", Role.ADMIN))
    url = reverse("core:organisation_edit", args=[tree["tanchau"].pk])
    response = client.post(
        url, {"name": "X", "kind": OrganisationKind.PEOPLES_COMMITTEE, "electronic_code": "H01", "reason": "thử"}
    )
    assert response.status_code == 200
    assert "000.00.00.H30" in response.content.decode()
    assert Organisation.objects.get(pk=tree["tanchau"].pk).name == "UBND thị xã Tân Châu"


def test_non_admin_cannot_edit_organisations_or_users(client, tree):
    client.force_login(make_user("tam", (Role.LEADER, tree["province"])))
    assert client.get(reverse("core:organisation_edit", args=[tree["tanchau"].pk])).status_code == 403
    assert client.get(reverse("core:user_list")).status_code == 403


def test_admin_creates_user_grants_and_revokes_a_role(client, tree):
    admin = make_user("root", Role.ADMIN)
    client.force_login(admin)
    response = client.post(
        reverse("core:user_create"), {"username": "mai", "full_name": "Lý Thị Mai", "password": "mat-khau-rat-dai-1"}
    )
    mai = User.objects.get(username="mai")
    assert response.url == reverse("core:user_detail", args=[mai.pk]) and mai.check_password("mat-khau-rat-dai-1")
    client.post(
        reverse("core:user_detail", args=[mai.pk]),
        {"role": Role.SPECIALIST, "organisation": tree["chauthanh"].pk, "reason": "Điều động"},
    )
    assignment = RoleAssignment.objects.get(user=mai)
    assert assignment.organisation == tree["chauthanh"]
    client.post(reverse("core:role_revoke", args=[mai.pk, assignment.pk]), {"reason": ""})
    assert RoleAssignment.objects.filter(user=mai).exists(), "revoking needs a reason"
    client.post(reverse("core:role_revoke", args=[mai.pk, assignment.pk]), {"reason": "Nghỉ hưu"})
    assert not RoleAssignment.objects.filter(user=mai).exists()
    assert AuditEvent.objects.filter(action=AuditAction.REVOKE, reason="Nghỉ hưu").exists()


def test_duplicate_username_is_refused(client):
    client.force_login(make_user("root", Role.ADMIN))
    response = client.post(reverse("core:user_create"), {"username": "ROOT", "full_name": "X", "password": "mat-khau-rat-dai-1"})
    assert "đã được sử dụng" in response.content.decode()


def test_unknown_url_gives_friendly_404(client):
    response = client.get("/khong-ton-tai/")
    assert response.status_code == 404 and "Không tìm thấy trang" in response.content.decode()


def test_unknown_api_url_gives_json_404(client):
    response = client.get("/api/v1/khong-ton-tai")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_language_switch_sets_cookie_and_returns_to_the_page(client):
    response = client.get(reverse("core:language", args=["en"]), {"next": "/tin-tuc/"})
    assert response.status_code == 302 and response.url == "/tin-tuc/"
    assert response.cookies["django_language"].value == "en"
    assert client.get("/").content.decode().count('lang="en"') >= 1


def test_language_switch_refuses_offsite_next_and_unknown_language(client):
    response = client.get(reverse("core:language", args=["fr"]), {"next": "https://evil.example/"})
    assert response.url == "/" and "django_language" not in response.cookies


def test_every_registered_module_opens_a_real_page():
    """A module on the staff home must lead somewhere: unbuilt modules are absent, not broken links."""
    from eprovince.core import modules

    for module in modules._registry.values():
        assert module.url.startswith("/"), module.key
