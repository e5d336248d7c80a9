"""The value table the form's rules read (validation.ValueTable) answers totals and comments from indexes built
once per period; on random tables it answers exactly what a pass over every value answered before, and the rules
judged through it give the same violations."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from .. import formula, validation
from ..constants import Operator, Severity
from ..periods import Period
from ..services import catalogue
from . import factories as f

PERIODS = ("2023", "2024", "2024S1")
CODES = ("REVENUE", "SUB_MOBILE", "BTS", "POPULATION", "X", "Y")
OPTIONS = ("", "VNPT", "VIETTEL", "MOBIFONE", "OTHER")


def reference_total(table: validation.ValueTable, period: str, code: str, option: str = "") -> Decimal | None:
    """ValueTable.total as it was: a pass over every value of the period."""
    values = table.values.get(period, {})
    if option:
        return values.get((code, option))
    if (code, "") in values:
        return values[(code, "")]
    parts = [v for (c, o), v in values.items() if c == code and o]
    return sum(parts, Decimal(0)) if parts else None


def reference_has_comment(table: validation.ValueTable, code: str) -> bool:
    return any(text.strip() for (c, _o), text in table.comments.items() if c == code)


def random_table(rng: random.Random) -> validation.ValueTable:
    table = validation.ValueTable()
    for period in rng.sample(PERIODS, rng.randint(0, len(PERIODS))):
        for code in CODES:
            for option in OPTIONS:
                if rng.random() < 0.4:
                    digits = rng.randint(0, 10 ** rng.randint(1, 17))
                    table.values[period][(code, option)] = Decimal(digits).scaleb(-rng.randint(0, 6)) * rng.choice((1, -1))
    for code in CODES:
        for option in OPTIONS:
            if rng.random() < 0.2:
                table.comments[(code, option)] = rng.choice(("", "  ", "\n", "giải trình", " tăng do sáp nhập "))
    return table


@pytest.mark.parametrize("seed", range(40))
def test_totals_and_comments_are_those_of_a_pass_over_every_value(seed: int) -> None:
    rng = random.Random(seed)
    table = random_table(rng)
    for period in (*PERIODS, "2022"):
        for code in (*CODES, "MISSING"):
            for option in (*OPTIONS, "NONE"):
                expected = reference_total(table, period, code, option)
                found = table.total(period, code, option)
                assert found == expected and type(found) is type(expected), (period, code, option)
                if expected is not None:
                    assert str(found) == str(expected)  # the same digits and exponent, not only an equal number
    for code in (*CODES, "MISSING"):
        assert table.has_comment(code) == reference_has_comment(table, code)


@pytest.mark.django_db
def test_rules_over_random_values_give_the_violations_of_the_reference_evaluation(world: f.World) -> None:
    form = world.enterprise_form
    form.rules.all().delete()
    specs = [
        ("#{SUB_MOBILE}", Operator.LE, "#{SUB_PHONE}"),
        ("#{SUB_MOBILE.VNPT} + #{SUB_MOBILE.VIETTEL}", Operator.LE, "#{SUB_MOBILE} / 2"),
        ("#{SUB_MOBILE}", Operator.GE, "last_year(#{SUB_MOBILE})"),
        ("#{BTS}", Operator.GT, "previous(#{BTS})"),
        ("#{REVENUE}", Operator.NE, "0"),
    ]
    for n, (left, operator, right) in enumerate(specs):
        catalogue.validation_rule_save(
            acting_user=None, form=form, name=f"R{n}", left=left, operator=operator, right=right,
            severity=Severity.ERROR if n % 2 else Severity.WARNING, message=f"R{n}",
        )  # fmt: skip
    rules = list(form.rules.all())
    submissions = {p: f.submission(f.open_round(world, form, p), world.vnpt) for p in ("2023S1", "2023S2", "2024S1")}
    period = Period.parse("2024S1")
    rng = random.Random(7)
    judged: list[int] = []
    for _round in range(12):
        for key, submission in submissions.items():
            values: dict[str, object] = {"SUB_PHONE": rng.randint(0, 900_000), "BTS": rng.randint(0, 200)}
            values["REVENUE"] = rng.choice(("0", f"{rng.randint(0, 9999)},5"))
            for option in ("VNPT", "VIETTEL", "MOBIFONE", "OTHER"):
                values[f"SUB_MOBILE.{option}"] = rng.randint(0, 400_000) if rng.random() < 0.8 else ""
            if key != "2024S1" and rng.random() < 0.3:
                values["BTS"] = ""
            f.save(world, submission, None, values, validate=False)
        found = {(v.rule, v.left, v.right) for v in validation.check(form, world.vnpt, period) if v.rule.startswith("R")}

        # The same rules judged with the reference totals (a pass over every value, as before).
        table = validation.load_values(world.vnpt, period, {formula.Shift(0, 1), formula.Shift(1, 0)})

        def resolve(ref: formula.Ref, shift: formula.Shift, table: validation.ValueTable = table) -> Decimal | None:
            return reference_total(table, validation.shifted_period(period, shift).id, ref.code, ref.option)

        expected = set()
        for rule in rules:
            left = formula.evaluate(formula.parse(rule.left), resolve)
            right = formula.evaluate(formula.parse(rule.right), resolve)
            if left is not None and right is not None and not formula.compare(left, rule.operator, right):
                expected.add((rule.name, left, right))
        assert found == expected
        judged.append(len(expected))
    assert max(judged) >= 2 and min(judged) < max(judged)  # the random values break rules, not always the same
