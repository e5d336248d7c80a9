"""Staff forms show every error at once: the service's checks run beside the form's, never in a second round."""

from __future__ import annotations

import pytest
from django.urls import reverse

from eprovince.core.constants import OrganisationKind, Role
from eprovince.core.models import User
from eprovince.core.testing import make_org, make_user

pytestmark = pytest.mark.django_db


def _summary_links(html: str) -> list[str]:
    start = html.index('class="error-summary"')
    return [part.split('"', 1)[0] for part in html[start : html.index("</div>", start)].split('href="#')[1:]]


def test_user_create_lists_the_empty_fields_the_weak_password_and_the_missing_role_together(client):
    province = make_org("UBND tỉnh An Giang", kind=OrganisationKind.PEOPLES_COMMITTEE)
    client.force_login(make_user("root", Role.ADMIN))

    response = client.post(
        reverse("core:user_create"),
        {"username": "", "full_name": "", "password": "1234567890", "organisation": province.pk, "email": "khong-phai-thu"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert _summary_links(html) == ["id_username", "id_full_name", "id_email", "id_password", "id_password", "id_role"]
    assert "Vai trò tại cơ quan: Vui lòng chọn vai trò hoặc nhập chức vụ" in html
    assert "Mật khẩu ban đầu: " in html
    assert not User.objects.filter(full_name="").exclude(username="root").exists()


def test_user_create_still_refuses_what_only_the_service_knows(client):
    client.force_login(make_user("root", Role.ADMIN))

    response = client.post(reverse("core:user_create"), {"username": "mai", "full_name": "Mai", "password": "qwertyuiop"})

    assert response.status_code == 400 and not User.objects.filter(username="mai").exists()
    assert _summary_links(response.content.decode()) == ["id_password"]


def test_an_organisation_placed_outside_the_administrator_s_scope_names_both_links_at_once():
    from django.core.exceptions import ValidationError

    from eprovince.core.services.organisations import organisation_create

    province = make_org("UBND tỉnh An Giang", kind=OrganisationKind.PEOPLES_COMMITTEE)
    tanchau = make_org("UBND thị xã Tân Châu", parent=province, kind=OrganisationKind.PEOPLES_COMMITTEE)
    chauthanh = make_org("UBND huyện Châu Thành", parent=province, kind=OrganisationKind.PEOPLES_COMMITTEE)
    admin = make_user("qt_tanchau", (Role.ADMIN, tanchau))

    with pytest.raises(ValidationError) as refused:
        organisation_create(acting_user=admin, name="Phòng mới", parent=chauthanh, successor=chauthanh)

    assert set(refused.value.message_dict) == {"parent", "successor"}
