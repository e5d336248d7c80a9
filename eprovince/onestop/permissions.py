"""Who sees which dossier, who may act, who administers the catalogue.

Officers (clerk, specialist, division head, leader, admin) see the dossiers of procedures their organisations take
part in: received or handled there, or with a step there (an agency consulted in an inter-agency step sees that
procedure's dossiers), plus any dossier standing at one of their organisations now. A role held with no organisation
(or a superuser) sees every dossier. Applicants see their own dossiers. Drafts are seen by their applicant only."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from eprovince.core.constants import Role
from eprovince.core.models import Organisation
from eprovince.core.permissions import has_role, organisation_scope

from .constants import APOLOGY_ROLES, OFFICER_ROLES, PROCESS_ROLES, DossierStatus
from .models import ApplicantProfile, Dossier, Procedure


def can_manage_catalogue(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


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
    allowed = Organisation.objects.filter(scope).values("pk")
    procedures = Procedure.objects.filter(
        Q(receiving_agency__in=allowed) | Q(handling_agency__in=allowed) | Q(steps__organisation__in=allowed)
    ).values("pk")
    return (
        Q(procedure__in=procedures)
        | Q(receiving_agency__in=allowed)
        | Q(handling_agency__in=allowed)
        | Q(current_organisation__in=allowed)
    )


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
    orgs = [dossier.receiving_agency, dossier.handling_agency]
    if dossier.current_organisation is not None:
        orgs.append(dossier.current_organisation)
    return any(has_role(user, *APOLOGY_ROLES, organisation=org) for org in orgs)


def needs_email_verification(user: Any) -> bool:
    """A citizen or business who signed up on the portal and has not followed the emailed link yet."""
    if not getattr(user, "is_authenticated", False):
        return False
    return ApplicantProfile.objects.filter(user=user, email_verified_at__isnull=True).exists()


def may_apply_online(user: Any) -> bool:
    """Signed in, active, and (when signed up on the portal) with a verified email. Accounts created by an
    administrator have no sign-up profile and may apply."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and not needs_email_verification(user))
