"""The default working week (Monday-Friday, 07:30-11:30 and 13:30-17:00) and the default deadline rule row."""

import datetime as dt

from django.db import migrations

SESSIONS = ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0)))


def create_defaults(apps, schema_editor):
    WorkingSession = apps.get_model("workcalendar", "WorkingSession")
    DeadlineRule = apps.get_model("workcalendar", "DeadlineRule")
    if not WorkingSession.objects.exists():
        WorkingSession.objects.bulk_create(
            [WorkingSession(weekday=weekday, start=start, end=end) for weekday in range(5) for start, end in SESSIONS]
        )
    DeadlineRule.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
