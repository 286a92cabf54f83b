"""Stage 2 of the ledger import: resolve parsed rows against the office's register and the
leads the importer may see, and plan each row as create / update / unchanged / error.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from rectify.excel import (
    RowError,
    clean_text,
    unit_words,
)
from rectify.models import Office, Officer, Unit

from ..access import can_reveal_reporter, leads_visible_to
from ..models import Channel, Lead, LeadConclusion
from ..workflow import GUARDS, ILLEGAL_MOVE, NOT_CONCLUDED, allowed
from .columns import (
    CHANNEL_WORDS,
    FIELD_LABELS,
    HANDLER_AMBIGUOUS,
    HANDLER_NOT_IN_REGISTER,
    NOT_WRITABLE,
    NUMBER_UNAVAILABLE,
    TRANSFER_DATE_ASSUMED,
    UNIT_AMBIGUOUS,
    UNIT_UNKNOWN,
    UNKNOWN_CHANNEL,
    Vocabulary,
    fold_word,
    is_commission,
)
from .parse import LeadRow, ParsedSheet

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rectify.models import User


@dataclass
class RowPlan:
    row: int
    number: str
    action: str = "create"  # create | update | unchanged | error
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)
    status_to: str = ""  # an existing lead's new status (through lead_transition)
    lead_id: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    subjects: list[tuple[int | None, str, str]] = field(default_factory=list)
    subjects_changed: bool = False
    reporter: tuple[bool, str] | None = None  # (anonymous, name) to write, None = keep
    kept: dict[str, str] = field(default_factory=dict)  # words and columns kept as text


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    total: int = 0
    dry_run: bool = False
    parsed: ParsedSheet | None = None
    plans: list[RowPlan] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # file-wide remarks

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "total": self.total,
            "dry_run": self.dry_run,
            "warnings": len(self.warnings),
        }

    def preview(self) -> dict[str, Any]:
        """What the user confirms, JSON-ready: the column mapping, unrecognised columns,
        footer lines, every remapped value, and per row its action, changes, warnings
        and errors (no reporter identity anywhere in it)."""
        parsed = self.parsed or ParsedSheet()
        problems: dict[int, dict[str, list]] = {}
        for kind, items in (("errors", self.errors), ("warnings", self.warnings)):
            for e in items:
                problems.setdefault(e.row, {"errors": [], "warnings": []})[kind].append(
                    {"column": e.column, "value": str(e.value), "reason": e.reason}
                )
        rows = []
        for plan in self.plans:
            found = problems.get(plan.row, {"errors": [], "warnings": []})
            rows.append(
                {
                    "row": plan.row,
                    "number": plan.number,
                    "action": "error" if found["errors"] else plan.action,
                    "changes": [list(c) for c in plan.changes],
                    **found,
                }
            )
        return {
            "sheet": parsed.sheet,
            "header_row": parsed.header_row,
            "mapping": [list(m) for m in parsed.mapping],
            "unrecognised": parsed.unrecognised,
            "footer": [list(f) for f in parsed.footer],
            "remaps": [
                {"column": r.column, "value": r.value, "to": r.to, "rows": r.rows}
                for r in parsed.remaps.values()
            ],
            "notes": self.notes,
            "rows": rows,
            "summary": self.summary(),
            "errors": len(self.errors),
        }


def _by_folded(rows: Iterable[Any], *keys) -> dict[str, list]:
    out: dict[str, list] = {}
    seen: set[tuple[str, int]] = set()  # (word, row): model equality per pair was O(n²)
    for row in rows:
        for key in keys:
            word = fold_word(getattr(row, key))
            if word and (word, id(row)) not in seen:
                seen.add((word, id(row)))
                out.setdefault(word, []).append(row)
    return out


class _Register:
    """Everything a row is resolved against, preloaded once (a fixed number of queries).

    Existing leads are looked up only among those the importer may see
    (leads.access.leads_visible_to): a number outside that set is answered like a
    missing one, whatever it is."""

    def __init__(
        self,
        office: Office,
        numbers: list[str],
        actor: User | str,
        vocabulary: Vocabulary,
        people: Iterable[str] | None = None,
    ):
        root = office.jurisdiction
        self.office = office
        self.vocabulary = vocabulary
        self.units = list(Unit.objects.filter(path__startswith=root.path))
        self.unit_by_word: dict[str, list] = {}
        for unit in self.units:
            for word in unit_words(unit):
                found = self.unit_by_word.setdefault(fold_word(word), [])
                if unit not in found:
                    found.append(unit)
        officers = Officer.objects.filter(unit__path__startswith=root.path)
        if people is not None:
            # Only the officers the file names (subjects, handlers): the whole register of a
            # province office is 150,000 rows, loaded twice per import (preview and store).
            typed = {w for name in people for w in (name, clean_text(name)) if w}
            officers = officers.filter(name__in=typed)
        self.officers = list(officers.select_related("unit"))
        self.officers_by_name = _by_folded(self.officers, "name")
        self.channels = list(Channel.objects.all())
        self.channel_by_word = _by_folded(self.channels, "name", "code")
        self.channel_by_code = {c.code: c for c in self.channels}
        self.taken = set(Lead.objects.filter(number__in=numbers).values_list("number", flat=True))
        self.visible = {}
        if getattr(actor, "is_authenticated", False):
            self.visible = {
                lead.number: lead
                for lead in leads_visible_to(actor)
                .filter(number__in=numbers, office=office)
                .select_related("office__jurisdiction", "subject_unit", "handling_unit", "handler")
                .prefetch_related("subjects")
            }
        self.reveal = {
            number: can_reveal_reporter(actor, lead) if actor is not None else False
            for number, lead in self.visible.items()
        }
        others = Office.objects.exclude(pk=office.pk).values_list("short_name", flat=True)
        self.foreign_numbering = (
            re.compile(r"^(" + "|".join(re.escape(s) for s in others) + r")-\d{4}-\d+$")
            if others
            else None
        )

    def channel(self, word: str):
        folded = fold_word(word)
        code = self.vocabulary.channel.get(folded)
        if code in self.channel_by_code:
            return self.channel_by_code[code]
        if folded in self.channel_by_word:
            return self.channel_by_word[folded][0]
        for hints in CHANNEL_WORDS.values():
            if any(fold_word(h) in folded for h in hints):
                for channel in self.channels:
                    if any(fold_word(h) in fold_word(channel.name) for h in hints):
                        return channel
        contained = [c for c in self.channels if folded and folded in fold_word(c.name)]
        return contained[0] if len(contained) == 1 else None

    def unit(self, word: str) -> tuple[Any, str]:
        """(unit, problem): by full name, code or alias, else by the end of the full name
        (…公安分局 for 秦皇岛经济技术开发区公安分局) when only one unit ends so."""
        folded = fold_word(word)
        found = self.unit_by_word.get(folded, [])
        if not found and len(folded) >= 3:
            found = [u for u in self.units if fold_word(u.name).endswith(folded)]
        if len(found) == 1:
            return found[0], ""
        return None, UNIT_AMBIGUOUS if found else UNIT_UNKNOWN

    def officers_named(self, name: str, unit: Unit | None = None) -> list:
        found = self.officers_by_name.get(fold_word(name), [])
        if unit is not None:
            found = [o for o in found if o.unit.path.startswith(unit.path)]
        return found

    @cached_property
    def labels(self) -> dict[str, dict]:
        """How a changed field's old and new values are shown, built once per import (it
        was rebuilt for every changed row, over every unit and officer)."""
        handlers = {o.pk: o.name for o in self.officers}
        handlers.update(
            {
                lead.handler_id: lead.handler.name
                for lead in self.visible.values()
                if lead.handler_id
            }
        )
        units = {u.pk: u.name for u in self.units}
        return {
            "channel_id": {c.pk: c.name for c in self.channels},
            "subject_unit_id": units,
            "handling_unit_id": units,
            "handler_id": handlers,
            "category": self.vocabulary.category_labels,
            "conclusion": {c.value: str(c.label) for c in LeadConclusion},
        }


def _show(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _same(lead: Lead, name: str, word: str) -> tuple[Any, str] | None:
    """An existing lead's unit or handler when the row names it as stored: it may lie
    outside the office's register (提级 / 异地管辖), and an exported row must come back
    unchanged."""
    current = getattr(lead, name) if lead is not None and getattr(lead, f"{name}_id") else None
    if current is not None and fold_word(current.name) == fold_word(word):
        return current, ""
    return None


def _plan_row(row: LeadRow, reg: _Register, parsed: ParsedSheet, result: ImportResult):
    """Resolve one parsed row and decide what importing it means."""
    sheet = parsed.sheet

    def err(column: str, value: Any, reason: str) -> None:
        result.errors.append(RowError(sheet, row.row, column, value, reason))

    def warn(column: str, value: Any, reason: str) -> None:
        result.warnings.append(RowError(sheet, row.row, column, value, reason))

    plan = RowPlan(row=row.row, number=row.number)
    plan.kept.update(row.unknown)
    plan.kept.update(row.extras)
    lead = reg.visible.get(row.number)
    if (
        row.number
        and lead is None
        and (
            row.number in reg.taken
            or (reg.foreign_numbering is not None and reg.foreign_numbering.match(row.number))
        )
    ):
        # Recused, invisible, another office's: no comparison at all, one wording.
        err("线索编号", row.number, NUMBER_UNAVAILABLE)
        plan.action = "error"
        return plan

    channel = None
    if row.channel:
        channel = reg.channel(row.channel)
        if channel is None:
            plan.kept["线索来源"] = row.channel
            warn("线索来源", row.channel, UNKNOWN_CHANNEL)
        else:
            parsed.remap("线索来源", row.channel, channel.name, row.row)
    subject_unit = None
    if row.subject_unit:
        subject_unit, problem = _same(lead, "subject_unit", row.subject_unit) or reg.unit(
            row.subject_unit
        )
        if subject_unit is None:
            warn("被反映人单位", row.subject_unit, problem)
        else:
            parsed.remap("被反映人单位", row.subject_unit, subject_unit.name, row.row)
    kept_subjects = {}
    if lead is not None:
        kept_subjects = {s.name: s.officer_id for s in lead.subjects.all() if s.officer_id}
    for name in row.subjects:
        if name in kept_subjects:
            plan.subjects.append((kept_subjects[name], name, row.subject_unit))
            continue
        matches = reg.officers_named(name, subject_unit)
        if not matches and subject_unit is None and not row.subject_unit:
            matches = reg.officers_named(name)
        officer = matches[0] if len(matches) == 1 else None
        plan.subjects.append((officer.pk if officer else None, name, row.subject_unit))
    handling_unit, transfer_body = None, ""
    if row.handling_unit:
        if is_commission(row.handling_unit):
            transfer_body = row.handling_unit
        else:
            handling_unit, problem = _same(lead, "handling_unit", row.handling_unit) or reg.unit(
                row.handling_unit
            )
            if handling_unit is None:
                plan.kept["承办单位"] = row.handling_unit
                warn("承办单位", row.handling_unit, problem)
            else:
                parsed.remap("承办单位", row.handling_unit, handling_unit.name, row.row)
    handler, handler_text = None, ""
    if row.handler:
        same = _same(lead, "handler", row.handler)
        matches = [same[0]] if same else reg.officers_named(row.handler, handling_unit)
        if len(matches) == 1:
            handler = matches[0]
        else:
            handler_text = row.handler[:100]
            warn("承办人", row.handler, HANDLER_AMBIGUOUS if matches else HANDLER_NOT_IN_REGISTER)
    status = row.status
    if transfer_body and status in ("", "registered", "handling", "transferred"):
        if status != "transferred":
            parsed.remap(
                "办理状态",
                row.raw_status or "（空）",
                reg.vocabulary.status_labels["transferred"] + "（承办机关为纪检监察机关）",
                row.row,
            )
        status = "transferred"
    transfer_date = None
    if transfer_body:
        transfer_date = lead.transfer_date if lead is not None and lead.transfer_date else None
        if transfer_date is None:
            transfer_date = row.received_date
            warn("承办单位", row.handling_unit, TRANSFER_DATE_ASSUMED)
    conclusion = ""
    if status in ("concluded", "crossed_off", "signing") and row.result:
        conclusion = reg.vocabulary.map_result(row.result)
        if conclusion:
            parsed.remap("办理结论", row.result, str(LeadConclusion(conclusion).label), row.row)
    plan.values = {
        "received_date": row.received_date,
        "channel_id": channel.pk if channel else None,
        "category": row.category,
        "summary": row.summary,
        "subject_unit_id": subject_unit.pk if subject_unit else None,
        "handling_unit_id": handling_unit.pk if handling_unit else None,
        "handler_id": handler.pk if handler else None,
        "handler_text": handler_text,
        "deadline": row.deadline,
        "transfer_body": transfer_body[:200],
        "transfer_date": transfer_date,
        "result": row.result,
        "conclusion": conclusion,
    }
    if lead is None:
        plan.action = "create"
        plan.values["status"] = status or "registered"
        if not row.reporter_confidential:
            plan.reporter = (row.reporter_anonymous, row.reporter)
        return plan

    # An existing lead the importer may see: compare, and plan the changes.
    plan.lead_id = lead.pk
    if not conclusion:
        plan.values["conclusion"] = lead.conclusion  # only a conclusion the file states
    if not transfer_body:
        # The ledger has no transfer columns: a row that does not name the commission as
        # its handling body (e.g. an exported one) leaves a recorded transfer alone.
        plan.values["transfer_body"] = lead.transfer_body
        plan.values["transfer_date"] = lead.transfer_date
    names = reg.labels
    for name, new in plan.values.items():
        old = getattr(lead, name)
        if (old or None) != (new or None):
            table = names.get(name, {})
            plan.changes.append(
                (FIELD_LABELS[name], _show(table.get(old, old)), _show(table.get(new, new)))
            )
    current = sorted((s.officer_id or 0, s.name) for s in lead.subjects.all())
    wanted = sorted((officer_id or 0, name) for officer_id, name, _unit in plan.subjects)
    if current != wanted:
        plan.subjects_changed = True
        plan.changes.append(
            (
                "被反映人",
                "、".join(s.name for s in lead.subjects.all()),
                "、".join(name for _o, name, _u in plan.subjects),
            )
        )
    # The reporter: never compared, shown or changed for one who may not reveal it; and
    # even for one who may, its values stay out of the preview and the timeline.
    if reg.reveal.get(row.number) and not row.reporter_confidential:
        same = lead.reporter_anonymous == row.reporter_anonymous and (
            row.reporter_anonymous or (lead.reporter_name or "") == row.reporter
        )
        if not same:
            plan.reporter = (row.reporter_anonymous, row.reporter)
            plan.changes.append(("反映人", "", "（已变更，内容不显示）"))
    if status and status != lead.status:
        plan.status_to = status
        labels = reg.vocabulary.status_labels
        plan.changes.append(("办理状态", labels[lead.status], labels[status]))
    if not plan.changes:
        plan.action = "unchanged"
        return plan
    if not lead.is_writable:
        err("线索编号", row.number, NOT_WRITABLE)
        plan.action = "error"
        return plan
    if plan.status_to:
        problem = _transition_problem(lead, plan)
        if problem:
            err("办理状态", row.raw_status, problem)
            plan.action = "error"
            return plan
    plan.action = "update"
    return plan


def _transition_reason(plan: RowPlan) -> str:
    return plan.values.get("result") or ""


def _transition_problem(lead: Lead, plan: RowPlan) -> str | None:
    """The workflow's answer to this status change, asked on a copy carrying the row's new
    values (nothing is written): the same table and guards lead_transition applies."""
    probe = copy.copy(lead)
    for name, value in plan.values.items():
        setattr(probe, name, value)
    if not allowed(probe, plan.status_to):
        return NOT_CONCLUDED if plan.status_to == "crossed_off" else ILLEGAL_MOVE
    guard = GUARDS.get(plan.status_to)
    return guard(probe, _transition_reason(plan)) if guard else None
