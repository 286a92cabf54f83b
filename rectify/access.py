"""Scoping: which units a user holds which roles over, and what that lets them see.

The primitives know only units and roles: `roles_of`, `scope_paths`, `unit_q`,
`units_visible_to`, `holds_role_over`, `role_required`. A RoleAssignment gives its holder
the subtree rooted at its unit. A user's assignments are read once per request (one query,
cached on the user object) and turned into `path LIKE 'prefix%'` conditions, so every
scoped list costs the same number of queries however much data there is. Objects handed to
a person (a lead assigned to a handler) are reached through their foreign key.

Views never filter by hand: they call a function here or in their app's access rules, or a
`get_<obj>_for_user` helper, which gives 404 for what the user may not see. The self-check
rules live in selfcheck/access.py; the leads rules further down belong with their app.

Superusers are administrators of the system, not readers of case files: they get no
blanket read of leads (recusal applies whatever the role); see the app functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .audit import audit_record
from .models import AuditEvent, AuditVerb, Office, Officer, Role, RoleAssignment, Unit

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from leads.models import Escalation, Lead, LeadAttachment, LeadSubjectCandidate, RiskNote
    from leads.models_import import LeadImportJob
    from rectify.models import AnyUser

_CACHE_ATTR = "_rectify_assignments"
_T = TypeVar("_T")


def assignments_of(user: AnyUser) -> list[RoleAssignment]:
    """The user's role assignments with their units (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("unit", "office"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_assignments(user: AnyUser) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: AnyUser) -> set[str]:
    roles = {a.role for a in assignments_of(user)}
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    return roles


