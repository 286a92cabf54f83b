"""Conflicts of interest when a handler (承办人) is chosen for a lead (回避提示, L4/L6).

`handler_conflicts(lead=, handler=)` lists the reasons, in Chinese, why the handler should
perhaps not handle the lead:

- the handler is a registered subject of the lead (or a free-text subject has their name);
- the handler and a registered subject work in the same sub-unit (see below); for subjects
  not in the officer register, the lead's subject unit (被反映人单位) counts instead;
- a name the handler declared in their own latest self-check (a relative, an enterprise, a
  lending counterparty: `selfcheck.selectors.declared_ties`) appears in the lead's summary,
  subject names or subject units (substring match on normalised text).

"Same sub-unit" (同一单位): the two officers belong to the same *organ* — the court,
procuratorate, police bureau (with its stations), justice bureau, prison or committee —
found by walking up from the officer's unit while the parent is not a region unit
(党委/地区). So a station officer and the bureau's officers conflict, and so do two officers
of different stations of one bureau; a district court and the district police bureau do not,
although both sit under the same district. Officers placed directly on a region unit form an
organ of their own (the region itself). Containment alone would be too wide: every handler of
a district lies inside the district, so a subject placed on the district unit would make every
handler "conflicted".

A conflict is a warning, not a ban: assigning anyway needs a recorded reason
(`require_override`, used by `services.lead_assign`; the jurisdiction change can call it too).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rectify.models import Officer, Unit, UnitKind
from selfcheck.selectors import declared_ties

from ..workflow import LeadError

if TYPE_CHECKING:
    from ..models import Lead

# Shorter declared names ("李", "某") would match almost any summary.
MIN_NAME_LENGTH = 2

CONFLICT_NEEDS_REASON = gettext_lazy(
    "所选承办人存在需要回避的情形，确需交办的，请填写理由后再次提交"
)

_SPACE = re.compile(r"\s+")


class HandlerConflictError(LeadError):
    """Assigning a handler with conflicts and no override reason."""

    def __init__(self, conflicts: list[str]):
        self.conflicts = list(conflicts)
        super().__init__(str(CONFLICT_NEEDS_REASON))


def normalise(text: str) -> str:
    """Width-folded (NFKC), case-folded, without whitespace: "ＡＢ 公司" matches "ab公司"."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).casefold()


def organs_of(units: list[Unit]) -> tuple[dict[str, str], dict[str, str]]:
    """(unit path -> its organ's path, organ path -> organ name); see the module docstring.
    One query for all the units."""
    wanted = {p for u in units for p in u.ancestor_paths()}
    rows = {
        p: (k, n)
        for p, k, n in Unit.objects.filter(path__in=wanted).values_list("path", "kind", "name")
    }
    out: dict[str, str] = {}
    for unit in units:
        paths = unit.ancestor_paths()  # root first, the unit itself last
        organ = paths[-1]
        for parent in reversed(paths[:-1]):
            if rows.get(parent, ("", ""))[0] == UnitKind.REGION:
                break
            organ = parent
        out[unit.path] = organ
    return out, {p: n for p, (_k, n) in rows.items()}


ROLE_HANDLER = gettext_lazy("承办人")
ROLE_UNIT_HEAD = gettext_lazy("签字的单位负责人")

# Which kind of declared tie matched, when the user may not read the declaration itself.
TIE_LABELS = {
    "relative": gettext_lazy("亲属"),
    "enterprise": gettext_lazy("企业"),
    "counterparty": gettext_lazy("借贷对象"),
}


