"""Import an office's existing lead ledger from a messy Excel workbook.

Stage 1 (pure, no database): read the sheet through rectify.excel (best containment over
column synonyms, title rows, two-level headers, footer lines) and parse every row into a
`LeadRow`, mapping dates and words onto codes. Every word mapped onto something it is not
spelled as is a *remap*, listed in the preview; a word nobody knows is kept and warned.
Stage 2: resolve the rows against the office's register (units by name, short name, alias
or code; officers by name) and the leads the importer may see, and plan every row as
create / update / unchanged / error. Nothing is stored before the plan has no error and
the user confirmed it; then new leads are written in bulk and existing ones one by one
through the same rules as the forms (visible and writable only, status through
`lead_transition`, each changed field a timeline event, one audit event per lead).

A row is an error only when it cannot be stored: no number, a number twice in the file, a
number the importer may not touch, no or an impossible received date, a received date in
the future, a refused status change. Everything else is a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from rectify.excel import (
    ExcelError,
    RowError,
    SheetRows,
    clean_text,
    open_workbook,
    parse_date,
    read_sheet,
)

from .forms import SUBJECT_NAME_MAX, TEXT_MAX

# Canonical layout (the template's and the export's column order).
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
    "线索编号": ["编号", "线索号", "序号编号", "线索编码", "案件编号", "线索序号"],
    "受理日期": [
        "收到日期",
        "受理时间",
        "收件日期",
        "接收日期",
        "登记日期",
        "受理",
        "收到时间",
        "来件日期",
        "登记时间",
    ],
    "线索来源": ["来源", "渠道", "线索渠道", "来源渠道", "线索来源渠道", "反映形式", "来件方式"],
    "反映人": ["举报人", "信访人", "反映人姓名", "举报人姓名", "来信人"],
    "被反映人": ["被举报人", "被反映人姓名", "被举报人姓名", "反映对象", "被反映对象"],
    "被反映人单位": [
        "被举报人单位",
        "所在单位",
        "被反映人所在单位",
        "被反映单位",
        "单位",
        "工作单位",
    ],
    "问题类别": ["类别", "问题类型", "问题性质", "线索类别", "问题分类", "违纪类型"],
    "反映内容摘要": [
        "内容摘要",
        "主要问题",
        "反映内容",
        "反映问题",
        "摘要",
        "主要内容",
        "反映的问题",
        "具体问题",
        "问题描述",
        "问题内容",
        "简要内容",
        "内容",
    ],
    "承办单位": ["办理单位", "核查单位", "承办部门", "承办机关", "办理机关", "处置单位"],
    "承办人": ["办理人", "核查人", "承办人员", "经办人", "承办人姓名"],
    "办理期限": [
        "办结期限",
        "期限",
        "办理时限",
        "办结时限",
        "截止日期",
        "时限",
        "完成时限",
        "要求办结时间",
    ],
    "办理状态": ["状态", "办理情况", "进展情况", "办理进度", "办理进展", "当前状态"],
    "办理结果": ["结果", "处理结果", "核查结果", "办理结论", "处置结果", "查处结果", "核查结论"],
}
REQUIRED = ("线索编号", "受理日期", "反映内容摘要")

# Status words -> LeadStatus values. The labels of LeadStatus are added by
# `register_choices`; an office adds its own in LeadImportVocabulary.
STATUS_WORDS: dict[str, str] = {
    "未处置": "registered",
    "待处置": "registered",
    "已登记": "registered",
    "登记": "registered",
    "待筛查": "registered",
    "未办理": "registered",
    "未办": "registered",
    "待办": "registered",
    "待办理": "registered",
    "待处理": "registered",
    "未处理": "registered",
    "未开始": "registered",
    "已受理": "registered",
    "受理": "registered",
    "待交办": "registered",
    "待分办": "registered",
    "在办": "handling",
    "正在核查": "handling",
    "办理中": "handling",
    "核查中": "handling",
    "正在办理": "handling",
    "正在处理": "handling",
    "处理中": "handling",
    "已交办": "handling",
    "交办": "handling",
    "已分办": "handling",
    "初核": "handling",
    "初核中": "handling",
    "初步核实": "handling",
    "查否待签字": "signing",
    "待签字": "signing",
    "已办结": "concluded",
    "办结": "concluded",
    "已查结": "concluded",
    "查结": "concluded",
    "已完结": "concluded",
    "完结": "concluded",
    "已结案": "concluded",
    "结案": "concluded",
    "办理完毕": "concluded",
    "处理完毕": "concluded",
    "已核结": "concluded",
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
    "移送": "transferred",
    "已销号": "crossed_off",
    "销号": "crossed_off",
}

# Words in 办理结果 that tell the conclusion (LeadConclusion values); the longest word
# inside the result wins, so 部分属实 and 不属实 are not read as 属实.
RESULT_WORDS: dict[str, str] = {
    "部分属实": "partly",
    "部分查实": "partly",
    "基本属实": "substantiated",
    "查否": "unfounded",
    "不属实": "unfounded",
    "失实": "unfounded",
    "未查实": "unfounded",
    "查无实据": "unfounded",
    "问题不存在": "unfounded",
    "查实": "substantiated",
    "属实": "substantiated",
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

# A handling body that is the discipline commission: the lead was transferred (移交), it is
# not an unknown unit of the register.
COMMISSION_WORDS = ("纪工委", "纪委监委", "纪检监察", "纪委", "监委", "监察委", "纪检组")

_NAME_SPLIT = re.compile(r"[、，,;；/\s]+")
_PUNCT = re.compile(r"[\s、，,。.;；:：“”\"'‘’()（）《》<>【】\[\]—\-]+")


def fold_word(value: Any) -> str:
    """A vocabulary word folded for lookup: NFKC, no spaces or punctuation."""
    return _PUNCT.sub("", clean_text(value)).lower()


@dataclass
class Vocabulary:
    """The words the parser maps, folded: built-in ones plus an office's own."""

    status: dict[str, str] = field(default_factory=dict)
    category: dict[str, str] = field(default_factory=dict)
    result: dict[str, str] = field(default_factory=dict)
    channel: dict[str, str] = field(default_factory=dict)  # word -> Channel code
    status_labels: dict[str, str] = field(default_factory=dict)  # value -> label
    category_labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def default(cls) -> Vocabulary:
        from .models import LeadCategory, LeadStatus

        vocab = cls(
            status={fold_word(k): v for k, v in STATUS_WORDS.items()},
            category={fold_word(k): v for k, v in CATEGORY_WORDS.items()},
            result={fold_word(k): v for k, v in RESULT_WORDS.items()},
            status_labels={c.value: str(c.label) for c in LeadStatus},
            category_labels={c.value: str(c.label) for c in LeadCategory},
        )
        for choices, table in ((LeadStatus, vocab.status), (LeadCategory, vocab.category)):
            for choice in choices:
                table.setdefault(fold_word(choice.label), choice.value)
                table.setdefault(fold_word(choice.value), choice.value)
        return vocab

    @classmethod
    def for_office(cls, office) -> Vocabulary:
        from .models import LeadImportVocabulary

        vocab = cls.default()
        own = LeadImportVocabulary.objects.filter(office=office).first() if office else None
        if own is not None:
            vocab.status.update({fold_word(k): v for k, v in (own.status_words or {}).items()})
            vocab.result.update({fold_word(k): v for k, v in (own.result_words or {}).items()})
            vocab.channel.update({fold_word(k): v for k, v in (own.channel_words or {}).items()})
        return vocab

    def map_status(self, value: Any) -> str | None:
        return self.status.get(fold_word(value))

    def map_category(self, value: Any) -> str | None:
        word = fold_word(value)
        if word in self.category:
            return self.category[word]
        # Longer descriptions such as “违规经商办企业（配偶）”: the longest known word inside.
        hits = [k for k in self.category if k and k in word]
        return self.category[max(hits, key=len)] if hits else None

    def map_result(self, value: Any) -> str:
        word = fold_word(value)
        hits = [k for k in self.result if k and k in word]
        return self.result[max(hits, key=len)] if hits else ""


