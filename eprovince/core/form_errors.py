"""Errors on forms, in one place: a service's ValidationError put on a form, and the error summary's entries.

- `apply_validation_error(form, exc)` puts what a service raised on the form: each message under the field it names
  when the form has that field, otherwise among the form's non-field errors (the summary shows those as text).
- `summary_items(*forms)` lists every error of the given forms in page order for `includes/error_summary.html`:
  non-field errors first (no link), then one entry per field error with the field's label and the id to link to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.core.exceptions import ValidationError


def apply_validation_error(
    form: django_forms.BaseForm, exc: ValidationError, *, rename: Mapping[str, str] | Callable[[str], str] | None = None
) -> None:
    """Put every message of `exc` on `form`: under its field when the form has it, else as a non-field error.

    `rename` maps the service's names to the form's where they differ (`{"files": "attachments"}`, or a function).
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        name = key if rename is None else (rename(key) if callable(rename) else rename.get(key, key))
        form.add_error(name if name in form.fields else None, messages)


def form_data_field(key: str) -> str:
    """`rename` for forms built from a procedure's fields: the service's `form_data.<code>` is the form's `f_<code>`."""
    return f"f_{key.removeprefix('form_data.')}" if key.startswith("form_data.") else key


@dataclass(frozen=True)
class SummaryItem:
    message: str
    label: str = ""
    href: str = ""  # the id of the element the link moves to; empty for a non-field error


def _target_id(bound: django_forms.BoundField) -> str:
    """The id a link to this field moves to: its input, or the first option of a group of radios or checkboxes."""
    if bound.id_for_label:
        return str(bound.id_for_label)
    if bound.auto_id:
        return f"{bound.auto_id}_0" if bound.use_fieldset else str(bound.auto_id)
    return ""


def _form_items(form: django_forms.BaseForm) -> list[SummaryItem]:
    if not form.is_bound or not form.errors:
        return []
    items = [SummaryItem(message=str(message)) for message in form.non_field_errors()]
    for bound in form:
        label = str(bound.label or bound.name)
        if bound.is_hidden:
            items.extend(SummaryItem(message=f"{label}: {message}") for message in bound.errors)
        else:
            items.extend(SummaryItem(message=str(message), label=label, href=_target_id(bound)) for message in bound.errors)
    return items


def summary_items(form: Any = None, forms: Any = None) -> list[SummaryItem]:
    """Every error of `form` and of the forms (or formsets) in `forms`, in that order; nothing for unbound forms."""
    items: list[SummaryItem] = []
    seen: list[Any] = []
    for each in [form, *(forms if isinstance(forms, list | tuple) else [forms])]:
        if each is None or any(each is other for other in seen):
            continue
        seen.append(each)
        if isinstance(each, django_forms.BaseFormSet):
            if each.is_bound:
                items.extend(SummaryItem(message=str(message)) for message in each.non_form_errors())
                for member in each.forms:
                    items.extend(_form_items(member))
        elif isinstance(each, django_forms.BaseForm):
            items.extend(_form_items(each))
    return items
