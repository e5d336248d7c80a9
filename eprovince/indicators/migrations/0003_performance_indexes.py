# Placeholder kept in sequence; operations are filled in by the change that owns it.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_review_reports")]

    operations: list = []
