"""What is worked out from the administrative structure, remembered while it does not change.

The organisation tree, the administrative units and their 2025 succession links change a few times a year, but
analytics reads them on every request: a pivot of every unit of the country works out 4.114 scopes (some 200 ms)
and the handovers of 759 former organisations from some 30.000 rows. `remembered(key, compute)` keeps compute()'s
result in this process for as long as the structure token (`StructureVersion`, rewritten by database triggers on
any change of the three tables, in the changing transaction) stays the same: one primary-key read per use.

Consistency: the token is read before and after computing, and the result is kept only when both readings agree
(a change committed in between would have changed it). Inside a transaction that changed the structure the token
is that transaction's own; if it rolls back, the token returns to the old value and the result worked out inside
is not used again (tokens are random, never given twice). Without the row (the test suite's flush of a whole
database), nothing is kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..models import StructureVersion

_lock = threading.Lock()
_remembered: dict[tuple[str, str], tuple[str, Any]] = {}  # (database alias, key) → (token, value)


def structure_token(using: str = "default") -> str | None:
    """The current token of the structure, None when its row is missing."""
    return StructureVersion.objects.using(using).filter(pk=1).values_list("token", flat=True).first()


def remembered[T](key: str, compute: Callable[[], T], *, using: str = "default") -> T:
    """compute(), or its result kept from an earlier call while the structure has not changed since."""
    token = structure_token(using)
    if token is not None:
        found = _remembered.get((using, key))
        if found is not None and found[0] == token:
            return found[1]  # type: ignore[no-any-return]
    value = compute()
    if token is not None and structure_token(using) == token:
        with _lock:
            _remembered[(using, key)] = (token, value)
    return value


def forget() -> None:
    """Drop everything kept (tests that compare with a fresh computation)."""
    with _lock:
        _remembered.clear()