def map_status(value: Any) -> str | None:
    return Vocabulary.default().map_status(value)


def map_category(value: Any) -> str | None:
    return Vocabulary.default().map_category(value)


def split_names(value: Any) -> list[str]:
    names = [n for n in _NAME_SPLIT.split(clean_text(value)) if n]
    return list(dict.fromkeys(names))


def is_commission(word: str) -> bool:
    return any(w in word for w in COMMISSION_WORDS)


ANONYMOUS_WORDS = {"", "匿名", "匿名举报", "无", "不详", "佚名"}
ANONYMOUS_EXPORT = "匿名"
# Written by the export for users who may not see the reporter; read back as "keep".
CONFIDENTIAL = "保密"
CONFIDENTIAL_WORDS = {CONFIDENTIAL, "（保密）", "(保密)", "***"}

# Row problems (module constants: tests assert on them).
NUMBER_EMPTY = "线索编号不能为空"
# The one answer for a number the importer may not touch, whether it is missing from the
# office's numbering, belongs to another office, or names a lead the importer is recused
# from or cannot see: the wording must not tell these apart.
NUMBER_UNAVAILABLE = "没有这条线索，或您无权通过导入修改它"
RECEIVED_EMPTY = "受理日期不能为空"
DATE_IN_FUTURE = "日期不能晚于今天"
SUMMARY_EMPTY = "反映内容摘要不能为空"
# A cell longer than the field that stores it is a row error, as the form's limit is: never
# cut silently, never a database error (PostgreSQL refuses, SQLite would store it whole).
TEXT_LIMITS = {
    "线索编号": 40,  # Lead.number
    "反映内容摘要": TEXT_MAX,
    "办理结果": TEXT_MAX,
    "被反映人单位": 200,
    "承办单位": 200,
    "承办人": 100,  # Lead.handler_text
    "反映人": 100,
}
TOO_LONG = "最多%(max)s字，现为%(n)s字"
NOT_WRITABLE = "线索已归档或已终结，不能再修改"
UNKNOWN_STATUS = "无法识别的办理状态，状态不变（新线索为待筛查），原文保留在导入记录中"
UNKNOWN_CATEGORY = "无法识别的问题类别，按“其他”导入，原文保留在导入记录中"
UNKNOWN_CHANNEL = "无法识别的线索来源，来源留空，原文保留在导入记录中"
HANDLER_NOT_IN_REGISTER = "承办人不在干警名册中，按文字保留"
HANDLER_AMBIGUOUS = "同名干警不止一人，按文字保留（填写承办单位可区分）"
UNIT_UNKNOWN = "单位不在本办公室辖区的单位名册中（全称、简称、别名或代码），按文字保留"
UNIT_AMBIGUOUS = "单位名称对应多个单位，按文字保留（请填写全称或在单位上设置别名）"
TRANSFER_DATE_ASSUMED = "台账未填写移交日期，按受理日期记录"
DEADLINE_PAST = "办理期限早于今天：未办结的线索导入后即为逾期（确认导入即确认此期限）"
REPORTER_NOT_COMPARED = "您无权查看已有线索的反映人：反映人列对已有线索不比较、不修改"


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
    status: str  # "" when the file does not say (or says something unknown)
    result: str
    raw_status: str = ""
    raw_category: str = ""
    extras: dict[str, str] = field(default_factory=dict)  # unrecognised columns, as written
    unknown: dict[str, str] = field(default_factory=dict)  # column -> word nobody knows

    @property
    def reporter_anonymous(self) -> bool:
        return self.reporter in ANONYMOUS_WORDS

    @property
    def reporter_confidential(self) -> bool:
        return self.reporter in CONFIDENTIAL_WORDS


