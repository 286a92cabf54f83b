"""The periodic report workbook (进展统计表) in the layout offices send up the chain.

Each sheet: a merged title row (“XX教育整顿查纠整改进展统计表”), a line with 填报单位, 统计期间,
填报人 and 填报日期, then the header (序号, 单位, figures), one row per child unit and a 合计
row (the unit's own subtree total, so a unit's own rows count too). Print set-up: A4
landscape, fit to one page wide, the header rows repeated on every page. Written write-only
(constant memory); every text cell goes through `rectify.excel.escape_cell`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from rectify import figures
from rectify.excel import escape_cell

from .selectors.levers import Levers

# 四种形态 (leads.models.DispositionForm): the sub-keys of ld.dealt:<form>.
FORMS = [
    ("1", "第一种形态"),
    ("2", "第二种形态"),
    ("3", "第三种形态"),
    ("4", "第四种形态"),
]
SHEETS = ["汇总", "自查自纠", "线索核查", "专项整治"]
HEADER_ROWS = 3  # title, 填报单位 line, header


def rate(value: float | None) -> Any:
    return "" if value is None else value


@dataclass
class Column:
    label: str
    value: Callable[[Levers], Any]


def _summary_columns(_: list[Levers]) -> list[Column]:
    return [
        Column("应自查人数", lambda lv: lv["sc.expected"]),
        Column("已填报", lambda lv: lv["sc.submitted"]),
        Column("填报率(%)", lambda lv: rate(lv.filing_rate)),
        Column("受理线索", lambda lv: lv["ld.received"]),
        Column("办结", lambda lv: lv["ld.concluded"]),
        Column("查结率(%)", lambda lv: rate(lv.closure_rate)),
        Column("整改事项", lambda lv: lv["rm.items"]),
        Column("已验收", lambda lv: lv["rm.accepted"]),
        Column("验收率(%)", lambda lv: rate(lv.accepted_rate)),
        Column("逾期", lambda lv: lv.overdue),
    ]


def _selfcheck_columns(rows: list[Levers]) -> list[Column]:
    items = sorted({k for lv in rows for k in lv.sub("sc.yes:")}, key=lambda k: (len(k), k))
    cols = [
        Column("应自查人数", lambda lv: lv["sc.expected"]),
        Column("已填报", lambda lv: lv["sc.submitted"]),
        Column("填报率(%)", lambda lv: rate(lv.filing_rate)),
        Column("已审核通过", lambda lv: lv["sc.accepted"]),
        Column("按期", lambda lv: lv["sc.on_time"]),
        Column("逾期", lambda lv: lv["sc.late"]),
        Column("领导干部应填报", lambda lv: lv["sc.cadre_expected"]),
        Column("领导干部已填报", lambda lv: lv["sc.cadre_submitted"]),
        Column("领导干部填报率(%)", lambda lv: rate(lv.cadre_filing_rate)),
        Column("主动说明问题（人次）", lambda lv: lv.declared),
    ]
    for item in items:
        name = figures.label(f"sc.yes:{item}")
        label = name if name != f"sc.yes:{item}" else f"第{item}项"
        cols.append(Column(f"说明：{label}", lambda lv, k=f"sc.yes:{item}": lv[k]))
    return cols


def _leads_columns(_: list[Levers]) -> list[Column]:
    cols = [
        Column("受理线索", lambda lv: lv["ld.received"]),
        Column("在办", lambda lv: lv["ld.handling"]),
        Column("办结", lambda lv: lv["ld.concluded"]),
        Column("查结率(%)", lambda lv: rate(lv.closure_rate)),
        Column("逾期", lambda lv: lv["ld.overdue"]),
        Column("挂牌督办", lambda lv: lv["ld.listed"]),
        Column("处理人数", lambda lv: lv["ld.dealt"]),
    ]
    for key, label in FORMS:
        cols.append(Column(label, lambda lv, k=f"ld.dealt:{key}": lv[k]))
    cols.append(Column("移送纪委监委", lambda lv: lv["ld.transferred"]))
    return cols


def _remediation_columns(_: list[Levers]) -> list[Column]:
    return [
        Column("整改事项", lambda lv: lv["rm.items"]),
        Column("已整改", lambda lv: lv["rm.rectified"]),
        Column("已验收", lambda lv: lv["rm.accepted"]),
        Column("验收率(%)", lambda lv: rate(lv.accepted_rate)),
        Column("逾期", lambda lv: lv["rm.overdue"]),
        Column("建章立制", lambda lv: lv["rm.rules"]),
        Column("交流轮岗", lambda lv: lv["rm.rotations"]),
        Column("满意度测评（份）", lambda lv: lv["rm.survey_answers"]),
        Column("满意（份）", lambda lv: lv["rm.survey_satisfied"]),
        Column("满意率(%)", lambda lv: rate(lv.satisfaction_rate)),
    ]


COLUMNS = {
    "汇总": _summary_columns,
    "自查自纠": _selfcheck_columns,
    "线索核查": _leads_columns,
    "专项整治": _remediation_columns,
}


@dataclass
class BookHead:
    unit_name: str  # 填报单位
    start: dt.date
    end: dt.date
    filer: str  # 填报人
    filed_on: dt.date  # 填报日期


def sheet_title(unit_name: str) -> str:
    return f"{unit_name}教育整顿查纠整改进展统计表"


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _cell(sheet: Any, value: Any, *, bold: bool = False, size: int = 0, box: bool = True) -> Any:
    cell = WriteOnlyCell(sheet, value=escape_cell(value))
    if bold or size:
        cell.font = Font(bold=bold, size=size or 11)
    if box:
        cell.border = _BOX
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    return cell


def _write_sheet(
    book: Workbook, name: str, head: BookHead, total: Levers, children: Sequence[Levers]
) -> None:
    sheet = book.create_sheet(title=name)
    columns = COLUMNS[name]([*children, total])
    width = 2 + len(columns)
    last = get_column_letter(width)
    # Layout before rows (write-only sheets take these up front).
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 22
    for i in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(i)].width = 11
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"1:{HEADER_ROWS}"
    sheet.freeze_panes = f"C{HEADER_ROWS + 1}"
    sheet.merged_cells.add(f"A1:{last}1")

    title = f"{sheet_title(head.unit_name)}（{name}）"
    sheet.append([_cell(sheet, title, bold=True, size=16, box=False)])
    period = f"{head.start:%Y年%m月%d日}至{head.end:%Y年%m月%d日}"
    line = [
        f"填报单位：{head.unit_name}",
        f"统计期间：{period}",
        f"填报人：{head.filer}",
        f"填报日期：{head.filed_on:%Y年%m月%d日}",
    ]
    sheet.append([_cell(sheet, v, box=False) for v in line])
    sheet.append(
        [_cell(sheet, v, bold=True) for v in ["序号", "单位", *(c.label for c in columns)]]
    )
    for number, lv in enumerate(children, start=1):
        sheet.append(
            [_cell(sheet, number), _cell(sheet, lv.unit.name)]
            + [_cell(sheet, c.value(lv)) for c in columns]
        )
    sheet.append(
        [_cell(sheet, "", bold=True), _cell(sheet, "合计", bold=True)]
        + [_cell(sheet, c.value(total), bold=True) for c in columns]
    )


def build_report_book(
    head: BookHead,
    total: Levers,
    children: Sequence[Levers],
    progress: Callable[[int], None] = lambda _pct: None,
) -> bytes:
    """The workbook as bytes; `progress(percent)` is called after each sheet."""
    book = Workbook(write_only=True)
    for index, name in enumerate(SHEETS, start=1):
        _write_sheet(book, name, head, total, children)
        progress(10 + int(80 * index / len(SHEETS)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
