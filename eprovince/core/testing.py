"""Test helpers for every app: build organisations and users through the real services."""

from __future__ import annotations

from typing import Any

from .constants import OrganisationKind
from .models import Organisation, User
from .services.accounts import role_grant, user_create
from .services.organisations import organisation_create

TEST_PASSWORD = "correct-horse-battery-9"


def make_org(
    name: str, *, parent: Organisation | None = None, kind: str = OrganisationKind.DEPARTMENT, **fields: Any
) -> Organisation:
    return organisation_create(acting_user=None, name=name, kind=kind, parent=parent, **fields)


def make_user(username: str, *roles: tuple[str, Organisation | None] | str, password: str = TEST_PASSWORD, **fields: Any) -> User:
    """make_user("an", ("specialist", org), "admin") grants each (role, organisation); a bare role is platform-wide."""
    user = user_create(acting_user=None, username=username, password=password, **fields)
    for spec in roles:
        role, org = (spec, None) if isinstance(spec, str) else spec
        role_grant(user=user, role=role, organisation=org, acting_user=None)
    return user
