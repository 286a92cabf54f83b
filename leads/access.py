"""Who may see and do what to a lead: the leads app's object rules, built on the unit and
role primitives of rectify.access (scope_paths, unit_q, holds_role_over).

Intake and office staff see the leads of their office's jurisdiction; leaders those of
offices in their subtree; a handler the leads assigned to them; a unit head the leads
handled in their subtree; the leader named for listed supervision the lead they supervise.
RECUSAL: nobody, superusers included, sees a lead in which they are a subject (by officer or
by an unresolved identity match). Visible sets are id subqueries, so every scoped list costs
the same number of queries; `get_<obj>_for_user` gives 404 for what the user may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from rectify.access import (
    audited_lookup,
    has_role,
    holds_role_over,
    officers_visible_to,
    unit_q,
)
from rectify.models import Office, Officer, Role, Unit

from .models import (
    CandidateState,
    Escalation,
    Lead,
    LeadAttachment,
    LeadImportJob,
    LeadStatus,
    LeadSubject,
    LeadSubjectCandidate,
    RiskNote,
    Signature,
    SignatureRole,
)

if TYPE_CHECKING:
    from rectify.models import AnyUser

# --- ledger import jobs ----------------------------------------------------------------------
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
    offices = lead_offices_for(user).values("id")
    return LeadImportJob.objects.filter(office__in=offices, created_by_id=user.pk).order_by(
        "-created_at", "-id"
    )


# --- leads ------------------------------------------------------------------------------------
# Intake and office staff see the leads of their office's jurisdiction; leaders those of
# offices in their subtree; a handler the leads assigned to them; a unit head the leads
# handled in their subtree. RECUSAL: nobody — superusers included — sees a lead in which
# they are a subject. Only intake staff may reveal reporter identity.

LEAD_OFFICE_ROLES = (Role.INTAKE, Role.OFFICE)
LEAD_READER_ROLES = (Role.INTAKE, Role.OFFICE, Role.HANDLER, Role.UNIT_HEAD, Role.LEADER)


def leads_visible_to(user: AnyUser) -> QuerySet[Lead]:
    if not getattr(user, "is_authenticated", False):
        return Lead.objects.none()
    # Conditions on the lead's own columns against small subqueries (no joins): PostgreSQL
    # can then walk the ledger's (received_date, id) index for the first page instead of
    # joining and sorting every lead (bench leads_ledger). The terms that cannot match are
    # left out (no officer of one's own: not a handler, supervisor or subject of anything;
    # no unit head role: no headed units), so the planner estimates an office's share of
    # the ledger from the office alone, not from an OR of subqueries (bench pages #14: a
    # district office's first page walked a fifth of the province's ledger).
    me = my_officer_ids(user)
    offices = Office.objects.filter(
        unit_q(user, (Role.INTAKE, Role.OFFICE, Role.LEADER), prefix="jurisdiction__")
    ).values("id")
    q = Q(office_id__in=offices)
    if me:
        # L6: the leader named for listed supervision (挂牌督办) follows the lead.
        q |= Q(handler_id__in=me) | Q(supervisor_id__in=me)
    if has_role(user, Role.UNIT_HEAD):
        headed = Unit.objects.filter(unit_q(user, [Role.UNIT_HEAD])).values("id")
        q |= Q(handling_unit_id__in=headed)
    leads = Lead.objects.filter(q)
    return leads.exclude(recused_q(user)) if me else leads


def my_officer_ids(user: AnyUser) -> list[int]:
    """The user's own officer, as a list of ids (the reverse one-to-one, cached on the user
    object like any related object, so later reads of `user.officer` cost nothing)."""
    if not getattr(user, "is_authenticated", False):
        return []
    try:
        officer = user.officer
    except ObjectDoesNotExist:
        return []
    return [officer.pk] if officer is not None else []


def recused_q(user: AnyUser, *, prefix: str = "") -> Q:
    """RECUSAL: a Q matching rows whose lead (reached through `prefix`, e.g. `source_lead__`)
    names the user as a subject, by officer or by an identity match not yet ruled out. For
    other apps' objects derived from a lead: `.exclude(recused_q(user, prefix=...))`."""
    me = Officer.objects.filter(user_id=user.pk).values("id")
    recused = LeadSubject.objects.filter(officer_id__in=me).values("lead_id")
    # Recusal by identity: a subject typed as a name or number that may mean me (matched
    # against the whole register when the subjects were written), until intake rules the
    # match out. A maintained table, so this stays one indexed id subquery.
    named = (
        LeadSubjectCandidate.objects.filter(officer_id__in=me)
        .exclude(state=CandidateState.RULED_OUT)
        .values("lead_id")
    )
    key = f"{prefix}pk" if prefix else "pk"
    if prefix.endswith("__"):
        key = f"{prefix}id"
    return Q(**{f"{key}__in": recused}) | Q(**{f"{key}__in": named})


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
    if not getattr(user, "is_authenticated", False):
        return RiskNote.objects.none()
    on_lead = Q(lead__isnull=False, lead__in=leads_visible_to(user).values("id"))
    on_officer = Q(lead__isnull=True, officer__isnull=False) & unit_q(
        user, RISK_OFFICER_ROLES, prefix="officer__unit__"
    )
    return RiskNote.objects.filter(on_lead | on_officer).exclude(officer__user_id=user.pk)


