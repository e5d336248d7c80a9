"""Each organisation's values combined over a whole year: the summary analytics read for yearly figures."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from ..constants import VALUE_DECIMAL_PLACES, VALUE_MAX_DIGITS
from .catalogue import CategoryOption, DataElement

# A year adds up to 12 months (or 4 quarters, 2 halves): room for the sum of the largest values.
SUMMARY_MAX_DIGITS = VALUE_MAX_DIGITS + 6


class YearlyValue(models.Model):
    """One organisation's value of one element (an option, or NULL for the element's total) for one whole year,
    from its approved values only, combined over time by the element's rule exactly as analytics does it (the
    value stored for the year wins; otherwise the coarsest kind of period present: sum, average, last, none).

    Derived data: never edited, kept current by `indicators.summary.refresh` in the transaction that changes what
    counts (approving or reopening a report, values written outside a round, catalogue changes), and rebuilt whole
    by `summary.rebuild` (`manage.py rebuild_yearly_values`). `part_sum` and `part_n` are the sum and the number of
    the periods combined: an average over time is finished from them (the exact quotient), `value` holds it
    rounded to the column's places."""

    # (no single-column indexes: the indexes below start with these columns or are never searched by them)
    element = models.ForeignKey(
        DataElement, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("chỉ tiêu")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("đơn vị")
    )
    category_option = models.ForeignKey(
        CategoryOption, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("nhóm")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(
        _("giá trị cả năm"), max_digits=SUMMARY_MAX_DIGITS, decimal_places=VALUE_DECIMAL_PLACES, null=True, blank=True
    )
    part_sum = models.DecimalField(
        _("tổng các kỳ"), max_digits=SUMMARY_MAX_DIGITS, decimal_places=VALUE_DECIMAL_PLACES, null=True, blank=True
    )
    part_n = models.PositiveIntegerField(_("số kỳ"), default=0)

    class Meta:
        verbose_name = _("giá trị cả năm (tổng hợp)")
        verbose_name_plural = _("giá trị cả năm (tổng hợp)")
        constraints = [
            models.UniqueConstraint(
                fields=["element", "organisation", "category_option", "year"],
                condition=models.Q(category_option__isnull=False),
                name="indicators_yearly_option_uniq",
            ),
            # NULL options are distinct in a plain unique constraint (and SQLite has no NULLS NOT DISTINCT)
            models.UniqueConstraint(
                fields=["element", "organisation", "year"],
                condition=models.Q(category_option__isnull=True),
                name="indicators_yearly_total_uniq",
            ),
        ]
        indexes = [
            # analytics and the pivot read (elements, years, organisations); all the columns they read, so that
            # the index answers alone (an index-only scan)
            models.Index(
                fields=["element", "year", "organisation", "category_option", "value", "part_sum", "part_n"],
                name="indicators_yearly_read_idx",
            ),
            # refresh deletes by (year, organisations); the dashboard's year picker reads the years
            models.Index(fields=["year", "organisation"], name="indicators_yearly_year_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.element_id} {self.organisation_id} {self.year} = {self.value}"
