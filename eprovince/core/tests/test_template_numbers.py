"""Numbers that identify something (ids, row numbers) must never be written the Vietnamese way inside HTML
attributes: with USE_THOUSAND_SEPARATOR, `{{ doc.pk }}` renders 1356 as "1.356", so an `id`, a `for`, an option's
`value` or a posted row number silently stops matching once a table passes a thousand rows. Every such value in a
template goes through a filter (`|unlocalize`, `|stringformat:"d"`) or `{% url %}`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template

ROOT = Path(__file__).resolve().parents[3]
ATTRIBUTE = re.compile(r'\s[\w:-]+="([^"]*)"')
VARIABLE = re.compile(r"\{\{\s*([^}|]+?)\s*\}\}")
# The last name of a variable that holds a number identifying something.
NUMBERED = re.compile(r"(^|[._])(pk|id|row|line_no|number)$|_(pk|id)$")
STRINGS = {"chart_id", "field.auto_id", "auto_id"}  # names ending in "id" that hold text


def offending(text: str) -> list[str]:
    found = []
    for attribute in ATTRIBUTE.finditer(text):
        for variable in VARIABLE.finditer(attribute.group(1)):
            name = variable.group(1)
            if NUMBERED.search(name) and name not in STRINGS and not name.endswith(("auto_id", "id_for_label")):
                found.append(name)
    return found


def test_no_template_writes_an_id_with_a_thousands_separator() -> None:
    templates = sorted(ROOT.glob("eprovince/**/templates/**/*.html"))
    assert len(templates) > 100  # the scan reads the project's templates
    problems = [
        f"{path.relative_to(ROOT)}: {{{{ {name} }}}}"
        for path in templates
        for name in offending(path.read_text(encoding="utf-8"))
    ]
    assert problems == [], "add |unlocalize to these ids:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("snippet", "bad"),
    [
        ('<input id="tep-{{ doc.pk }}">', ["doc.pk"]),
        ('<option value="{{ a.id }}">', ["a.id"]),
        ('<input value="{{ m.line.row }}">', ["m.line.row"]),
        ('<a data-x="{{ organisation_id }}">', ["organisation_id"]),
        ('<input id="tep-{{ doc.pk|unlocalize }}">', []),
        ('<label for="{{ field.auto_id }}">', []),
        ("<p>{{ doc.pk }}</p>", []),  # shown as a number, not an identifier
    ],
)
def test_the_check_finds_unformatted_ids(snippet: str, bad: list[str]) -> None:
    assert offending(snippet) == bad


def test_the_problem_is_real_under_vietnamese_formatting(settings: object) -> None:
    from django.utils import translation

    with translation.override("vi"):
        assert Template("{{ n }}").render(Context({"n": 1356})) == "1.356"
        assert Template("{% load l10n %}{{ n|unlocalize }}").render(Context({"n": 1356})) == "1356"
