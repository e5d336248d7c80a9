"""Registries filled by each app in AppConfig.ready(): the staff workspace's modules (the staff home lists only
the modules the user's roles open, so unbuilt modules never show) and the public site's main navigation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from .permissions import has_platform_role, has_role


@dataclass(frozen=True)
class Module:
    key: str
    label: str | Promise
    description: str | Promise
    url_name: str
    roles: tuple[str, ...]
    icon: str = "•"
    order: int = 100
    # A page of the whole platform (portal, audit trail, outbox, calendar...): the administrator role among `roles`
    # opens it only when held platform-wide, not for an administrator of one organisation.
    platform_only: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def opens_for(self, user: Any) -> bool:
        return has_platform_role(user, *self.roles) if self.platform_only else has_role(user, *self.roles)


_registry: dict[str, Module] = {}


def register(module: Module) -> None:
    _registry[module.key] = module


def modules_for(user: Any) -> list[Module]:
    return sorted((m for m in _registry.values() if m.opens_for(user)), key=lambda m: (m.order, m.key))


@dataclass(frozen=True)
class PublicLink:
    """An entry of the public main navigation; `active` lists the view names (namespace:name) it stands for."""

    key: str
    label: str | Promise
    url_name: str
    order: int = 100
    active: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def is_current(self, view_name: str | None) -> bool:
        return view_name is not None and (view_name == self.url_name or view_name in self.active)


_public_links: dict[str, PublicLink] = {}


def register_public_link(link: PublicLink) -> None:
    _public_links[link.key] = link


def public_links() -> list[PublicLink]:
    return sorted(_public_links.values(), key=lambda link: (link.order, link.key))
