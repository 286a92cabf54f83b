"""Object rules of the self-check app: who sees which report, question, talk, warning
case and N item, and who may review, answer, approve or draft. Built on the unit and role
primitives of `rectify.access` (roles_of, scope_paths, unit_q, units_visible_to).

An officer sees only their own report; a reviewer the reports of the subtree they review.
Leaders, offices and unit heads see aggregate figures of their subtree (SELFCHECK_FIGURES),
not report contents. Superusers get no blanket read (need to know). The leads app reads
declarations through `selfcheck_declarations_readable` and `selfcheck.selectors` only.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from rectify.access import (
    audited_lookup,
    has_role,
    holds_role_over,
    scope_paths,
    unit_q,
    units_visible_to,
)
from rectify.models import AnyUser, Officer, Role, Unit

from .models import CaseStatus, ItemConfig, Question, SelfCheckReport, Talk, WarningCase

SELFCHECK_FIGURES = (Role.REVIEWER, Role.LEADER, Role.OFFICE, Role.UNIT_HEAD)
SELFCHECK_QUESTION_ANSWERERS = (Role.REVIEWER, Role.OFFICE)
SELFCHECK_TALK_KEEPERS = (Role.REVIEWER, Role.OFFICE, Role.UNIT_HEAD, Role.LEADER)
SELFCHECK_EXPORTERS = (Role.REVIEWER, Role.OFFICE)
SELFCHECK_REMINDERS = (Role.REVIEWER, Role.OFFICE)


def _own_officer_q(user: AnyUser, prefix: str = "officer__") -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(**{f"{prefix}user_id": user.pk})


# --- reports ------------------------------------------------------------------------------


def selfchecks_visible_to(user: AnyUser) -> QuerySet[SelfCheckReport]:
    """The user's own report and those of the subtree they review."""
    q = _own_officer_q(user) | unit_q(user, [Role.REVIEWER], prefix="officer__unit__")
    return SelfCheckReport.objects.filter(q)


@audited_lookup("selfcheck.selfcheckreport")
def get_selfcheck_for_user(user: AnyUser, pk: int) -> SelfCheckReport:
    """A visible report with its officer, unit and campaign; 404 (audited) otherwise."""
    report = (
        selfchecks_visible_to(user)
        .filter(pk=pk)
        .select_related("officer__unit", "campaign")
        .first()
    )
    if report is None:
        raise Http404
    return report


def can_review_report(user: AnyUser, report: SelfCheckReport) -> bool:
    """Reviewers of the officer's subtree, never the officer themself."""
    if report.officer.user_id == user.pk:
        return False
    return holds_role_over(user, report.officer.unit, [Role.REVIEWER])


def can_answer_report(user: AnyUser, report: SelfCheckReport) -> bool:
    """Reviewers and office staff of the officer's subtree answer questions on a report,
    never the officer themself."""
    if report.officer.user_id == user.pk:
        return False
    return holds_role_over(user, report.officer.unit, SELFCHECK_QUESTION_ANSWERERS)


def selfcheck_content_q(user: AnyUser) -> Q:
    """Reports whose answers the user may read: their own and those of the subtree they
    review. Office staff follow progress, not contents (need to know)."""
    return _own_officer_q(user) | unit_q(user, [Role.REVIEWER], prefix="officer__unit__")


def selfcheck_reports_for_export(user: AnyUser) -> QuerySet[SelfCheckReport]:
    """Rows of the report summary (导出报告汇总): the user's own report, the reports of the
    subtree they review, and for office staff the reports of their office's subtree. Which
    rows show answers is `selfcheck_content_q`."""
    q = selfcheck_content_q(user) | unit_q(user, [Role.OFFICE], prefix="officer__unit__")
    return SelfCheckReport.objects.filter(q)


def selfcheck_declarations_readable(user: AnyUser, officer: Officer) -> bool:
    """Whether the user may read `officer`'s self-check declarations (as on the self-check
    pages: the officer themself and the reviewers of the officer's subtree)."""
    return selfchecks_visible_to(user).filter(officer=officer).exists()


def selfcheck_officers_to_remind(user: AnyUser) -> QuerySet[Officer]:
    """Officers a reviewer or office member may send self-check reminders to."""
    return Officer.objects.filter(unit_q(user, SELFCHECK_REMINDERS, prefix="unit__"))


def reports_to_review(user: AnyUser) -> QuerySet[SelfCheckReport]:
    """The reports of the subtree the user reviews, never their own: the visible set less
    the own report, written as the unit-path scope alone (no `OR own officer`), which lets
    the database start from the subtree's units instead of scanning every officer."""
    return SelfCheckReport.objects.filter(
        unit_q(user, [Role.REVIEWER], prefix="officer__unit__")
    ).exclude(officer__user=user)


def units_to_choose(user: AnyUser, roles: tuple[str, ...] | list[str], limit: int) -> list[Unit]:
    """Units of the user's `roles` subtrees in tree order, for a unit chooser."""
    return list(units_visible_to(user, roles).order_by("path")[:limit])


