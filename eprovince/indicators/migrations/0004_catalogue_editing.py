# Placeholder kept in sequence; operations are filled in by the change that owns it.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_performance_indexes")]

    operations: list = []
