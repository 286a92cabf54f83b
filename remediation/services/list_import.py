"""Import of a unit's problem list (问题清单) from an office workbook, through the shared
rectify.excel pipeline (read-only workbook, size limits, header found below title rows
and across merged headers, synonyms, footers set aside).

1. read: the first sheet with a recognisable header (问题描述 at least);
2. plan: every row resolved against a register loaded once (remediation.services.
   list_register) into create / update / unchanged / error (list_rows);
3. write, only when no row has an error and it is not a dry run: one transaction through
   the services the forms use (item_create, item_update, measure_add, item_transition,
   item_submit_rectified): all rows or none. Idempotent by 问题编号: importing the same
   file twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from rectify import figures
from rectify.audit import audit_record
from rectify.excel import ExcelError, ImportResult, RowError, SheetRows, open_workbook, read_sheet
from rectify.models import AuditVerb, Campaign

from ..access import can_manage_plans_of
from ..audit import ITEM_IMPORTED
from ..models import ItemStatus
from ..rules.problem_list import COLUMNS, REQUIRED, SYNONYMS
from ..workflow import RemediationError, item_transition
from .closure import item_submit_rectified
from .items import item_create, item_update
from .list_register import Register
from .list_rows import RowPlan, RowPlanner
from .measures import measure_add

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import AnyUser, Unit

NOT_ALLOWED = "您不能导入该单位的问题清单（须为其所在管辖范围的办公室人员）"
NO_CAMPAIGN = "当前没有进行中的教育整顿活动，无法导入问题清单"
NO_SHEET = "文件中没有可识别的问题清单（至少须有“问题描述”列）"
PREVIEW_ROWS_KEPT = 2000


@dataclass
class ProblemListResult(ImportResult):
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    measures: int = 0
    sheet: str = ""
    header_row: int = 0
    mapping: list[tuple[str, str]] = field(default_factory=list)  # (header as written, column)
    unrecognised: list[str] = field(default_factory=list)
    footer: list[tuple[int, str]] = field(default_factory=list)
    plans: list[RowPlan] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "measures": self.measures,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }

    def summary_line(self) -> str:
        return (
            f"共 {self.total} 行：新增 {self.created}，更新 {self.updated}，"
            f"未变 {self.unchanged}，新增措施 {self.measures}，警告 {len(self.warnings)}"
        )

    def preview(self) -> dict[str, Any]:
        """What the preview page shows (JSON: stored on the import job)."""
        by_row: dict[int, dict[str, list[str]]] = {}
        for level, items in (("errors", self.errors), ("warnings", self.warnings)):
            for e in items:
                by_row.setdefault(e.row, {"errors": [], "warnings": []})[level].append(
                    f"[{e.column}] {e.reason}" + (f"（{e.value}）" if e.value else "")
                )
        rows = []
        for p in self.plans[:PREVIEW_ROWS_KEPT]:
            found = by_row.get(p.row, {"errors": [], "warnings": []})
            rows.append(
                {
                    "row": p.row,
                    "number": p.number or (p.item.number if p.item else ""),
                    "unit": p.unit.name if p.unit else "",
                    "plan": p.plan.title if p.plan else "",
                    "action": p.action,
                    "changes": [list(c) for c in p.changes],
                    "measures": len(p.measures),
                    **found,
                }
            )
        return {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "mapping": [list(m) for m in self.mapping],
            "unrecognised": self.unrecognised,
            "footer": [list(f) for f in self.footer],
            "rows": rows,
            "summary": self.summary(),
        }


def _column_order(column: str) -> tuple[int, str]:
    order = list(SYNONYMS)
    return (order.index(column) if column in order else 99, column)


def _read(upload: object) -> SheetRows:
    workbook = open_workbook(upload)
    try:
        first: ExcelError | None = None
        for worksheet in workbook.worksheets:
            try:
                return read_sheet(worksheet, SYNONYMS, required=REQUIRED, contains=True)
            except ExcelError as exc:
                first = first or exc
        raise ExcelError(NO_SHEET) from first
    finally:
        workbook.close()


class _Refused(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(error.reason)
        self.error = error


def import_problem_list(
    *,
    upload: object,
    root: Unit,
    actor: AnyUser,
    dry_run: bool = False,
    filename: str = "",
    request: HttpRequest | None = None,
) -> ProblemListResult:
    """Plan every row of the workbook into the subtree of `root`; store them all, or
    nothing. Raises rectify.excel.ExcelError when the file as a whole cannot be used."""
    if not can_manage_plans_of(actor, root):
        raise ExcelError(NOT_ALLOWED)
    campaign = Campaign.current()
    if campaign is None:
        raise ExcelError(NO_CAMPAIGN)
    sheet = _read(upload)
    result = ProblemListResult(
        dry_run=dry_run,
        total=len(sheet.rows),
        sheet=sheet.sheet,
        header_row=sheet.header_row,
        mapping=[(sheet.labels.get(c, c), c) for c in sorted(sheet.columns, key=_column_order)],
        unrecognised=list(sheet.unrecognised),
        footer=sheet.footer,
    )
    reg = Register(
        root=root,
        campaign=campaign,
        actor=actor,
        numbers=[str(v.get("问题编号") or "").strip() for _r, v in sheet.rows],
        people=[str(v.get("责任人") or "").strip() for _r, v in sheet.rows],
    )
    planner = RowPlanner(reg=reg, sheet=sheet.sheet, columns=set(sheet.columns), root=root)
    result.plans = [planner.plan(row, cells) for row, cells in sheet.rows]
    order = {name: i for i, name in enumerate(COLUMNS)}
    result.errors = sorted(planner.errors, key=lambda e: (e.row, order.get(e.column, 99)))
    result.warnings = sorted(planner.warnings, key=lambda e: (e.row, order.get(e.column, 99)))
    todo = [p for p in result.plans if p.action in ("create", "update")]
    result.created = sum(1 for p in todo if p.action == "create")
    result.updated = len(todo) - result.created
    result.unchanged = sum(1 for p in result.plans if p.action == "unchanged")
    result.measures = sum(len(p.measures) for p in todo)
    if result.errors or dry_run or not todo:
        return result
    try:
        with transaction.atomic(), figures.deferred():  # each unit's figures once
            for plan in todo:
                _write(plan, actor=actor, sheet=sheet.sheet, filename=filename, request=request)
            audit_record(
                actor=actor,
                action=ITEM_IMPORTED,
                verb=AuditVerb.CREATE,
                target=root,
                data={
                    **result.summary(),
                    "filename": filename,
                    "numbers": [p.number for p in todo][:200],
                },
                request=request,
            )
    except _Refused as refused:
        # Something changed since the preview (an item moved meanwhile): nothing stored.
        result.errors.append(refused.error)
        result.created = result.updated = result.measures = 0
    return result


def _write(
    plan: RowPlan, *, actor: AnyUser, sheet: str, filename: str, request: HttpRequest | None
) -> None:
    """One planned row through the same services as the item forms."""
    try:
        if plan.item is None:
            item = item_create(
                plan=plan.plan, actor=actor, number=plan.number, request=request, **plan.values
            )
            plan.number = item.number
        else:
            item = plan.item
            if plan.values:
                item_update(item=item, actor=actor, request=request, **plan.values)
        for text in plan.measures:
            measure_add(
                item=item,
                actor=actor,
                text=text,
                deadline=item.deadline,
                owner=item.responsible_person,
                request=request,
            )
        if plan.status_to == ItemStatus.IN_PROGRESS:
            item_transition(
                item, ItemStatus.IN_PROGRESS, actor=actor, request=request, data={"why": "import"}
            )
        elif plan.status_to == ItemStatus.RECTIFIED:
            source = f"（{filename}）" if filename else ""
            item_submit_rectified(
                item=item,
                actor=actor,
                note=_("问题清单导入%(source)s：整改完成，提请验收") % {"source": source},
                request=request,
            )
    except RemediationError as exc:
        raise _Refused(RowError(sheet, plan.row, "问题编号", plan.number, str(exc))) from exc
