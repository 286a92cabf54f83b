"""Public commitments, the acceptance survey, practical matters and typical cases (O4–O6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from rectify.access import (
    audited_lookup,
    has_role,
    holds_role_over,
    unit_q,
)
from rectify.approval import SUBMITTABLE as APPROVAL_SUBMITTABLE
from rectify.approval import ApprovalStatus
from rectify.models import Officer, Role, Unit

from ..models import (
    Commitment,
    PracticalMatter,
    TypicalCase,
)

if TYPE_CHECKING:
    # leads.Lead and selfcheck.SelfCheckReport: remediation reaches those apps only
    # through their ports, so the type names are aliases, not imports.

    from rectify.models import AnyUser

from .items import my_officer_ids

# --- public commitments, survey, practical matters, typical cases (O4–O6) ----------------
# Office staff manage commitments, survey batches, practical matters and typical cases of
# their jurisdiction; unit heads manage the practical matters of their subtree; leaders
# read results and decide on typical cases; a matter's owner completes it. What the public
# sees (published commitments, public matters, approved cases) is chosen in
# remediation.selectors.public, never by an id alone.

PUBLIC_MANAGER_ROLES = (Role.OFFICE,)
PUBLIC_READER_ROLES = (Role.OFFICE, Role.LEADER)
MATTER_MANAGER_ROLES = (Role.OFFICE, Role.UNIT_HEAD)
MATTER_READER_ROLES = (Role.OFFICE, Role.UNIT_HEAD, Role.LEADER)
CASE_DECIDER_ROLES = (Role.LEADER,)


def commitments_visible_to(user: AnyUser) -> QuerySet[Commitment]:
    if not getattr(user, "is_authenticated", False):
        return Commitment.objects.none()
    return Commitment.objects.filter(unit_q(user, PUBLIC_READER_ROLES, prefix="unit__"))


@audited_lookup("remediation.commitment")
def get_commitment_for_user(user: AnyUser, pk: int) -> Commitment:
    found = commitments_visible_to(user).filter(pk=pk).select_related("unit").first()
    if found is None:
        raise Http404
    return found


def can_manage_public_of(user: AnyUser, unit: Unit) -> bool:
    """Office staff of the unit's subtree: commitments, survey batches, typical cases."""
    return holds_role_over(user, unit, PUBLIC_MANAGER_ROLES)


def can_read_survey_results(user: AnyUser) -> bool:
    return has_role(user, *PUBLIC_READER_ROLES)


def survey_units_q(user: AnyUser, *, prefix: str = "unit__") -> Q:
    """Survey results a user may read: those of units in their office or leader subtree."""
    return unit_q(user, PUBLIC_READER_ROLES, prefix=prefix)


def matters_visible_to(user: AnyUser) -> QuerySet[PracticalMatter]:
    if not getattr(user, "is_authenticated", False):
        return PracticalMatter.objects.none()
    return PracticalMatter.objects.filter(
        unit_q(user, MATTER_READER_ROLES, prefix="unit__") | Q(owner_id__in=my_officer_ids(user))
    )


@audited_lookup("remediation.practicalmatter")
def get_matter_for_user(user: AnyUser, pk: int) -> PracticalMatter:
    found = matters_visible_to(user).filter(pk=pk).select_related("unit", "owner__unit").first()
    if found is None:
        raise Http404
    return found


def can_manage_matters_of(user: AnyUser, unit: Unit) -> bool:
    return holds_role_over(user, unit, MATTER_MANAGER_ROLES)


def can_complete_matter(user: AnyUser, matter: PracticalMatter) -> bool:
    """The owner marks it done; office staff and unit heads of its subtree may too."""
    if matter.completed_at is not None:
        return False
    owner = matter.owner
    return owner.user_id == getattr(user, "pk", None) or can_manage_matters_of(user, matter.unit)


def typical_cases_visible_to(user: AnyUser) -> QuerySet[TypicalCase]:
    """Office staff and leaders see every case of their subtree; any officer sees the
    published cases of their own unit and of the units above it."""
    if not getattr(user, "is_authenticated", False):
        return TypicalCase.objects.none()
    q = unit_q(user, PUBLIC_READER_ROLES, prefix="unit__")
    officer = Officer.objects.filter(user_id=user.pk).select_related("unit").first()
    if officer is not None:
        q |= Q(status=ApprovalStatus.PUBLISHED, unit__path__in=officer.unit.ancestor_paths())
    return TypicalCase.objects.filter(q)


@audited_lookup("remediation.typicalcase")
def get_typical_case_for_user(user: AnyUser, pk: int) -> TypicalCase:
    found = typical_cases_visible_to(user).filter(pk=pk).select_related("unit").first()
    if found is None:
        raise Http404
    return found


def can_decide_typical_case(user: AnyUser, case: TypicalCase) -> bool:
    """Leaders of the case's unit subtree approve or reject it (never its drafter's
    office role alone)."""
    return holds_role_over(user, case.unit, CASE_DECIDER_ROLES)


def can_submit_typical_case(user: AnyUser, case: TypicalCase) -> bool:
    return case.status in APPROVAL_SUBMITTABLE and can_manage_public_of(user, case.unit)
