"""An online application as a task list (GOV.UK pattern): the sections of a draft, the state of each, the answers
the "check your answers" page shows, and the problems that keep a section (or the submission) from being complete.

Sections: the applicant's details, one per group of the procedure's form fields (FormField.group, in the order of
their first field), the required documents. A section is "not started" until the applicant saves it (or gives an
answer or a file in it), "done" once nothing in it is missing or wrong, "in progress" otherwise. Read-only: the
services (services/online.py) run the same checks before they write."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from .constants import FormFieldType, SectionState
from .models import Dossier, DossierFile, FormField, Procedure, RequiredDocument
from .validators import APPLICANT_LABELS, applicant_problems, display_answer, validate_form_data

APPLICANT = "nguoi-nop"
DOCUMENTS = "giay-to"
ANSWERS_PREFIX = "to-khai-"


@dataclass(frozen=True)
class Group:
    """A group of form fields, answered on one page."""

    number: int
    title: str
    fields: tuple[FormField, ...]

    @property
    def key(self) -> str:
        return f"{ANSWERS_PREFIX}{self.number}"

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(f.key for f in self.fields)


@dataclass(frozen=True)
class Layout:
    """What an online application of a procedure asks for (two queries)."""

    procedure: Procedure
    fields: tuple[FormField, ...]
    groups: tuple[Group, ...]
    documents: tuple[RequiredDocument, ...]

    @classmethod
    def of(cls, procedure: Procedure) -> Layout:
        fields = tuple(procedure.form_fields.order_by("order", "pk"))
        titles: dict[str, list[FormField]] = {}
        for f in fields:
            titles.setdefault(f.group.strip(), []).append(f)
        groups = tuple(
            Group(number, title or _("Nội dung tờ khai"), tuple(items))
            for number, (title, items) in enumerate(titles.items(), start=1)
        )
        return cls(procedure, fields, groups, tuple(procedure.documents.order_by("order", "pk")))

    def group(self, number: int) -> Group | None:
        return next((g for g in self.groups if g.number == number), None)

    def section_keys(self) -> list[str]:
        return [APPLICANT, *(g.key for g in self.groups), *([DOCUMENTS] if self.documents else [])]


def group_problems(
    group_fields: Iterable[FormField], form_data: dict[str, Any], file_keys: Iterable[str]
) -> dict[str, list[str]]:
    """What is missing or wrong in the answers of these fields, keyed "form_data.<key>"."""
    group_fields = list(group_fields)
    data = {f.key: form_data[f.key] for f in group_fields if f.key in form_data}
    try:
        validate_form_data(group_fields, data, file_keys=file_keys)
    except ValidationError as exc:
        return {f"form_data.{k}": v for k, v in exc.message_dict.items()}
    return {}


def documents_problems(documents: Iterable[RequiredDocument], document_ids: Iterable[int | None]) -> dict[str, list[str]]:
    present = set(document_ids)
    missing = [
        _("Chưa tải lên giấy tờ bắt buộc: %(name)s.") % {"name": d.name}
        for d in documents
        if d.is_required and d.pk not in present
    ]
    return {"documents": missing} if missing else {}


def applicant_values(dossier: Dossier) -> dict[str, str]:
    return {key: getattr(dossier, key) for key in APPLICANT_LABELS}


@dataclass
class Row:
    """One line of the "check your answers" page."""

    label: Any
    value: str = ""
    files: list[DossierFile] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: Any
    state: str
    url: str
    rows: list[Row]
    problems: list[str]

    @property
    def state_label(self) -> Any:
        return SectionState(self.state).label


def _state(started: bool, problems: dict[str, list[str]]) -> str:
    if not started:
        return SectionState.NOT_STARTED
    return SectionState.IN_PROGRESS if problems else SectionState.DONE


def _messages(problems: dict[str, list[str]]) -> list[str]:
    return [message for messages in problems.values() for message in messages]


def sections(dossier: Dossier, layout: Layout, files: list[DossierFile]) -> list[Section]:
    """Every section of the draft with its state, its answers and its problems (what submitting would refuse)."""
    saved = set(dossier.draft_sections or [])
    pk = dossier.pk
    values = applicant_values(dossier)
    problems = applicant_problems(values)
    result = [
        Section(
            APPLICANT, _("Thông tin người nộp hồ sơ"), _state(APPLICANT in saved, problems),
            reverse("onestop:draft_applicant", args=[pk]),
            [Row(label, values[key]) for key, label in APPLICANT_LABELS.items()], _messages(problems),
        )
    ]  # fmt: skip
    by_field: dict[str, list[DossierFile]] = {}
    by_document: dict[int, list[DossierFile]] = {}
    for item in files:
        if item.field_key:
            by_field.setdefault(item.field_key, []).append(item)
        if item.document_id:
            by_document.setdefault(item.document_id, []).append(item)
    data = dossier.form_data or {}
    for group in layout.groups:
        problems = group_problems(group.fields, data, by_field)
        started = group.key in saved or any(k in data or k in by_field for k in group.keys)
        rows = [
            Row(f.label, files=by_field.get(f.key, []))
            if f.field_type == FormFieldType.FILE
            else Row(f.label, display_answer(data[f.key]) if f.key in data else "")
            for f in group.fields
        ]
        url = reverse("onestop:draft_answers", args=[pk, group.number])
        result.append(Section(group.key, group.title, _state(started, problems), url, rows, _messages(problems)))
    if layout.documents:
        problems = documents_problems(layout.documents, by_document)
        started = DOCUMENTS in saved or bool(by_document)
        rows = [Row(d.name, files=by_document.get(d.pk, [])) for d in layout.documents]
        url = reverse("onestop:draft_documents", args=[pk])
        result.append(Section(DOCUMENTS, _("Thành phần hồ sơ"), _state(started, problems), url, rows, _messages(problems)))
    return result


def submission_problems(all_sections: list[Section]) -> dict[str, list[str]]:
    """What keeps the draft from being submitted, by section key (empty: it may be submitted)."""
    return {s.key: s.problems for s in all_sections if s.problems}
