"""Import an office's existing lead ledger from a messy Excel workbook.

Stage 1 (here, pure, no database): read the sheet through rectify.excel with column
synonyms, and parse every row into a `LeadRow` — dates, names, status and category words
mapped onto codes — collecting a `RowError` (row, column, value, reason) for each problem.
Stage 2 (needs the leads models): resolve channels, officers and units against preloaded
dicts, then write everything in one transaction with bulk operations, or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from rectify.excel import RowError, clean_text, open_workbook, parse_date, read_sheet

# Canonical layout (also the export's column order).
COLUMNS = [
    "线索编号",
    "受理日期",
    "线索来源",
    "反映人",
    "被反映人",
    "被反映人单位",
    "问题类别",
    "反映内容摘要",
    "承办单位",
    "承办人",
    "办理期限",
    "办理状态",
    "办理结果",
]

SYNONYMS: dict[str, list[str]] = {
    "线索编号": ["编号", "线索号", "序号编号", "线索编码", "案件编号"],
    "受理日期": ["收到日期", "受理时间", "收件日期", "接收日期", "登记日期", "受理"],
    "线索来源": ["来源", "渠道", "线索渠道", "来源渠道", "线索来源渠道"],
    "反映人": ["举报人", "信访人", "反映人姓名", "举报人姓名"],
    "被反映人": ["被举报人", "被反映人姓名", "被举报人姓名", "反映对象"],
    "被反映人单位": ["被举报人单位", "所在单位", "被反映人所在单位", "被反映单位", "单位"],
    "问题类别": ["类别", "问题类型", "问题性质", "线索类别"],
    "反映内容摘要": ["内容摘要", "主要问题", "反映内容", "反映问题", "摘要", "主要内容"],
    "承办单位": ["办理单位", "核查单位", "承办部门"],
    "承办人": ["办理人", "核查人", "承办人员"],
    "办理期限": ["办结期限", "期限", "办理时限", "截止日期"],
    "办理状态": ["状态", "办理情况", "进展情况", "办理进度"],
    "办理结果": ["结果", "处理结果", "核查结果", "办理结论"],
}
REQUIRED = ("线索编号", "受理日期", "反映内容摘要")

# Status words -> LeadStatus codes of leads.models (helper A's vocabulary).
STATUS_WORDS: dict[str, str] = {
    "未处置": "registered",
    "待处置": "registered",
    "已登记": "registered",
    "登记": "registered",
    "待筛查": "registered",
    "在办": "handling",
    "正在核查": "handling",
    "办理中": "handling",
    "核查中": "handling",
    "正在办理": "handling",
    "初核": "handling",
    "初步核实": "handling",
    "已办结": "concluded",
    "办结": "concluded",
    "已查结": "concluded",
    "查结": "concluded",
    "已了结": "closed",
    "了结": "closed",
    "予以了结": "closed",
    "暂存待查": "held",
    "暂存": "held",
    "已移交": "transferred",
    "移交": "transferred",
    "移送纪委": "transferred",
    "移送纪委监委": "transferred",
    "已移送": "transferred",
    "已销号": "crossed_off",
    "销号": "crossed_off",
}

# Category words -> LeadCategory codes (the six ChronicProblem values + focus areas + other).
CATEGORY_WORDS: dict[str, str] = {
    "干预司法": "interference",
    "三个规定": "interference",
    "违反防止干预司法三个规定": "interference",
    "插手干预案件": "interference",
    "经商办企业": "business",
    "违规经商办企业": "business",
    "经商办企": "business",
    "参股借贷": "lending",
    "违规参股借贷": "lending",
    "借贷": "lending",
    "减刑假释暂予监外执行": "sentence",
    "违规违法减刑假释暂予监外执行": "sentence",
    "减刑假释": "sentence",
    "有案不立压案不查有罪不究": "inaction",
    "有案不立": "inaction",
    "压案不查": "inaction",
    "司法掮客": "broker",
    "离任后违规从事律师执业": "broker",
    "律师执业": "broker",
    "两面人": "two_faced",
    "保护伞": "umbrella",
    "黑恶势力保护伞": "umbrella",
    "司法腐败": "judicial_corruption",
    "滥权裁判": "judicial_corruption",
    "徇私枉法": "judicial_corruption",
    "不收敛不收手": "unrestrained",
    "其他": "other",
    "其它": "other",
}

_NAME_SPLIT = re.compile(r"[、，,;；/\s]+")
_PUNCT = re.compile(r"[\s、，,。.;；:：“”\"'‘’()（）《》<>【】\[\]—\-]+")


def fold_word(value: Any) -> str:
    """A vocabulary word folded for lookup: NFKC, no spaces or punctuation."""
    return _PUNCT.sub("", clean_text(value)).lower()


_STATUS = {fold_word(k): v for k, v in STATUS_WORDS.items()}
_CATEGORY = {fold_word(k): v for k, v in CATEGORY_WORDS.items()}


def register_choices(*, statuses=None, categories=None) -> None:
    """Accept each choice's label and value too (called with LeadStatus/LeadCategory)."""
    for choices, table in ((statuses, _STATUS), (categories, _CATEGORY)):
        for choice in choices or ():
            table.setdefault(fold_word(choice.label), choice.value)
            table.setdefault(fold_word(choice.value), choice.value)


