"""Stage 2 of a problem-list import: each parsed row resolved against the register and
planned as create / update / unchanged / error, with its errors and warnings. Nothing is
written here; remediation.services.list_import writes the plans through the item services.

An empty cell of an existing item keeps what is stored; a changed value is listed as a
change (old → new) in the preview. Status moves are checked against the state machine:
only forward moves a unit may make (整改中, 待验收) are imported; acceptance and returns
need the item page (the three don'ts, a reason)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from rectify.excel import RowError, clean_text, fold_word, parse_bool, parse_date

from ..models import Item, ItemOrigin, ItemStatus
from ..rules.problem_list import (
    CAUSE_FIELDS,
    KIND_UNKNOWN,
    KIND_WORDS,
    ORIGIN_UNKNOWN,
    ORIGIN_WORDS,
    PROBLEM_UNKNOWN,
    STATUS_UNKNOWN,
    STATUS_WORDS,
    TAG_FIELDS,
    TAG_UNKNOWN,
    parse_causes,
    parse_measures,
    parse_tags,
    person_text,
)
from ..workflow import TRANSITIONS
from .list_register import NUMBER_UNAVAILABLE

if TYPE_CHECKING:
    from rectify.models import Unit

    from ..models import Plan
    from .list_register import Register

LABELS = {
    "description": "问题描述",
    "kind": "问题类型",
    "is_hotspot": "热点",
    "is_blocking": "堵点",
    "is_difficulty": "难点",
    "origin": "问题来源",
    "cause_ideals": "理想信念方面",
    "cause_purpose": "宗旨意识方面",
    "cause_party_spirit": "党性修养方面",
    "cause_discipline": "纪律观念方面",
    "responsible_unit": "责任单位",
    "responsible_person": "责任人",
    "deadline": "整改时限",
}


@dataclass
class RowPlan:
    row: int
    number: str
    action: str = "create"  # create, update, unchanged, error
    unit: Unit | None = None
    plan: Plan | None = None
    item: Item | None = None
    values: dict[str, Any] = field(default_factory=dict)
    measures: list[str] = field(default_factory=list)
    status_to: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _show(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "number") and hasattr(value, "name"):
        return person_text(value)
    return str(value)


def long_text(value: Any) -> str:
    """Free text as written (no full-width folding: Chinese punctuation stays), trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