def escalations_visible_to(user: AnyUser) -> QuerySet[Escalation]:
    """Escalations (L10) of the leads the user can see."""
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


def get_import_job_for_user(user: AnyUser, pk: int) -> LeadImportJob:
    """One of the user's own import jobs (lead_import_jobs_visible_to), without the uploaded
    file; 404 for anybody else's. Not audited: jobs carry no case content of their own."""
    job = (
        lead_import_jobs_visible_to(user)
        .select_related("office")
        .defer("content")
        .filter(pk=pk)
        .first()
    )
    if job is None:
        raise Http404
    return job


# --- what a user may do to a lead (STYLE.md §3) ------------------------------------------------
# One predicate per action that can be posted on (or opened from) a lead's page. The page
# draws a button or form exactly when its predicate holds (`lead_actions_for`), and each
# action view checks the same predicate before calling its service (403 otherwise; the lead
# itself is loaded with get_lead_for_user, so an invisible lead is a 404 first). The state
# conditions here are the ones the page has always drawn by; the services check them again
# under a row lock.

S = LeadStatus
_BEFORE_TRIAGE = (S.UNREGISTERED, S.REGISTERED, S.HELD)


def is_unit_head_of(user: AnyUser, unit: Unit | None) -> bool:
    """The main leader of `unit`: its primary responsible person, or a unit_head over it."""
    if unit is None or not getattr(user, "is_authenticated", False):
        return False
    if (
        unit.primary_responsible_id
        and Officer.objects.filter(pk=unit.primary_responsible_id, user_id=user.pk).exists()
    ):
        return True
    return holds_role_over(user, unit, [Role.UNIT_HEAD])


def _live_signature_roles(lead: Lead) -> set[str]:
    """Roles already signed for the lead's current conclusion text (voided ones do not count)."""
    return {s.role for s in Signature.objects.filter(lead=lead) if s.binds(lead)}


def _can_register(user: AnyUser, lead: Lead) -> bool:
    """登记此举报: an unregistered (public) report, by its office's staff."""
    return lead.status == S.UNREGISTERED and can_manage_lead(user, lead)


def _can_triage(user: AnyUser, lead: Lead) -> bool:
    """筛查处置 (assign, transfer, merge, hold, close) of a registered or held lead."""
    return lead.status in (S.REGISTERED, S.HELD) and can_manage_lead(user, lead)


def _can_close(user: AnyUser, lead: Lead) -> bool:
    """予以了结: from the triage card, or before registering a public report."""
    return _can_triage(user, lead) or _can_register(user, lead)


def _can_merge_into(user: AnyUser, lead: Lead) -> bool:
    """并入此线索 from the duplicate panel: this lead into a registered, unmerged one."""
    return (
        lead.is_writable
        and lead.status in _BEFORE_TRIAGE
        and lead.merged_into_id is None
        and can_manage_lead(user, lead)
    )


def _can_name_handler(user: AnyUser, lead: Lead) -> bool:
    """指定承办人 after a change of jurisdiction left the lead without a handler."""
    return (
        lead.status == S.HANDLING
        and lead.handler_id is None
        and lead.is_writable
        and can_manage_lead(user, lead)
    )


def _can_feedback(user: AnyUser, lead: Lead) -> bool:
    return lead.status == S.TRANSFERRED and can_manage_lead(user, lead)