def map_status(value: Any) -> str | None:
    return _STATUS.get(fold_word(value))


def map_category(value: Any) -> str | None:
    word = fold_word(value)
    if word in _CATEGORY:
        return _CATEGORY[word]
    # Longer descriptions such as “违规经商办企业（配偶）”: the longest known word inside.
    hits = [k for k in _CATEGORY if k and k in word]
    return _CATEGORY[max(hits, key=len)] if hits else None


def split_names(value: Any) -> list[str]:
    names = [n for n in _NAME_SPLIT.split(clean_text(value)) if n]
    return list(dict.fromkeys(names))


ANONYMOUS_WORDS = {"", "匿名", "匿名举报", "无", "不详", "佚名"}


@dataclass
class LeadRow:
    row: int
    number: str
    received_date: dt.date | None
    channel: str
    reporter: str
    subjects: list[str]
    subject_unit: str
    category: str
    summary: str
    handling_unit: str
    handler: str
    deadline: dt.date | None
    status: str
    result: str

    @property
    def reporter_anonymous(self) -> bool:
        return self.reporter in ANONYMOUS_WORDS


@dataclass
class ParsedSheet:
    sheet: str = ""
    rows: list[LeadRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_rows(sheet_rows, *, default_status: str = "registered") -> ParsedSheet:
    """Parse the canonical dicts of `read_sheet` into LeadRows, collecting every error."""
    out = ParsedSheet(sheet=sheet_rows.sheet)
    seen: dict[str, int] = {}

    def err(row: int, column: str, value: Any, reason: str) -> None:
        out.errors.append(RowError(sheet_rows.sheet, row, column, clean_text(value), reason))

    for row_no, values in sheet_rows.rows:
        number = clean_text(values.get("线索编号")).replace(" ", "")
        if not number:
            err(row_no, "线索编号", "", "线索编号不能为空")
        elif number in seen:
            err(row_no, "线索编号", number, f"与第{seen[number]}行编号重复")
        else:
            seen[number] = row_no
        dates = {}
        for column in ("受理日期", "办理期限"):
            try:
                dates[column] = parse_date(values.get(column))
            except ValueError as exc:
                err(row_no, column, values.get(column), str(exc))
                dates[column] = None
        if values.get("受理日期") in (None, "") or (
            isinstance(values.get("受理日期"), str) and not values["受理日期"].strip()
        ):
            err(row_no, "受理日期", "", "受理日期不能为空")
        summary = clean_text(values.get("反映内容摘要"))
        if not summary:
            err(row_no, "反映内容摘要", "", "反映内容摘要不能为空")
        category = ""
        raw_category = clean_text(values.get("问题类别"))
        if raw_category:
            category = map_category(raw_category) or ""
            if not category:
                err(row_no, "问题类别", raw_category, "无法识别的问题类别")
        else:
            category = "other"
        raw_status = clean_text(values.get("办理状态"))
        status = default_status
        if raw_status:
            status = map_status(raw_status) or ""
            if not status:
                err(row_no, "办理状态", raw_status, "无法识别的办理状态")
        out.rows.append(
            LeadRow(
                row=row_no,
                number=number,
                received_date=dates["受理日期"],
                channel=clean_text(values.get("线索来源")),
                reporter=clean_text(values.get("反映人")),
                subjects=split_names(values.get("被反映人")),
                subject_unit=clean_text(values.get("被反映人单位")),
                category=category,
                summary=summary,
                handling_unit=clean_text(values.get("承办单位")),
                handler=clean_text(values.get("承办人")),
                deadline=dates["办理期限"],
                status=status,
                result=clean_text(values.get("办理结果")),
            )
        )
    return out


def read_workbook(upload) -> ParsedSheet:
    """Open the upload and parse its first sheet that has the required columns.

    Raises rectify.excel.ExcelError when the file itself is unusable.
    """
    from rectify.excel import ExcelError

    workbook = open_workbook(upload)
    last: ExcelError | None = None
    try:
        for worksheet in workbook.worksheets:
            try:
                sheet_rows = read_sheet(worksheet, SYNONYMS, required=REQUIRED)
            except ExcelError as exc:
                last = exc
                continue
            return parse_rows(sheet_rows)
    finally:
        workbook.close()
    raise last or ExcelError("工作簿中没有工作表")
