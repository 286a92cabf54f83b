"""The closure gate (三个不放过, R5) and the escalation wait (R6), as a pure function.

An item is accepted only when (1) the problem is resolved: every measure is done, at least
one piece of evidence is approved and none is waiting for review; (2) the public is
satisfied: the item's acceptance survey reaches the campaign's bar, or a leader waived it
with a reason; (3) those responsible were dealt with: at least one accountability record,
or a recorded finding that nobody is to blame. An escalated item also waits for its
superior's item to be accepted (表现在基层、根子在上面: the root is closed first).

`missing_conditions(facts)` names each condition that does not hold, one entry per
condition, each starting with the condition's name so the accept button can list them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

COND_RESOLVED = "问题未解决不放过"
COND_PUBLIC = "群众不满意不放过"
COND_DEALT = "责任人未处理不放过"
COND_UPPER = "上级问题未验收"


@dataclass(frozen=True)
class ClosureFacts:
    """What the gate looks at, gathered by remediation.selectors.closure."""

    measures: int
    measures_open: int
    evidence_approved: int
    evidence_pending: int
    survey_responses: int
    survey_average: Decimal | None
    survey_min_responses: int
    survey_threshold: Decimal
    survey_passed: bool
    survey_waived: bool
    accountability_records: int
    # R6: set when the item was escalated; the superior item's status and its label.
    upper_status: str | None = None
    upper_status_label: str = ""
    upper_unit_name: str = ""
    upper_accepted: bool = False


def _resolved(f: ClosureFacts) -> str | None:
    parts = []
    if f.measures_open:
        parts.append(_("尚有%(n)s项对策措施未完成") % {"n": f.measures_open})
    if not f.evidence_approved:
        parts.append(_("尚无经认可的佐证材料"))
    if f.evidence_pending:
        parts.append(_("%(n)s份佐证材料待审核") % {"n": f.evidence_pending})
    if not parts:
        return None
    return _(COND_RESOLVED) + "：" + "，".join(parts)


def _public(f: ClosureFacts) -> str | None:
    if f.survey_passed or f.survey_waived:
        return None
    average = "—" if f.survey_average is None else f"{f.survey_average}"
    detail = _(
        "群众验收%(n)s份、平均满意度%(avg)s分，须至少%(min)s份且不低于%(bar)s分"
        "（或由领导说明理由后免于群众验收）"
    ) % {
        "n": f.survey_responses,
        "avg": average,
        "min": f.survey_min_responses,
        "bar": f.survey_threshold,
    }
    return _(COND_PUBLIC) + "：" + detail


def _dealt(f: ClosureFacts) -> str | None:
    if f.accountability_records:
        return None
    return _(COND_DEALT) + "：" + _("尚无问责记录，须登记责任人处理情况或经查无责任人的认定")


def _upper(f: ClosureFacts) -> str | None:
    if f.upper_status is None or f.upper_accepted:
        return None
    return (
        _(COND_UPPER)
        + "："
        + _("已上报%(unit)s，须上级问题验收后方可验收本问题（上级问题状态：%(s)s）")
        % {"unit": f.upper_unit_name, "s": f.upper_status_label}
    )


def missing_conditions(facts: ClosureFacts) -> list[str]:
    """Each closure condition that does not hold, named, in a fixed order; empty = may
    be accepted."""
    checks = (_resolved, _public, _dealt, _upper)
    return [m for m in (check(facts) for check in checks) if m]