@dataclass
class Remap:
    """A value written one way and stored as another (shown before anything is stored)."""

    column: str
    value: str
    to: str
    rows: list[int] = field(default_factory=list)


@dataclass
class ParsedSheet:
    sheet: str = ""
    rows: list[LeadRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    remaps: dict[tuple[str, str], Remap] = field(default_factory=dict)
    header_row: int = 0
    mapping: list[tuple[str, str]] = field(default_factory=list)  # (header as written, column)
    unrecognised: list[str] = field(default_factory=list)
    footer: list[tuple[int, str]] = field(default_factory=list)

    def remap(self, column: str, value: str, to: str, row: int) -> None:
        if fold_word(value) == fold_word(to):
            return
        entry = self.remaps.setdefault((column, value), Remap(column, value, to))
        entry.rows.append(row)


def parse_rows(sheet_rows: SheetRows, *, vocabulary: Vocabulary | None = None) -> ParsedSheet:
    """Parse the canonical dicts of `read_sheet` into LeadRows, collecting problems."""
    vocab = vocabulary or Vocabulary.default()
    out = ParsedSheet(
        sheet=sheet_rows.sheet,
        header_row=sheet_rows.header_row,
        mapping=[
            (sheet_rows.labels.get(name, name), name)
            for name, _col in sorted(sheet_rows.columns.items(), key=lambda item: item[1])
        ],
        unrecognised=list(sheet_rows.unrecognised),
        footer=list(sheet_rows.footer),
    )
    seen: dict[str, int] = {}
    today = timezone.localdate()

    def err(row: int, column: str, value: Any, reason: str) -> None:
        out.errors.append(RowError(sheet_rows.sheet, row, column, clean_text(value), reason))

    def warn(row: int, column: str, value: Any, reason: str) -> None:
        out.warnings.append(RowError(sheet_rows.sheet, row, column, clean_text(value), reason))

    for row_no, values in sheet_rows.rows:
        for column, limit in TEXT_LIMITS.items():
            length = len(clean_text(values.get(column)))
            if length > limit:
                err(row_no, column, values.get(column), TOO_LONG % {"max": limit, "n": length})
        for name in split_names(values.get("被反映人")):
            if len(name) > SUBJECT_NAME_MAX:
                err(row_no, "被反映人", name, TOO_LONG % {"max": SUBJECT_NAME_MAX, "n": len(name)})
        number = clean_text(values.get("线索编号")).replace(" ", "")
        if not number:
            err(row_no, "线索编号", "", NUMBER_EMPTY)
        elif number in seen:
            err(row_no, "线索编号", number, f"与第{seen[number]}行编号重复")
        else:
            seen[number] = row_no
        dates: dict[str, dt.date | None] = {}
        for column in ("受理日期", "办理期限"):
            try:
                dates[column] = parse_date(values.get(column))
            except ValueError as exc:
                err(row_no, column, values.get(column), str(exc))
                dates[column] = None
        if not clean_text(values.get("受理日期")):
            err(row_no, "受理日期", "", RECEIVED_EMPTY)
        elif dates["受理日期"] and dates["受理日期"] > today:
            err(row_no, "受理日期", values.get("受理日期"), DATE_IN_FUTURE)
            dates["受理日期"] = None
        summary = clean_text(values.get("反映内容摘要"))
        if not summary:
            err(row_no, "反映内容摘要", "", SUMMARY_EMPTY)
        unknown: dict[str, str] = {}
        raw_category = clean_text(values.get("问题类别"))
        category = "other"
        if raw_category:
            category = vocab.map_category(raw_category) or ""
            if category:
                out.remap("问题类别", raw_category, vocab.category_labels[category], row_no)
            else:
                category = "other"
                unknown["问题类别"] = raw_category
                warn(row_no, "问题类别", raw_category, UNKNOWN_CATEGORY)
        raw_status = clean_text(values.get("办理状态"))
        status = ""
        if raw_status:
            status = vocab.map_status(raw_status) or ""
            if status:
                out.remap("办理状态", raw_status, vocab.status_labels[status], row_no)
            else:
                unknown["办理状态"] = raw_status
                warn(row_no, "办理状态", raw_status, UNKNOWN_STATUS)
        if (
            dates["办理期限"]
            and dates["办理期限"] < today
            and status in ("", "registered", "handling", "held", "transferred", "signing")
        ):
            warn(row_no, "办理期限", values.get("办理期限"), DEADLINE_PAST)
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
                raw_status=raw_status,
                raw_category=raw_category,
                extras=sheet_rows.extras.get(row_no, {}),
                unknown=unknown,
            )
        )
    return out


