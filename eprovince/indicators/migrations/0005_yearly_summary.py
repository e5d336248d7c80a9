# The per-organisation yearly summary (YearlyValue, indicators/summary.py), filled from the values already there.

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    """The summary of every value stored so far (set-based, one statement per year). The module's functions read only
    the columns this migration state has (elements' rule over time; values; reports' status)."""
    if not apps.get_model("indicators", "DataValue").objects.exists():
        return
    from eprovince.indicators import summary

    summary.rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_audit_download_action"),
        ("indicators", "0004_catalogue_editing"),
    ]

    operations = [
        migrations.CreateModel(
            name="YearlyValue",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="năm")),
                (
                    "value",
                    models.DecimalField(blank=True, decimal_places=6, max_digits=30, null=True, verbose_name="giá trị cả năm"),
                ),
                (
                    "part_sum",
                    models.DecimalField(blank=True, decimal_places=6, max_digits=30, null=True, verbose_name="tổng các kỳ"),
                ),
                ("part_n", models.PositiveIntegerField(default=0, verbose_name="số kỳ")),
                (
                    "category_option",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="indicators.categoryoption",
                        verbose_name="nhóm",
                    ),
                ),
                (
                    "element",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="indicators.dataelement",
                        verbose_name="chỉ tiêu",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.organisation",
                        verbose_name="đơn vị",
                    ),
                ),
            ],
            options={
                "verbose_name": "giá trị cả năm (tổng hợp)",
                "verbose_name_plural": "giá trị cả năm (tổng hợp)",
                "indexes": [
                    models.Index(
                        fields=["element", "year", "organisation", "category_option", "value", "part_sum", "part_n"],
                        name="indicators_yearly_read_idx",
                    ),
                    models.Index(fields=["year", "organisation"], name="indicators_yearly_year_org_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("category_option__isnull", False)),
                        fields=("element", "organisation", "category_option", "year"),
                        name="indicators_yearly_option_uniq",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("category_option__isnull", True)),
                        fields=("element", "organisation", "year"),
                        name="indicators_yearly_total_uniq",
                    ),
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