class RowPlanner:
    """Plans rows one by one; `seen` catches a number used twice in the file."""

    def __init__(self, *, reg: Register, sheet: str, columns: set[str], root: Unit) -> None:
        self.reg, self.sheet, self.columns, self.root = reg, sheet, columns, root
        self.seen: set[str] = set()
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []

    def plan(self, row: int, cells: dict[str, Any]) -> RowPlan:
        before = len(self.errors)
        plan = self._plan(row, cells)
        if len(self.errors) > before:
            plan.action = "error"
        elif plan.item is None:
            plan.action = "create"
        elif plan.values or plan.measures or plan.status_to:
            plan.action = "update"
        else:
            plan.action = "unchanged"
        return plan

    def _err(self, row: int, column: str, value: Any, reason: str) -> None:
        self.errors.append(RowError(self.sheet, row, column, clean_text(value), str(reason)))

    def _warn(self, row: int, column: str, value: Any, reason: str) -> None:
        self.warnings.append(RowError(self.sheet, row, column, clean_text(value), str(reason)))

    def _plan(self, row: int, cells: dict[str, Any]) -> RowPlan:  # noqa: C901, PLR0912, PLR0915
        reg = self.reg
        number = clean_text(cells.get("问题编号"))
        plan = RowPlan(row=row, number=number)
        if number:
            if number in self.seen:
                self._err(row, "问题编号", number, _("本文件中该问题编号重复"))
                return plan
            self.seen.add(number)
            if reg.unavailable(number):
                self._err(row, "问题编号", number, NUMBER_UNAVAILABLE)
                return plan
            plan.item = reg.item(number)
        item = plan.item
        if item is None and not number:
            self._warn(row, "问题编号", "", _("未填问题编号，将自动编号；再次导入前请填上编号"))

        # Unit and plan: an existing item keeps both (the import does not move items).
        unit_text = cells.get("单位")
        if clean_text(unit_text):
            unit, problem = reg.unit(unit_text, item.unit if item else None)
            if unit is None:
                self._err(row, "单位", unit_text, problem)
                return plan
        else:
            unit = item.unit if item else self.root
        plan.unit = unit
        problem_text = cells.get("顽瘴痼疾")
        if clean_text(problem_text):
            key = reg.problem_key(problem_text, unit)
            if key is None:
                self._err(row, "顽瘴痼疾", problem_text, PROBLEM_UNKNOWN)
                return plan
            target = reg.plan_for(unit, key)
            if target is None:
                self._err(
                    row,
                    "顽瘴痼疾",
                    problem_text,
                    _("“%(unit)s”在本次活动中尚无该问题的整治方案，请先制定方案")
                    % {"unit": unit.name},
                )
                return plan
        elif item is not None:
            target = item.plan
        else:
            self._err(row, "顽瘴痼疾", "", _("请填写所属顽瘴痼疾"))
            return plan
        if item is not None and item.plan_id != target.pk:
            self._err(
                row,
                "顽瘴痼疾",
                problem_text,
                _("该问题已列入“%(plan)s”，导入不能改换其单位或所属问题") % {"plan": item.plan},
            )
            return plan
        if item is None and target.unit_id != unit.pk:
            self._warn(
                row,
                "单位",
                unit_text,
                _("该单位没有这项整治方案，列入上级“%(unit)s”的方案，责任单位为本单位")
                % {"unit": target.unit.name},
            )
        plan.plan = target
        if item is not None and item.status == ItemStatus.ACCEPTED:
            self._values(plan, cells, target)
            if plan.values or plan.measures or plan.status_to:
                self._err(row, "状态", "", _("该问题已验收，不能再通过导入修改"))
            return plan
        self._values(plan, cells, target)
        return plan

    def _set(self, plan: RowPlan, name: str, value: Any) -> None:
        item = plan.item
        if item is None:
            plan.values[name] = value
            return
        old = getattr(item, name)
        same = long_text(old) == value if isinstance(old, str) else old == value
        if not same:
            plan.values[name] = value
            plan.changes.append((LABELS[name], _show(old), _show(value)))

    def _values(self, plan: RowPlan, cells: dict[str, Any], target: Plan) -> None:  # noqa: C901, PLR0912, PLR0915
        row, item, reg = plan.row, plan.item, self.reg
        description = long_text(cells.get("问题描述"))
        if description:
            self._set(plan, "description", description)
        elif item is None:
            self._err(row, "问题描述", "", _("请填写问题描述"))
        kind_text = cells.get("问题类型")
        if clean_text(kind_text):
            kind = KIND_WORDS.get(fold_word(kind_text))
            if kind is None:
                self._err(row, "问题类型", kind_text, KIND_UNKNOWN)
            else:
                self._set(plan, "kind", kind)
        elif item is None:
            self._err(row, "问题类型", "", _("请填写问题类型（多发性、顽固性或典型性）"))
        self._tags(plan, cells)
        origin_text = cells.get("问题来源")
        if clean_text(origin_text):
            origin = ORIGIN_WORDS.get(fold_word(origin_text))
            if origin is None:
                self._err(row, "问题来源", origin_text, ORIGIN_UNKNOWN)
            elif item is None:
                plan.values["origin"] = origin
            elif origin != item.origin:
                self._warn(row, "问题来源", origin_text, _("问题来源不能通过导入修改，保留原值"))
        elif item is None:
            plan.values["origin"] = ItemOrigin.SELFCHECK
            self._warn(row, "问题来源", "", _("未填问题来源，按“自查自纠”记录"))
        self._causes(plan, cells)
        # Responsible unit and person (the unit within the plan's unit).
        default_unit = item.responsible_unit if item else plan.unit
        unit_text = cells.get("责任单位")
        responsible = default_unit
        if clean_text(unit_text):
            found, problem = reg.unit(unit_text, item.responsible_unit if item else None)
            if found is None:
                self._err(row, "责任单位", unit_text, problem)
            else:
                responsible = found
        if responsible is not None and not responsible.is_within(target.unit):
            self._err(row, "责任单位", unit_text, _("责任单位须为方案所属单位或其下级单位"))
        elif responsible is not None:
            self._set(plan, "responsible_unit", responsible)
        person_cell = cells.get("责任人")
        if clean_text(person_cell):
            person, problem = reg.person(
                person_cell, within=responsible, current=item.responsible_person if item else None
            )
            if person is None:
                self._err(row, "责任人", person_cell, problem)
            else:
                self._set(plan, "responsible_person", person)
        deadline_cell = cells.get("整改时限")
        try:
            deadline = parse_date(deadline_cell)
        except ValueError as exc:
            self._err(row, "整改时限", deadline_cell, str(exc))
            deadline = None
        else:
            if deadline is not None:
                self._set(plan, "deadline", deadline)
            elif item is None:
                self._err(row, "整改时限", "", _("请填写整改时限"))
        existing = {m.text for m in item.measures.all()} if item else set()
        plan.measures = [m for m in parse_measures(cells.get("整改措施")) if m not in existing]
        self._status(plan, cells)

    def _tags(self, plan: RowPlan, cells: dict[str, Any]) -> None:
        row = plan.row
        if "标签" in self.columns and clean_text(cells.get("标签")):
            tags = parse_tags(cells.get("标签"))
            if tags is None:
                self._err(row, "标签", cells.get("标签"), TAG_UNKNOWN)
                return
            for tag, name in TAG_FIELDS.items():
                self._set(plan, name, tag in tags)
            return
        for tag, name in TAG_FIELDS.items():
            if tag not in self.columns or not clean_text(cells.get(tag)):
                continue
            cell = cells.get(tag)
            try:
                value = parse_bool(cell)
            except ValueError:
                value = tag in clean_text(cell)
                if not value:
                    self._err(row, tag, cell, _("应填“是”或“否”（或“√”）"))
                    continue
            self._set(plan, name, value)

    def _causes(self, plan: RowPlan, cells: dict[str, Any]) -> None:
        given = {
            name: long_text(cells.get(label))
            for label, name in CAUSE_FIELDS.items()
            if label in self.columns and long_text(cells.get(label))
        }
        if "成因分析" in self.columns and clean_text(cells.get("成因分析")):
            parsed, unlabelled = parse_causes(cells.get("成因分析"))
            if unlabelled:
                self._warn(
                    plan.row,
                    "成因分析",
                    cells.get("成因分析"),
                    _("成因分析未分方面，未注明部分记入“理想信念方面”，请核对"),
                )
            for name, text in parsed.items():
                given.setdefault(name, text)
        for name, text in given.items():
            self._set(plan, name, text)

    def _status(self, plan: RowPlan, cells: dict[str, Any]) -> None:
        cell = cells.get("状态")
        if not clean_text(cell):
            return
        to = STATUS_WORDS.get(fold_word(cell))
        if to is None:
            self._err(plan.row, "状态", cell, STATUS_UNKNOWN)
            return
        current = plan.item.status if plan.item else ItemStatus.OPEN
        if to == current:
            return
        label = {"from": ItemStatus(current).label, "to": ItemStatus(to).label}
        if to == ItemStatus.ACCEPTED:
            reason = _("验收须由办公室在问题页面按“三个不放过”办理，不能通过导入")
        elif current == ItemStatus.RECTIFIED and to == ItemStatus.IN_PROGRESS:
            reason = _("退回整改须在问题页面填写理由，不能通过导入")
        elif to not in TRANSITIONS.get(current, set()):
            reason = _("状态不能从“%(from)s”改为“%(to)s”") % label
        else:
            plan.status_to = to
            plan.changes.append(("状态", str(label["from"]), str(label["to"])))
            return
        self._err(plan.row, "状态", cell, reason)
