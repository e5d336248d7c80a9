"""A paginator for long work lists: it counts at most `cap` rows (SELECT COUNT(*) over a LIMIT), so a queue of a
million dossiers pages as fast as one of a hundred. Past the cap the list says "more than 10.000" and offers the
pages up to it; filters narrow the rest."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property

DEFAULT_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, *, cap: int = DEFAULT_CAP, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        """Rows found, up to cap + 1 (one more tells that there are more)."""
        head = self.object_list[: self.cap + 1]
        return head.count() if hasattr(head, "count") and not isinstance(head, list) else len(head)

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """True when there are more rows than the pages offer."""
        return self._counted > self.cap
