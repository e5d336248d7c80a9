"""Validation rules: skipped when a value is missing, time functions, disaggregated references, formulas checked
against the catalogue when rules and indicators are saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from .. import validation
from ..constants import Operator, Severity
from ..models import Indicator
from ..periods import Period
from ..services import catalogue
from . import factories as f

pytestmark = pytest.mark.django_db


def rule(world: f.World, left: str, operator: str, right: str, severity: str = Severity.ERROR, name: str = "R") -> None:
    catalogue.validation_rule_save(
        acting_user=None, form=world.enterprise_form, name=name, left=left, operator=operator, right=right,
        severity=severity, message=f"{left} {operator} {right}",
    )  # fmt: skip


def violations(world: f.World, period: str = "2024S1") -> list[str]:
    return [v.message for v in validation.check(world.enterprise_form, world.vnpt, Period.parse(period))]


def test_a_rule_with_a_missing_value_is_skipped(world: f.World) -> None:
    round_ = f.open_round(world, world.enterprise_form, "2024S1")
    f.save(world, f.submission(round_, world.vnpt), None, {"SUB_BROADBAND": "10"})
    assert violations(world) == []  # SUB_INTERNET missing: the broadband rule cannot be judged yet


def test_rules_read_previous_periods_and_options(world: f.World) -> None:
    world.enterprise_form.rules.all().delete()
    rule(world, "#{BTS}", Operator.GE, "previous(#{BTS})", Severity.WARNING, name="BTS không giảm")
    rule(world, "#{SUB_MOBILE.VNPT}", Operator.LE, "#{SUB_MOBILE}", name="Nhóm không vượt tổng")
    f.approved(world, world.enterprise_form, "2023S2", world.vnpt, {"BTS": "120"})
    round_ = f.open_round(world, world.enterprise_form, "2024S1")
    f.save(world, f.submission(round_, world.vnpt), None, {"BTS": "100", "SUB_MOBILE.VNPT": "5", "SUB_MOBILE.OTHER": "1"})
    assert violations(world) == ["#{BTS} >= previous(#{BTS})"]


def test_rules_and_indicators_name_only_known_elements(world: f.World) -> None:
    with pytest.raises(ValidationError) as caught:
        rule(world, "#{POPULATION}", Operator.GT, "0")  # an element outside the form
    assert "POPULATION" in caught.value.message_dict["left"][0]
    with pytest.raises(ValidationError, match="Hàm"):
        rule(world, "__import__(1)", Operator.GT, "0")
    with pytest.raises(ValidationError) as caught:
        catalogue.indicator_save(acting_user=None, code="BAD", name="x", formula="#{NOPE} * 100")
    assert "NOPE" in caught.value.message_dict["formula"][0]
    with pytest.raises(ValidationError):
        catalogue.indicator_save(acting_user=None, code="BAD", name="x", formula="#{SUB_MOBILE.VINAPHONE}")
    assert not Indicator.objects.filter(code="BAD").exists()


def test_an_explained_change_is_shown_but_does_not_block(world: f.World) -> None:
    f.approved(world, world.enterprise_form, "2023S1", world.vnpt, {"REVENUE": "100"})
    round_ = f.open_round(world, world.enterprise_form, "2024S1")
    from ..services.values import ValueEntry, values_save

    values_save(
        acting_user=None, submission=f.submission(round_, world.vnpt),
        entries=[ValueEntry(world.elements["REVENUE"], Decimal(40), comment="Tách chi nhánh")],
    )  # fmt: skip
    (found,) = validation.check(world.enterprise_form, world.vnpt, Period.parse("2024S1"))
    assert found.explained and not found.blocking and "-60,0%" in found.message