# --- questions ----------------------------------------------------------------------------


def selfcheck_questions_visible_to(user: AnyUser) -> QuerySet[Question]:
    """Only the asking officer and the reviewers/office of the officer's subtree."""
    q = _own_officer_q(user, "report__officer__") | unit_q(
        user, SELFCHECK_QUESTION_ANSWERERS, prefix="report__officer__unit__"
    )
    return Question.objects.filter(q)


def get_question_to_answer(user: AnyUser, pk: int) -> Question:
    """A question the user may answer (visible, and not on their own report); 404 otherwise."""
    question = (
        selfcheck_questions_visible_to(user)
        .select_related("report__officer__unit", "report__officer__user")
        .filter(pk=pk)
        .first()
    )
    if question is None or not can_answer_report(user, question.report):
        raise Http404
    return question


# --- figures ------------------------------------------------------------------------------


def selfcheck_units_for_figures(user: AnyUser) -> QuerySet[Unit]:
    return units_visible_to(user, SELFCHECK_FIGURES)


def figures_unit_for_user(user: AnyUser, unit_id: int | None) -> Unit:
    """The unit whose figures the user asked for, or the first root of their figures scope;
    404 when it is outside that scope or the user has none."""
    units = selfcheck_units_for_figures(user)
    if unit_id:
        unit = units.filter(pk=unit_id).first()
        if unit is None:
            raise Http404
        return unit
    roots = scope_paths(user, SELFCHECK_FIGURES)
    if not roots:
        raise Http404
    return units.filter(path=roots[0]).first()


def figures_parent_for_user(user: AnyUser, unit: Unit) -> Unit | None:
    """The parent to drill up to from `unit`, when it is still in the figures scope (None
    at a scope root or the top of the tree)."""
    if unit.depth <= 1 or unit.path in scope_paths(user, SELFCHECK_FIGURES):
        return None
    return selfcheck_units_for_figures(user).filter(path=unit.parent_path()).first()


# --- N items ------------------------------------------------------------------------------


def selfcheck_item_configs_visible_to(user: AnyUser) -> QuerySet[ItemConfig]:
    """The "N" items an office member configures: those of units in their office scope."""
    return ItemConfig.objects.filter(unit_q(user, [Role.OFFICE], prefix="unit__"))


def get_item_config_for_user(user: AnyUser, pk: int) -> ItemConfig:
    item = selfcheck_item_configs_visible_to(user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


# --- talks (S1) ---------------------------------------------------------------------------


def talk_officers_visible_to(user: AnyUser) -> QuerySet[Officer]:
    """Active officers whose heart-to-heart talks the user records and follows (S1)."""
    return Officer.objects.filter(
        unit_q(user, SELFCHECK_TALK_KEEPERS, prefix="unit__"), is_active=True
    )


def talks_visible_to(user: AnyUser) -> QuerySet[Talk]:
    """Talks with officers of the subtree the user keeps talks for."""
    return Talk.objects.filter(unit_q(user, SELFCHECK_TALK_KEEPERS, prefix="officer__unit__"))


def get_talk_for_user(user: AnyUser, pk: int) -> Talk:
    """A talk record the user keeps (S1): 404 when it is missing or outside their scope."""
    talk = (
        talks_visible_to(user)
        .filter(pk=pk)
        .select_related("officer__unit", "talker__unit", "trigger")
        .first()
    )
    if talk is None:
        raise Http404
    return talk


# --- warning cases (S2 / O6) --------------------------------------------------------------


def warning_cases_visible_to(user: AnyUser) -> QuerySet[WarningCase]:
    """Office and leaders see all cases of their subtree; officers see published cases
    addressed to their unit or one of its ancestors."""
    managed = unit_q(user, (Role.OFFICE, Role.LEADER), prefix="unit__")
    officer = getattr(user, "officer", None) if getattr(user, "is_authenticated", False) else None
    published = Q(pk__in=[])
    if officer is not None:
        published = Q(status=CaseStatus.PUBLISHED, unit__path__in=officer.unit.ancestor_paths())
    return WarningCase.objects.filter(managed | published)


@audited_lookup("selfcheck.warningcase")
def get_warning_case_for_user(user: AnyUser, pk: int) -> WarningCase:
    case = warning_cases_visible_to(user).filter(pk=pk).select_related("unit").first()
    if case is None:
        raise Http404
    return case


def can_draft_case_for(user: AnyUser, unit: Unit) -> bool:
    """Office staff draft cases for units of their office subtree."""
    return has_role(user, Role.OFFICE) and holds_role_over(user, unit, [Role.OFFICE])


def can_decide_case(user: AnyUser, case: WarningCase) -> bool:
    """Leaders of the case's unit subtree approve or reject it."""
    return holds_role_over(user, case.unit, [Role.LEADER])
