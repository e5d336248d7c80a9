"""Which dossiers, and which of their files, the officers of a set of organisations see: the one rule behind the
queues, the dossier pages, the file downloads, the API, the statistics and the exports (permissions.py and
statistics.py call it with the organisations of the user's scope).

The agencies of a dossier see it whole, from its submission
    Its receiving and handling agencies (as copied on the dossier, or as the procedure names them now), and the
    organisations holding one of its procedure's *own* steps: a step that is not an inter-agency step and stands at
    the handling agency (no organisation named) or at an organisation inside the receiving or handling agency (a
    division appraising the dossiers of its department).

A consulted agency sees it once the dossier has reached it
    A *consulted* step is any other step of the process: an inter-agency step (kind "inter_agency", liên thông), or
    a step at an organisation outside both agencies. An organisation that takes part only through consulted steps
    sees a dossier once the dossier has reached one of them: it stands at one of its organisations now
    (`current_organisation`), or its history shows it was there (a `DossierEvent` whose `to_step` is one of its
    consulted steps; events are append-only). Before that, the dossier does not exist for it (404). Once reached,
    it stays visible (the agency answers for the opinion it gave).

Files meant for a consulted agency
    A dossier's files are those of the applicant (kinds application and supplement, with no event or with the
    reception or supplement event that brought them) and those attached to an action (`DossierFile.event`). The
    files meant for an agency seeing a dossier only as a consulted one are the applicant's (kinds application and
    supplement) and the files of the events at its own consulted steps: attached to an action taken there
    (`event.from_step`) or sent with the action that brought the dossier there (`event.to_step`). The other
    agencies' internal opinions and working files, and the result, are not meant for it. Its history shows the
    events, with only these files.

Every function takes `allowed`, a queryset of the organisations' primary keys (`.values("pk")`), and builds
subqueries: the officers' queue keeps one query whose extra branch reads the events entering the agency's consulted
steps only (indexed by `to_step`)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet

from .constants import FileKind, StepKind
from .models import Dossier, DossierEvent, Procedure, ProcessStep

# The files of the applicant, which every agency that sees a dossier may read.
APPLICANT_KINDS = (FileKind.APPLICATION, FileKind.SUPPLEMENT)


def own_steps(allowed: QuerySet[Any]) -> QuerySet[ProcessStep]:
    """The steps at `allowed` organisations that belong to the agencies of their procedure (not consulted)."""
    return (
        ProcessStep.objects.filter(organisation__in=allowed)
        .exclude(kind=StepKind.INTER_AGENCY)
        .filter(
            Q(organisation__path__startswith=F("procedure__handling_agency__path"))
            | Q(organisation__path__startswith=F("procedure__receiving_agency__path"))
        )
    )


def consulted_steps(allowed: QuerySet[Any]) -> QuerySet[ProcessStep]:
    """The consulted steps at `allowed` organisations: inter-agency steps and steps outside both agencies."""
    return ProcessStep.objects.filter(organisation__in=allowed).exclude(pk__in=own_steps(allowed).values("pk"))


def whole_q(allowed: QuerySet[Any]) -> Q:
    """A Q over Dossier: the dossiers `allowed` organisations see whole, as one of their agencies."""
    procedures = Procedure.objects.filter(
        Q(receiving_agency__in=allowed) | Q(handling_agency__in=allowed) | Q(pk__in=own_steps(allowed).values("procedure"))
    ).values("pk")
    return Q(procedure__in=procedures) | Q(receiving_agency__in=allowed) | Q(handling_agency__in=allowed)


def reached_q(allowed: QuerySet[Any]) -> Q:
    """A Q over Dossier: the dossiers standing at `allowed` organisations now, or that entered one of their consulted
    steps once."""
    entered = DossierEvent.objects.filter(to_step__in=consulted_steps(allowed).values("pk")).values("dossier_id")
    return Q(current_organisation__in=allowed) | Q(pk__in=entered)


def dossiers_q(allowed: QuerySet[Any]) -> Q:
    """A Q over Dossier: every dossier `allowed` organisations see (whole, or as a consulted agency)."""
    return whole_q(allowed) | reached_q(allowed)


def sees_whole(allowed: QuerySet[Any], dossier: Dossier) -> bool:
    """Do `allowed` organisations see `dossier` whole (as one of its agencies)? One query."""
    return Dossier.objects.filter(pk=dossier.pk).filter(whole_q(allowed)).exists()


def files_meant_q(allowed: QuerySet[Any]) -> Q:
    """A Q over DossierFile: the files meant for `allowed` organisations as a consulted agency."""
    steps = consulted_steps(allowed).values("pk")
    return Q(kind__in=APPLICANT_KINDS) | Q(event__from_step__in=steps) | Q(event__to_step__in=steps)
