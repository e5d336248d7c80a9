# Indexes for analytics over 10 million values (bench/indicators_values.py, docs/performance.md).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_review_reports")]

    operations = [
        migrations.AddIndex(
            model_name="datavalue",
            index=models.Index(
                fields=["element", "period", "organisation", "year", "category_option", "submission", "value"],
                name="indicators_value_cover_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(
                condition=models.Q(("status", "approved"), _negated=True), fields=["id"], name="indicators_sub_unapproved_idx"
            ),
        ),
    ]