def _can_conclude(user: AnyUser, lead: Lead) -> bool:
    return (
        lead.status in (S.HANDLING, S.SIGNING) and lead.is_writable and can_handle_lead(user, lead)
    )


def _can_note(user: AnyUser, lead: Lead) -> bool:
    """办理记录: the handler and the office staff, once the lead is screened."""
    return (
        lead.is_writable
        and lead.is_screened
        and (can_handle_lead(user, lead) or can_manage_lead(user, lead))
    )


def _can_sign_as_handler(user: AnyUser, lead: Lead) -> bool:
    return (
        lead.status == S.SIGNING
        and can_handle_lead(user, lead)
        and SignatureRole.HANDLER not in _live_signature_roles(lead)
    )


def _can_sign_as_head(user: AnyUser, lead: Lead) -> bool:
    """The unit head's part: never the handler, whatever roles they also hold."""
    return (
        lead.status == S.SIGNING
        and not can_handle_lead(user, lead)
        and SignatureRole.UNIT_HEAD not in _live_signature_roles(lead)
        and is_unit_head_of(user, lead.handling_unit)
    )


def _can_cross_off(user: AnyUser, lead: Lead) -> bool:
    return lead.status == S.CONCLUDED and can_manage_lead(user, lead)


def _can_reply(user: AnyUser, lead: Lead) -> bool:
    return lead.is_public and can_manage_lead(user, lead)


def _can_reveal(user: AnyUser, lead: Lead) -> bool:
    return not lead.reporter_anonymous and can_reveal_reporter(user, lead)


def _can_edit_details(user: AnyUser, lead: Lead) -> bool:
    return lead.is_writable and lead.status != S.UNREGISTERED and can_manage_lead(user, lead)


def _can_list(user: AnyUser, lead: Lead) -> bool:
    return lead.is_writable and lead.is_open and can_list_supervision(user, lead)


def _can_unlist(user: AnyUser, lead: Lead) -> bool:
    return lead.supervisor_id is not None and _can_list(user, lead)


def _can_supervision_note(user: AnyUser, lead: Lead) -> bool:
    return lead.is_writable and lead.is_screened and can_write_supervision_note(user, lead)


def _can_jurisdiction(user: AnyUser, lead: Lead) -> bool:
    return (
        lead.is_writable
        and lead.status in (S.HANDLING, S.HELD)
        and can_change_jurisdiction(user, lead)
    )


def _can_risk(user: AnyUser, lead: Lead) -> bool:
    return lead.is_writable and can_write_lead_risk(user, lead)


LEAD_ACTIONS: dict[str, Callable[[AnyUser, Lead], bool]] = {
    # intake
    "register": _can_register,
    "edit": _can_edit_details,
    "reveal": _can_reveal,
    # triage (L3, L4)
    "assign": _can_triage,
    "transfer": _can_triage,
    "merge": _can_triage,
    "merge_into": _can_merge_into,
    "hold": _can_triage,
    "close": _can_close,
    "feedback": _can_feedback,
    # handling (L5, L7, L9)
    "event": _can_note,
    "conclude": _can_conclude,
    "sign_handler": _can_sign_as_handler,
    "sign_head": _can_sign_as_head,
    "cross_off": _can_cross_off,
    "reply": _can_reply,
    "attach": can_attach_to_lead,
    # oversight (L6, L7, L10, L11)
    "supervision_list": _can_list,
    "supervision_unlist": _can_unlist,
    "supervision_note": _can_supervision_note,
    "jurisdiction": _can_jurisdiction,
    "name_handler": _can_name_handler,
    "risk_add": _can_risk,
    "accountability_add": can_add_accountability,
}


def lead_actions_for(user: AnyUser, lead: Lead) -> frozenset[str]:
    """The names in LEAD_ACTIONS the user may do to the (visible) lead now: what its page
    draws."""
    return frozenset(name for name, may in LEAD_ACTIONS.items() if may(user, lead))


def may_act(user: AnyUser, lead: Lead, *names: str) -> bool:
    """Whether the user may do any of the actions `names` (several buttons post to one view:
    the triage card's and the duplicate panel's 并案 both post to `leads:merge`)."""
    return any(LEAD_ACTIONS[name](user, lead) for name in names)