def read_workbook(upload, *, vocabulary: Vocabulary | None = None) -> ParsedSheet:
    """Open the upload and parse its first sheet that has the required columns.

    Raises rectify.excel.ExcelError when the file itself is unusable.
    """
    workbook = open_workbook(upload)
    last: ExcelError | None = None
    try:
        for worksheet in workbook.worksheets:
            try:
                sheet_rows = read_sheet(worksheet, SYNONYMS, required=REQUIRED, contains=True)
            except ExcelError as exc:
                last = exc
                continue
            return parse_rows(sheet_rows, vocabulary=vocabulary)
    finally:
        workbook.close()
    raise last or ExcelError("工作簿中没有工作表")


# --- stage 2: resolve against the register and the importer's leads, plan, write ---------

# Channel words seen in real ledgers -> words to look for in the Channel table's names.
# Only a hint: whatever it maps is shown as a remap before anything is stored.
CHANNEL_WORDS: dict[str, list[str]] = {  # most specific first
    "涉黑涉恶": ["涉黑", "涉恶", "扫黑"],
    "涉法涉诉": ["涉法涉诉", "涉诉信访", "信访案件"],
    "重点案件": ["重点案件", "案件评查"],
    "执法检查": ["执法检查", "执法司法检查", "专项检查"],
    "12337": ["12337", "举报平台", "网络举报", "网上举报"],
    "函询": ["函询"],
    "民主测评": ["测评", "民主测评"],
    "个别谈话": ["谈话", "个别谈话", "谈心"],
    "明察暗访": ["暗访", "明察", "明察暗访", "督察"],
    "热线": ["热线", "电话", "举报电话"],
    "信箱": ["信箱", "来信", "信件", "邮箱", "举报信", "信访件"],
    "平台": ["平台", "网络", "网上", "在线"],
    "来访": ["来访", "走访", "接访"],
}