def has_role(user: AnyUser, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def scope_paths(user: AnyUser, roles: Iterable[str] | None = None) -> list[str]:
    """Tree paths of the subtrees the user holds `roles` over (redundant nested ones dropped)."""
    wanted = set(roles) if roles is not None else None
    paths = sorted(
        {a.unit.path for a in assignments_of(user) if wanted is None or a.role in wanted}
    )
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def holds_role_over(user: AnyUser, unit: Unit, roles: Iterable[str]) -> bool:
    """Whether `unit` lies in a subtree the user holds one of `roles` over (the unit
    itself included). Only role assignments count: being a superuser holds no role."""
    path = unit.path
    return any(path.startswith(p) for p in scope_paths(user, roles))


def unit_q(user: AnyUser, roles: Iterable[str] | None = None, *, prefix: str = "") -> Q:
    """A Q matching rows whose unit (reached through `prefix`, e.g. `unit__`) is in scope."""
    paths = scope_paths(user, roles)
    if getattr(user, "is_superuser", False) and (roles is None or Role.ADMIN in set(roles)):
        # Always true, and unlike an empty Q() it survives `|`: `Q() | Q(user_id=…)` is
        # just the right-hand side, which left a superuser's officer list empty.
        return Q(pk__isnull=False)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def units_visible_to(user: AnyUser, roles: Iterable[str] | None = None) -> QuerySet[Unit]:
    """Units in the subtrees of the user's role assignments (all of them for superusers)."""
    return Unit.objects.filter(unit_q(user, roles))


def unit_ids_visible_to(user: AnyUser, roles: Iterable[str] | None = None) -> QuerySet:
    return units_visible_to(user, roles).values("id")


# Roles that see officer records across their subtree (the officer role sees only self).
OFFICER_READERS = (Role.REVIEWER, Role.INTAKE, Role.OFFICE, Role.UNIT_HEAD, Role.LEADER, Role.ADMIN)


def officers_visible_to(user: AnyUser) -> QuerySet[Officer]:
    """Officers of the subtrees the user reviews, staffs, heads or leads; plus themselves."""
    q = unit_q(user, OFFICER_READERS, prefix="unit__")
    own = Q(user_id=user.pk) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    return Officer.objects.filter(q | own).select_related("unit")


def offices_visible_to(user: AnyUser) -> QuerySet[Office]:
    return Office.objects.filter(unit_q(user, prefix="jurisdiction__")).select_related(
        "jurisdiction", "host_unit"
    )


def audit_events_visible_to(user: AnyUser) -> QuerySet[AuditEvent]:
    """The audit trail is for system administrators only."""
    if has_role(user, Role.ADMIN):
        return AuditEvent.objects.all()
    return AuditEvent.objects.none()


def audited_lookup(object_type: str) -> Callable[[Callable[..., _T]], Callable[..., _T]]:
    """Decorator of every `get_<obj>_for_user(user, pk)` helper: the 404 it gives a
    signed-in user is audited (verb denied, action `<object_type>.denied`, the id asked
    for), so probing ids leaves a trace. Missing and invisible objects are recorded alike,
    as they are answered alike."""

    def decorator(helper: Callable[..., _T]) -> Callable[..., _T]:
        @wraps(helper)
        def wrapped(user: AnyUser, pk: int | str, *args, **kwargs) -> _T:
            try:
                return helper(user, pk, *args, **kwargs)
            except Http404:
                if getattr(user, "is_authenticated", False):
                    audit_record(
                        actor=user,
                        verb=AuditVerb.DENIED,
                        action=f"{object_type}.denied",
                        object_type=object_type,
                        object_id=str(pk)[:64],
                    )
                raise

        return wrapped

    return decorator


@audited_lookup("rectify.officer")
def get_officer_for_user(user: AnyUser, pk: int) -> Officer:
    try:
        return officers_visible_to(user).get(pk=pk)
    except Officer.DoesNotExist as exc:
        raise Http404 from exc


@audited_lookup("rectify.unit")
def get_unit_for_user(user: AnyUser, pk: int) -> Unit:
    try:
        return units_visible_to(user).get(pk=pk)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: the user must hold one of `roles` (403 otherwise; login first)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin:
    """CBV twin of `role_required`."""

    required_roles: tuple[str, ...] = ()

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not has_role(request.user, *self.required_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- leads: ledger import jobs ----------------------------------------------------------------
LEAD_IMPORTERS = (Role.INTAKE, Role.OFFICE)


def lead_offices_for(user: AnyUser) -> QuerySet[Office]:
    """Offices whose leads the user registers and imports: intake/office staff of the
    office's jurisdiction."""
    return Office.objects.filter(unit_q(user, LEAD_IMPORTERS, prefix="jurisdiction__")).order_by(
        "short_name"
    )


def lead_import_jobs_visible_to(user: AnyUser) -> QuerySet[LeadImportJob]:
    """The user's own uploads to offices they still import for: a job's preview and
    problem list are cut to what its uploader may see (recusal, reporter), so nobody
    else reads them."""
    from leads.models import LeadImportJob

    offices = lead_offices_for(user).values("id")
    return LeadImportJob.objects.filter(office__in=offices, created_by_id=user.pk).order_by(
        "-created_at", "-id"
    )


# --- leads (the lead ledger) ----------------------------------------------------------------
# Intake and office staff see the leads of their office's jurisdiction; leaders those of
# offices in their subtree; a handler the leads assigned to them; a unit head the leads
# handled in their subtree. RECUSAL: nobody — superusers included — sees a lead in which
# they are a subject. Only intake staff may reveal reporter identity.

LEAD_OFFICE_ROLES = (Role.INTAKE, Role.OFFICE)
LEAD_READER_ROLES = (Role.INTAKE, Role.OFFICE, Role.HANDLER, Role.UNIT_HEAD, Role.LEADER)


def leads_visible_to(user: AnyUser) -> QuerySet[Lead]:
    from leads.models import Lead

    if not getattr(user, "is_authenticated", False):
        return Lead.objects.none()
    from leads.models import CandidateState, LeadSubject, LeadSubjectCandidate

    # Conditions on the lead's own columns against small subqueries (no joins): PostgreSQL
    # can then walk the ledger's (received_date, id) index for the first page instead of
    # joining and sorting every lead (bench leads_ledger).
    me = Officer.objects.filter(user_id=user.pk).values("id")
    offices = Office.objects.filter(
        unit_q(user, (Role.INTAKE, Role.OFFICE, Role.LEADER), prefix="jurisdiction__")
    ).values("id")
    headed = Unit.objects.filter(unit_q(user, [Role.UNIT_HEAD])).values("id")
    q = (
        Q(office_id__in=offices)
        | Q(handler_id__in=me)
        | Q(handling_unit_id__in=headed)
        # L6: the leader named for listed supervision (挂牌督办) follows the lead.
        | Q(supervisor_id__in=me)
    )
    recused = LeadSubject.objects.filter(officer_id__in=me).values("lead_id")
    # Recusal by identity: a subject typed as a name or number that may mean me (matched
    # against the whole register when the subjects were written), until intake rules the
    # match out. A maintained table, so this stays one indexed id subquery.
    named = (
        LeadSubjectCandidate.objects.filter(officer_id__in=me)
        .exclude(state=CandidateState.RULED_OUT)
        .values("lead_id")
    )
    return Lead.objects.filter(q).exclude(Q(pk__in=recused) | Q(pk__in=named))


@audited_lookup("leads.lead")
def get_lead_for_user(user: AnyUser, pk: int) -> Lead:
    lead = (
        leads_visible_to(user)
        .filter(pk=pk)
        .select_related(
            "office__jurisdiction",
            "channel",
            "subject_unit",
            "handling_unit",
            "handler__unit",
            "merged_into",
        )
        .first()
    )
    if lead is None:
        raise Http404
    return lead


def can_manage_lead(user: AnyUser, lead: Lead) -> bool:
    """Intake/office staff of the lead's office jurisdiction (triage, replies, crossing off)."""
    return holds_role_over(user, lead.office.jurisdiction, LEAD_OFFICE_ROLES)


def can_handle_lead(user: AnyUser, lead: Lead) -> bool:
    """The lead's own handler (progress notes, conclusion)."""
    return bool(lead.handler_id and lead.handler.user_id == getattr(user, "pk", None))


def can_reveal_reporter(user: AnyUser, lead: Lead) -> bool:
    """Intake staff of the lead's office jurisdiction (the lead must already be visible)."""
    return holds_role_over(user, lead.office.jurisdiction, [Role.INTAKE])


def can_read_original_report(user: AnyUser, lead: Lead) -> bool:
    """原始举报内容 of a public report: intake and office staff of the lead's office."""
    return can_manage_lead(user, lead)


def can_decide_subject_candidate(
    user: AnyUser, lead: Lead, candidate: LeadSubjectCandidate
) -> bool:
    """Confirm or rule out an officer a typed subject may mean: intake/office staff of the
    lead's office, and only for officers they may see (nobody is shown an officer outside
    their scope). A candidate who is the user is never theirs to decide (and the lead is
    invisible to them anyway)."""
    if not can_manage_lead(user, lead) or candidate.officer.user_id == getattr(user, "pk", None):
        return False
    return officers_visible_to(user).filter(pk=candidate.officer_id).exists()


# --- leads: oversight (L6 listed supervision and jurisdiction, L7 supervision notes,
# L10 escalations and accountability, L11 risk notes) ------------------------------------------
# Office staff (intake/office of the lead's office) list supervision, change jurisdiction and
# attach accountability. Leaders whose subtree holds the lead's office may list supervision
# and write supervision notes (督办), as may the leader named as supervisor. Risk notes on a
# lead: its handler and office staff; on an officer: office staff and leaders whose subtree
# holds the officer. Nobody ever sees a risk note about themself, and recusal applies to
# everything reached through a lead.

LEAD_BOARD_ROLES = (Role.INTAKE, Role.OFFICE, Role.UNIT_HEAD, Role.LEADER)
RISK_OFFICER_ROLES = (Role.OFFICE, Role.LEADER)


def is_lead_leader(user: AnyUser, lead: Lead) -> bool:
    """A leader whose subtree holds the lead's office (the lead must already be visible)."""
    return holds_role_over(user, lead.office.jurisdiction, [Role.LEADER])


def can_list_supervision(user: AnyUser, lead: Lead) -> bool:
    return can_manage_lead(user, lead) or is_lead_leader(user, lead)


def can_write_supervision_note(user: AnyUser, lead: Lead) -> bool:
    is_supervisor = bool(
        lead.supervisor_id and lead.supervisor.user_id == getattr(user, "pk", None)
    )
    return can_list_supervision(user, lead) or is_supervisor


def can_change_jurisdiction(user: AnyUser, lead: Lead) -> bool:
    return can_manage_lead(user, lead)


def can_add_accountability(user: AnyUser, lead: Lead) -> bool:
    return can_manage_lead(user, lead)


def can_write_lead_risk(user: AnyUser, lead: Lead) -> bool:
    return can_manage_lead(user, lead) or can_handle_lead(user, lead)


def risk_officers_visible_to(user: AnyUser) -> QuerySet[Officer]:
    """Officers the user may assess (and read assessments of): office staff and leaders of
    the officer's subtree; never the user themself."""
    if not getattr(user, "is_authenticated", False):
        return Officer.objects.none()
    q = unit_q(user, RISK_OFFICER_ROLES, prefix="unit__")
    return Officer.objects.filter(q).exclude(user_id=user.pk).select_related("unit")


@audited_lookup("rectify.officer")
def get_officer_for_risk(user: AnyUser, pk: int) -> Officer:
    officer = risk_officers_visible_to(user).filter(pk=pk).first()
    if officer is None:
        raise Http404
    return officer


def risk_notes_visible_to(user: AnyUser) -> QuerySet[RiskNote]:
    """Notes on leads the user can see (leads_visible_to, recusal included), plus notes on
    officers of the user's office/leader subtree; never a note about the user themself."""
    from leads.models import RiskNote

    if not getattr(user, "is_authenticated", False):
        return RiskNote.objects.none()
    on_lead = Q(lead__isnull=False, lead__in=leads_visible_to(user).values("id"))
    on_officer = Q(lead__isnull=True, officer__isnull=False) & unit_q(
        user, RISK_OFFICER_ROLES, prefix="officer__unit__"
    )
    return RiskNote.objects.filter(on_lead | on_officer).exclude(officer__user_id=user.pk)


def escalations_visible_to(user: AnyUser) -> QuerySet[Escalation]:
    """Escalations (L10) of the leads the user can see."""
    from leads.models import Escalation

    return Escalation.objects.filter(lead__in=leads_visible_to(user).values("id"))


def can_attach_to_lead(user: AnyUser, lead: Lead) -> bool:
    """Intake/office staff who manage the lead, and its handler, while it is writable."""
    return lead.is_writable and (can_manage_lead(user, lead) or can_handle_lead(user, lead))


def can_remove_lead_attachment(user: AnyUser, lead: Lead, attachment: LeadAttachment) -> bool:
    """Managing staff remove any file; the handler only the files they uploaded. Nobody
    removes a file the reporter sent with a public report (part of the original report)."""
    if not lead.is_writable or attachment.from_reporter:
        return False
    if can_manage_lead(user, lead):
        return True
    return can_handle_lead(user, lead) and attachment.uploaded_by_id == user.pk
