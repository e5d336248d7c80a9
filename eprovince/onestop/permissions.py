"""Who sees which dossier, who may act, who administers the catalogue.

Officers (clerk, specialist, division head, leader, admin) see the dossiers their organisations take part in, by
the rule of dossier_scope.py: the receiving and handling agencies (and their divisions holding a step) from the
submission, an agency consulted in a later step once the dossier has reached it, and then only the files meant for
it. A role held with no organisation (or a superuser) sees every dossier. Applicants see their own dossiers. Drafts
are seen by their applicant only."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from eprovince.core.constants import Role
from eprovince.core.models import Organisation
from eprovince.core.permissions import (
    administered_organisations,
    administers_platform,
    can_administer,
    has_role,
    is_administrator,
    organisation_scope,
)

from . import dossier_scope
from .constants import APOLOGY_ROLES, OFFICER_ROLES, PROCESS_ROLES, DossierStatus
from .models import ApplicantProfile, Dossier, Procedure


def can_manage_catalogue(user: Any) -> bool:
    """May open the catalogue administration: an administrator anywhere. What they see and change there is then
    limited to the procedures of the agencies they administer (can_administer_procedure)."""
    return is_administrator(user)


def can_administer_procedure(user: Any, procedure: Procedure) -> bool:
    """A procedure belongs to its receiving and handling agencies: administering both is needed to change it."""
    return can_administer(user, procedure.receiving_agency) and can_administer(user, procedure.handling_agency)


def administered_procedures(user: Any) -> QuerySet[Procedure]:
    """The procedures `user` may change (every one for a platform administrator)."""
    if administers_platform(user):
        return Procedure.objects.all()
    orgs = administered_organisations(user).values("pk")
    return Procedure.objects.filter(receiving_agency__in=orgs, handling_agency__in=orgs)


def is_officer(user: Any) -> bool:
    return has_role(user, *OFFICER_ROLES)


def can_receive_at_counter(user: Any, procedure: Procedure) -> bool:
    return has_role(user, Role.ONESTOP_CLERK, organisation=procedure.receiving_agency)


def can_receive_anything(user: Any) -> bool:
    return has_role(user, Role.ONESTOP_CLERK)


def officer_dossier_q(user: Any) -> Q | None:
    """A Q over Dossier for what an officer sees; None: everything; Q(pk__in=[]): nothing."""
    scope = organisation_scope(user, *OFFICER_ROLES)
    if scope is None:
        return None
    if not is_officer(user):
        return Q(pk__in=[])
    return dossier_scope.dossiers_q(Organisation.objects.filter(scope).values("pk"))


def officer_files_q(user: Any, dossier: Dossier) -> Q | None:
    """A Q over DossierFile for the files of `dossier` (which the officer sees) meant for `user`; None: all of them
    (the dossier's agencies, a platform-wide role); a consulted agency's officer: those of dossier_scope.py."""
    scope = organisation_scope(user, *OFFICER_ROLES)
    if scope is None:
        return None
    allowed = Organisation.objects.filter(scope).values("pk")
    return None if dossier_scope.sees_whole(allowed, dossier) else dossier_scope.files_meant_q(allowed)


def visible_dossiers(user: Any) -> QuerySet[Dossier]:
    """Every dossier `user` may open: officers' scope (drafts excluded) and the user's own dossiers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Dossier.objects.none()
    own = Q(applicant=user)
    officer = officer_dossier_q(user)
    if officer is None:
        return Dossier.objects.filter(~Q(status=DossierStatus.DRAFT) | own)
    return Dossier.objects.filter((officer & ~Q(status=DossierStatus.DRAFT)) | own)


def in_tray_q(user: Any) -> Q:
    """Dossiers standing at a step whose role `user` holds for the step's organisation: waiting for the user."""
    q = Q(pk__in=[])
    for role in PROCESS_ROLES:
        if not has_role(user, role):
            continue
        scope = organisation_scope(user, role)
        if scope is None:
            q |= Q(current_role=role)
        else:
            q |= Q(current_role=role, current_organisation__in=Organisation.objects.filter(scope).values("pk"))
    return q


def can_issue_apology(user: Any, dossier: Dossier) -> bool:
    """The apology and new appointment (form 04) is the handling agency's: its one-stop clerks, division heads,
    leaders and administrators (held there or above). Not the receiving agency's alone, nor a consulted agency's
    where the dossier stands. When it may be issued: services.dossiers.apology_refusal."""
    agency = dossier.handling_agency
    return has_role(user, *APOLOGY_ROLES, organisation=agency) or has_role(user, Role.ADMIN, organisation=agency)


def needs_email_verification(user: Any) -> bool:
    """A citizen or business who signed up on the portal and has not followed the emailed link yet."""
    if not getattr(user, "is_authenticated", False):
        return False
    return ApplicantProfile.objects.filter(user=user, email_verified_at__isnull=True).exists()


def may_apply_online(user: Any) -> bool:
    """Signed in, active, and (when signed up on the portal) with a verified email. Accounts created by an
    administrator have no sign-up profile and may apply."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and not needs_email_verification(user))
