"""Long work lists count at most a cap of rows: the pages up to it are offered and the list says there are more."""

from __future__ import annotations

import pytest

from eprovince.core.models import AuditEvent
from eprovince.core.pagination import CappedPaginator
from eprovince.core.services.audit import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def events() -> None:
    for n in range(12):
        audit_record(actor=None, action="update", obj=None, after={"n": n}, reason="test")


@pytest.mark.parametrize(
    ("cap", "count", "capped", "pages"), [(5, 5, True, 3), (11, 11, True, 6), (12, 12, False, 6), (50, 12, False, 6)]
)
def test_the_count_stops_at_the_cap(events: None, cap: int, count: int, capped: bool, pages: int) -> None:
    paginator = CappedPaginator(AuditEvent.objects.order_by("pk"), 2, cap=cap)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (count, capped, pages)


def test_a_capped_count_is_one_query_over_a_limit(events: None, django_assert_num_queries) -> None:
    paginator = CappedPaginator(AuditEvent.objects.order_by("pk"), 2, cap=5)
    with django_assert_num_queries(1) as ctx:
        assert paginator.capped and paginator.count == 5
    assert "LIMIT" in ctx.captured_queries[0]["sql"].upper()


def test_pages_up_to_the_cap_are_served(events: None) -> None:
    paginator = CappedPaginator(AuditEvent.objects.order_by("pk"), 2, cap=5)
    page = paginator.get_page(99)
    assert page.number == 3 and len(page.object_list) == 1  # the last page offered ends at the cap
