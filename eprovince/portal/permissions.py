"""Who may write, approve and change which articles. The portal is the whole province's: the administrator role
in the workflow's tables counts only when held platform-wide (an administrator of one commune does not publish on
the provincial portal); editors and chief editors hold their own roles."""

from __future__ import annotations

from typing import Any

from eprovince.core.permissions import has_platform_role

from .constants import APPROVER_ROLES, EDITABLE_BY, TRANSITIONS, WRITER_ROLES, Transition
from .models import Article


def can_use_workspace(user: Any) -> bool:
    return has_platform_role(user, *WRITER_ROLES)


def can_approve(user: Any) -> bool:
    return has_platform_role(user, *APPROVER_ROLES)


def can_edit(user: Any, article: Article) -> bool:
    roles = EDITABLE_BY.get(article.status)
    return bool(roles) and has_platform_role(user, *roles)  # type: ignore[misc]


def available_transitions(user: Any, article: Article) -> list[Transition]:
    """The workflow steps `user` may take on `article` now: the buttons the workspace shows."""
    return [t for t in TRANSITIONS.values() if article.status in t.sources and has_platform_role(user, *t.roles)]
