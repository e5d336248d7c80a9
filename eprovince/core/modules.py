"""The staff workspace's module registry. Each app registers its modules in AppConfig.ready();
the staff home lists only the modules the user's roles open, so unbuilt modules never show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from .permissions import has_role


@dataclass(frozen=True)
class Module:
    key: str
    label: str | Promise
    description: str | Promise
    url_name: str
    roles: tuple[str, ...]
    icon: str = "•"
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_registry: dict[str, Module] = {}


def register(module: Module) -> None:
    _registry[module.key] = module


def modules_for(user: Any) -> list[Module]:
    return sorted((m for m in _registry.values() if has_role(user, *m.roles)), key=lambda m: (m.order, m.key))