# The fields an import writes on a lead, with the labels its timeline shows.
FIELD_LABELS = {
    "received_date": "受理日期",
    "channel_id": "线索来源",
    "category": "问题类别",
    "summary": "反映内容摘要",
    "subject_unit_id": "被反映人单位",
    "handling_unit_id": "承办单位",
    "handler_id": "承办人",
    "handler_text": "承办人（未在册）",
    "deadline": "办理期限",
    "transfer_body": "移交机关",
    "transfer_date": "移交日期",
    "result": "办理结果",
    "conclusion": "办理结论",
}
LEAD_FIELDS = list(FIELD_LABELS)
LIFECYCLE_FIELDS = ["registered_at", "screened_at", "concluded_at", "crossed_off_at"]
REPORTER_FIELDS = ["reporter_anonymous", "reporter_name_enc"]


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


def _by_folded(rows, *keys) -> dict[str, list]:
    out: dict[str, list] = {}
    for row in rows:
        for key in keys:
            word = fold_word(getattr(row, key))
            if word:
                out.setdefault(word, [])
                if row not in out[word]:
                    out[word].append(row)
    return out


def unit_words(unit) -> list[str]:
    """Every name a unit answers to: full name, code, aliases (简称)."""
    aliases = [a for a in re.split(r"[、，,;；\n]+", getattr(unit, "aliases", "") or "") if a]
    return [unit.name, unit.code, *aliases]


