"""`make run` loads the demo data; running it again must change nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from eprovince.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from eprovince.core.models import User

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"core", "portal", "workcalendar", "onestop", "indicators"}
    }


def test_load_demo_twice_changes_nothing_and_every_demo_account_logs_in():
    call_command("load_demo", stdout=StringIO())
    first = _row_counts()
    call_command("load_demo", stdout=StringIO())
    assert _row_counts() == first
    for account in DEMO_ACCOUNTS:
        assert User.objects.get(username=account.username).check_password(DEMO_PASSWORD), account.username
