"""What the officer's dossier page shows of its action panel and its files, worked out from what the view has read
(no query of its own except whether the procedure has a result template).

The action panel
    One form (forms.ActionForm): the actions the officer may do now as a group of radio buttons, in the engine's
    offered order (workflow.offered_order: the usual next action first and preselected, destructive ones last), each
    with a hint saying what it needs (a reason, a file, the fee confirmed first, a confirmation), then one reason box
    and one file input whose hints name the actions that need them.

The files
    Each file once, grouped by how it came: the application (online or at the counter), each supplement ("Bổ sung
    ngày …"), each officer's opinion or working file (the action and the step it was taken at), the result. The
    history then points to the group instead of listing the files a second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .constants import ActionCode, FileKind
from .forms import ActionForm
from .models import Dossier, DossierEvent, DossierFile, ProcessAction
from .services.results import has_result_template
from .workflow import is_destructive, payment_blocked


@dataclass(frozen=True)
class PanelOption:
    action: ProcessAction
    index: int
    checked: bool
    destructive: bool
    needs_reason: bool
    needs_file: bool
    generates_result: bool
    waits_for_payment: bool

    @property
    def html_for(self) -> str:
        """The radio input's HTML id (a string: never localised)."""
        return f"id_{ActionForm.PREFIX}-action_{self.index}"


@dataclass(frozen=True)
class ActionPanel:
    options: list[PanelOption]
    reason_labels: list[str]
    file_labels: list[str]
    any_destructive: bool


def generated_codes(dossier: Dossier, actions: list[ProcessAction]) -> frozenset[str]:
    """The codes of `actions` whose file the service generates when none is attached: issuing the result of a
    procedure with a result template (services/dossiers.py, dossier_act)."""
    issuing = [a for a in actions if a.code == ActionCode.ISSUE_RESULT]
    return frozenset(a.code for a in issuing) if issuing and has_result_template(dossier.procedure_id) else frozenset()


def action_panel(form: ActionForm, dossier: Dossier) -> ActionPanel:
    chosen = form["action"].value() if form.is_bound else form.initial.get("action")
    options = []
    for index, (code, action) in enumerate(form.actions.items()):
        generating = code in form.generated
        options.append(
            PanelOption(
                action=action,
                index=index,
                checked=code == chosen,
                destructive=is_destructive(action),
                needs_reason=action.requires_reason,
                needs_file=action.requires_file and not generating,
                generates_result=generating,
                waits_for_payment=payment_blocked(dossier, action),
            )
        )
    panel = ActionPanel(
        options=options,
        reason_labels=[o.action.label for o in options if o.needs_reason],
        file_labels=[o.action.label for o in options if o.needs_file],
        any_destructive=any(o.destructive for o in options),
    )
    # The hints under the reason box and the file input name the actions that need them.
    hints = {
        "reason": _needed_by(panel.reason_labels),
        "attachments": f"{_('PDF, JPEG, PNG hoặc DOCX.')} {_needed_by(panel.file_labels)}",
        "confirm": _("Chỉ cần khi chọn thao tác kết thúc hồ sơ (từ chối, rút hồ sơ)."),
    }
    for name, hint in hints.items():  # on the field and on its bound field (already made once the form was validated)
        form.fields[name].help_text = hint
        form[name].help_text = hint
    return panel


def _needed_by(labels: list[str]) -> str:
    if not labels:
        return _("Không bắt buộc với các thao tác bạn có thể thực hiện lúc này.")
    return _("Bắt buộc với: %(names)s.") % {"names": ", ".join(f"“{label}”" for label in labels)}


@dataclass
class FileGroup:
    """Files that came together: `kind` is "application", "supplement", "result" or "opinion"."""

    key: str
    kind: str
    when: dt.datetime | None
    event: DossierEvent | None = None
    files: list[DossierFile] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"tep-{self.key}"


def _kind(item: DossierFile, event: DossierEvent | None) -> str:
    if event is None or item.kind == FileKind.APPLICATION:
        return "application"
    if item.kind == FileKind.SUPPLEMENT:
        return "supplement"
    if item.kind == FileKind.RESULT:
        return "result"
    return "opinion"


def file_groups(dossier: Dossier, events: list[DossierEvent], files: list[DossierFile]) -> list[FileGroup]:
    """The files the officer may read (`files`), each once, grouped by the event that brought them, oldest first."""
    by_pk = {e.pk: e for e in events}
    groups: dict[str, FileGroup] = {}
    for item in files:
        event = by_pk.get(item.event_id) if item.event_id else None
        kind = _kind(item, event)
        key = "ho-so" if kind == "application" else f"su-kien-{event.pk}" if event else "khac"
        if key not in groups:
            when = (dossier.submitted_at or dossier.received_at or item.uploaded_at) if kind == "application" else None
            groups[key] = FileGroup(key=key, kind=kind, when=when or (event.created_at if event else item.uploaded_at),
                                    event=None if kind == "application" else event)  # fmt: skip
        groups[key].files.append(item)
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(groups.values(), key=lambda g: (g.kind != "application", g.when or far))


def event_file_anchors(groups: list[FileGroup]) -> dict[int, str]:
    """For the history: the anchor of the group holding each event's files."""
    anchors: dict[int, str] = {}
    for group in groups:
        for item in group.files:
            if item.event_id:
                anchors.setdefault(item.event_id, group.anchor)
    return anchors