class _Register:
    """Everything a row is resolved against, preloaded once (a fixed number of queries).

    Existing leads are looked up only among those the importer may see
    (rectify.access.leads_visible_to): a number outside that set is answered like a
    missing one, whatever it is."""

    def __init__(self, office, numbers: list[str], actor, vocabulary: Vocabulary):
        from rectify.access import can_reveal_reporter, leads_visible_to
        from rectify.models import Office, Officer, Unit

        from .models import Channel, Lead

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
        self.officers = list(
            Officer.objects.filter(unit__path__startswith=root.path).select_related("unit")
        )
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

    def officers_named(self, name: str, unit=None) -> list:
        found = self.officers_by_name.get(fold_word(name), [])
        if unit is not None:
            found = [o for o in found if o.unit.path.startswith(unit.path)]
        return found


def _show(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _same(lead, name: str, word: str) -> tuple[Any, str] | None:
    """An existing lead's unit or handler when the row names it as stored: it may lie
    outside the office's register (提级 / 异地管辖), and an exported row must come back
    unchanged."""
    current = getattr(lead, name) if lead is not None and getattr(lead, f"{name}_id") else None
    if current is not None and fold_word(current.name) == fold_word(word):
        return current, ""
    return None


def _plan_row(row: LeadRow, reg: _Register, parsed: ParsedSheet, result: ImportResult):
    """Resolve one parsed row and decide what importing it means."""
    from .models import LeadConclusion

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
    names = {
        "channel_id": {c.pk: c.name for c in reg.channels},
        "subject_unit_id": {u.pk: u.name for u in reg.units},
        "handling_unit_id": {u.pk: u.name for u in reg.units},
        "handler_id": {o.pk: o.name for o in reg.officers},
        "category": reg.vocabulary.category_labels,
        "conclusion": {c.value: str(c.label) for c in LeadConclusion},
    }
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


def _transition_problem(lead, plan: RowPlan) -> str | None:
    """The workflow's answer to this status change, asked on a copy carrying the row's new
    values (nothing is written): the same table and guards lead_transition applies."""
    import copy

    from .workflow import GUARDS, ILLEGAL_MOVE, NOT_CONCLUDED, allowed

    probe = copy.copy(lead)
    for name, value in plan.values.items():
        setattr(probe, name, value)
    if not allowed(probe, plan.status_to):
        return NOT_CONCLUDED if plan.status_to == "crossed_off" else ILLEGAL_MOVE
    guard = GUARDS.get(plan.status_to)
    return guard(probe, _transition_reason(plan)) if guard else None


def _lifecycle(lead) -> None:
    """A new lead from an office's old ledger gets the timestamps its status implies, so
    closure rates, overdue flags and crossing off work on it as on leads registered here.
    (Existing leads change status only through lead_transition, which sets them.)"""
    from .models import UNSCREENED, LeadStatus

    now = timezone.now()
    done = lead.status in (LeadStatus.CONCLUDED, LeadStatus.CROSSED_OFF)
    lead.registered_at = lead.registered_at or now
    lead.screened_at = None if lead.status in UNSCREENED else (lead.screened_at or now)
    lead.concluded_at = (lead.concluded_at or now) if done else None
    if lead.status == LeadStatus.CROSSED_OFF:
        lead.crossed_off_at = lead.crossed_off_at or now


def _kept_text(plan: RowPlan) -> str:
    return "；".join(f"{k}：{v}" for k, v in plan.kept.items())


class _Refused(Exception):
    def __init__(self, error: RowError):
        super().__init__(error.reason)
        self.error = error


def import_ledger(
    *,
    upload=None,
    parsed: ParsedSheet | None = None,
    office,
    actor,
    dry_run: bool = False,
    progress=None,
    filename: str = "",
) -> ImportResult:
    """Plan every row; if none has an error (and not dry_run) store them all in one
    transaction, or nothing. Idempotent by 线索编号: re-importing a file changes nothing.

    Scoping: existing leads are only those `leads_visible_to(actor)` returns for this
    office; any other existing number is a row error (NUMBER_UNAVAILABLE). Status changes
    of existing leads go through `lead_transition`; every changed field becomes a timeline
    event, and each changed lead one audit event. `progress(processed, total)` feeds the
    web import's progress bar. Raises rectify.excel.ExcelError for an unreadable file.
    """
    from django.db import transaction

    from rectify.audit import audit_record
    from rectify.models import AuditVerb

    from .models import EventKind, Lead, LeadEvent, LeadSubject
    from .screening import lead_grams_sync
    from .services import lead_subject_candidates_sync
    from .workflow import LeadWorkflowError

    vocabulary = Vocabulary.for_office(office)
    if parsed is None:
        parsed = read_workbook(upload, vocabulary=vocabulary)
    result = ImportResult(
        errors=list(parsed.errors),
        warnings=list(parsed.warnings),
        total=len(parsed.rows),
        dry_run=dry_run,
        parsed=parsed,
    )
    report = progress or (lambda done, total: None)
    report(0, result.total)
    reg = _Register(office, [r.number for r in parsed.rows if r.number], actor, vocabulary)
    has_reporter = any(column == "反映人" for _header, column in parsed.mapping)
    if has_reporter and reg.visible and not all(reg.reveal.values()):
        result.notes.append(REPORTER_NOT_COMPARED)
    for index, row in enumerate(parsed.rows, start=1):
        result.plans.append(_plan_row(row, reg, parsed, result))
        if index % 500 == 0:
            report(index // 2, result.total)
    order = {name: i for i, name in enumerate(COLUMNS)}
    result.errors.sort(key=lambda e: (e.row, order.get(e.column, 99)))
    result.warnings.sort(key=lambda e: (e.row, order.get(e.column, 99)))
    bad_rows = {e.row for e in result.errors}
    new = [p for p in result.plans if p.action == "create" and p.row not in bad_rows]
    changed = [p for p in result.plans if p.action == "update" and p.row not in bad_rows]
    result.unchanged = sum(
        1 for p in result.plans if p.action == "unchanged" and p.row not in bad_rows
    )
    result.created, result.updated = len(new), len(changed)
    if result.errors or dry_run or not (new or changed):
        report(result.total, result.total)
        return result
    user = actor if getattr(actor, "is_authenticated", False) else None
    source = f"台账导入（{filename}）" if filename else "台账导入"
    try:
        with transaction.atomic():
            leads = []
            for plan in new:
                lead = Lead(number=plan.number, office=office, created_by=user)
                for name, value in plan.values.items():
                    setattr(lead, name, value)
                anonymous, name = plan.reporter or (True, "")
                lead.reporter_anonymous = anonymous
                lead.reporter_name = "" if anonymous else name
                _lifecycle(lead)
                leads.append((lead, plan))
            Lead.objects.bulk_create([lead for lead, _ in leads], batch_size=1000)
            report(result.total * 3 // 4, result.total)
            LeadSubject.objects.bulk_create(
                [
                    LeadSubject(lead_id=lead.pk, officer_id=o, name=n[:100], unit_name=u[:200])
                    for lead, plan in leads
                    for o, n, u in plan.subjects
                ],
                batch_size=2000,
            )
            LeadEvent.objects.bulk_create(
                [
                    LeadEvent(
                        lead_id=lead.pk,
                        kind=EventKind.NOTE,
                        actor=user,
                        text="由"
                        + source
                        + "创建"
                        + (f"。台账中保留的原文：{_kept_text(plan)}" if plan.kept else ""),
                        data={"import": True, "row": plan.row, "kept": plan.kept},
                    )
                    for lead, plan in leads
                ],
                batch_size=2000,
            )
            updated = [_update_lead(plan, actor, user, source, parsed.sheet) for plan in changed]
            # Recusal by identity: subjects typed as names are matched against the register.
            lead_subject_candidates_sync(
                lead_ids=[lead.pk for lead, _ in leads] + [lead.pk for lead in updated]
            )
            lead_grams_sync(leads=[lead for lead, _ in leads] + updated)
            audit_record(
                actor=actor,
                action="leads.lead.imported",
                verb=AuditVerb.CREATE,
                target=office,
                data={
                    **result.summary(),
                    "numbers": [p.number for p in new + changed][:200],
                },
            )
    except _Refused as refused:
        # Something changed since the preview (another user moved a lead): nothing stored.
        result.errors.append(refused.error)
        result.created = result.updated = 0
    except LeadWorkflowError as exc:  # pragma: no cover - _update_lead converts these
        raise ExcelError(str(exc)) from exc
    report(result.total, result.total)
    return result


def _update_lead(plan: RowPlan, actor, user, source: str, sheet: str):
    """Write one planned update of an existing lead: the changed fields (each a timeline
    event with old and new value), then the status through lead_transition, then one
    audit event for the lead."""
    from rectify.audit import audit_record
    from rectify.models import AuditVerb

    from .models import EventKind, Lead, LeadEvent, LeadSubject
    from .workflow import LeadWorkflowError, lead_transition

    lead = Lead.objects.select_for_update().get(pk=plan.lead_id)
    if not lead.is_writable:
        raise _Refused(RowError(sheet, plan.row, "线索编号", plan.number, NOT_WRITABLE))
    fields = []
    for name, value in plan.values.items():
        if (getattr(lead, name) or None) != (value or None):
            setattr(lead, name, value)
            fields.append(name.removesuffix("_id"))
    if plan.reporter is not None:
        anonymous, name = plan.reporter
        lead.reporter_anonymous = anonymous
        lead.reporter_name = "" if anonymous else name
        fields += REPORTER_FIELDS
    lead.last_activity_at = timezone.now()
    lead.save(update_fields=[*fields, "last_activity_at"])
    if plan.subjects_changed:
        LeadSubject.objects.filter(lead=lead).delete()
        LeadSubject.objects.bulk_create(
            [
                LeadSubject(lead=lead, officer_id=o, name=n[:100], unit_name=u[:200])
                for o, n, u in plan.subjects
            ]
        )
    events = []
    for label, old, new in plan.changes:
        if label == "办理状态":
            continue  # lead_transition records its own event
        if label == "反映人":
            text, data = f"{source}：反映人信息已更新", {"import": True, "field": label}
        else:
            text = f"{source}：{label}由“{old or '（空）'}”改为“{new or '（空）'}”"
            data = {"import": True, "field": label, "old": old, "new": new}
        events.append(LeadEvent(lead=lead, kind=EventKind.NOTE, actor=user, text=text, data=data))
    LeadEvent.objects.bulk_create(events)
    if plan.status_to:
        try:
            lead_transition(
                lead=lead, to=plan.status_to, actor=actor, reason=_transition_reason(plan)
            )
        except LeadWorkflowError as exc:
            raise _Refused(RowError(sheet, plan.row, "办理状态", plan.status_to, str(exc))) from exc
    audit_record(
        actor=actor,
        action="leads.lead.import_updated",
        verb=AuditVerb.CHANGE,
        target=lead,
        data={
            "row": plan.row,
            "fields": [label for label, _old, _new in plan.changes],
        },
    )
    return lead