def handler_conflicts(
    *, lead: Lead, handler: Officer, role: str = ROLE_HANDLER, show_declared_names: bool = True
) -> list[str]:
    """The reasons (Chinese, for display and for the record) why `handler` — or, with
    `role`, another officer acting on the lead, such as the unit head who signs — may have a
    conflict with `lead`; empty when there are none. A handful of queries, whatever the
    lead's size.

    A declared tie is named only with `show_declared_names` (the user may read that
    self-check, `selfcheck.access.selfcheck_declarations_readable`); otherwise the reason
    says which kind of tie matched (亲属 / 企业 / 借贷对象) and where."""
    subjects = list(lead.subjects.select_related("officer__unit"))
    reasons: list[str] = []
    role = str(role)

    # 1. the officer is a subject
    handler_name = normalise(handler.name)
    for s in subjects:
        if s.officer_id == handler.pk:
            reasons.append(
                _("%(role)s%(name)s本人是本线索的被反映人") % {"role": role, "name": handler.name}
            )
        elif s.officer_id is None and handler_name and normalise(s.name) == handler_name:
            reasons.append(
                _("被反映人“%(name)s”与%(role)s同名（未关联在册干警），请核实是否为同一人")
                % {"name": s.name, "role": role}
            )

    # 2. same sub-unit as a registered subject (or, for subjects not in the register, as the
    #    subject unit recorded on the lead)
    others = [s for s in subjects if s.officer_id and s.officer_id != handler.pk]
    subject_unit = lead.subject_unit if lead.subject_unit_id else None
    if others or subject_unit:
        units = [handler.unit] + [s.officer.unit for s in others]
        organs, organ_names = organs_of(units + ([subject_unit] if subject_unit else []))
        handler_organ = organs[handler.unit.path]
        organ = organ_names.get(handler_organ, handler.unit.name)
        for s in others:
            if organs[s.officer.unit.path] == handler_organ:
                reasons.append(
                    _(
                        "%(role)s%(handler)s（%(hunit)s）与被反映人%(subject)s（%(sunit)s）"
                        "同属%(organ)s"
                    )
                    % {
                        "role": role,
                        "handler": handler.name,
                        "hunit": handler.unit.name,
                        "subject": s.name,
                        "sunit": s.officer.unit.name,
                        "organ": organ,
                    }
                )
        unregistered = [s for s in subjects if not s.officer_id] or not subjects
        if subject_unit and unregistered and organs[subject_unit.path] == handler_organ:
            reasons.append(
                _("%(role)s%(handler)s（%(hunit)s）与被反映人单位%(sunit)s同属%(organ)s")
                % {
                    "role": role,
                    "handler": handler.name,
                    "hunit": handler.unit.name,
                    "sunit": subject_unit.name,
                    "organ": organ,
                }
            )

    # 3. a relative, enterprise or counterparty the officer declared is named in the lead

    declared = {
        n: kind
        for n, kind in declared_ties(officer=handler).items()
        if len(normalise(n)) >= MIN_NAME_LENGTH
    }
    if declared:
        places = [(_("反映内容"), normalise(lead.summary))]
        places += [(_("被反映人"), normalise(s.name)) for s in subjects]
        places += [(_("被反映人单位"), normalise(s.unit_name)) for s in subjects if s.unit_name]
        seen: set[str] = set()
        for name in sorted(declared):
            key = normalise(name)
            where = []
            for label, text in places:
                if key in text and label not in where:
                    where.append(label)
            if not where:
                continue
            params = {
                "role": role,
                "handler": handler.name,
                "name": name,
                "kind": TIE_LABELS[declared[name]],
                "where": "、".join(map(str, where)),
            }
            if show_declared_names:
                reason = (
                    _(
                        "%(role)s%(handler)s在本人自查中申报的%(kind)s“%(name)s”出现在本线索的%(where)s中"
                    )
                    % params
                )
            else:
                reason = (
                    _("%(role)s%(handler)s在本人自查中申报的%(kind)s出现在本线索的%(where)s中")
                    % params
                )
            if reason not in seen:
                seen.add(reason)
                reasons.append(reason)
    return reasons


def require_override(
    *, lead: Lead, handler: Officer, override_reason: str = "", role: str = ROLE_HANDLER
) -> dict:
    """Check `handler` (or the officer acting as `role`) for `lead`. Raises
    HandlerConflictError when there are conflicts and no override reason; otherwise returns
    what to record with the act: `{}` without conflicts, `{"conflicts": [...],
    "override_reason": "..."}` with them. The recorded reasons never name a declared tie
    (the timeline is read by people who may not read self-checks)."""
    conflicts = handler_conflicts(lead=lead, handler=handler, role=role, show_declared_names=False)
    if not conflicts:
        return {}
    reason = (override_reason or "").strip()
    if not reason:
        raise HandlerConflictError(conflicts)
    return {"conflicts": conflicts, "override_reason": reason}
