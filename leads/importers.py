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
ANONYMOUS_EXPORT = "匿名"
# Written by the export for users who may not see the reporter; read back as "keep".
CONFIDENTIAL = "保密"
CONFIDENTIAL_WORDS = {CONFIDENTIAL, "（保密）", "(保密)", "***"}


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

    @property
    def reporter_confidential(self) -> bool:
        return self.reporter in CONFIDENTIAL_WORDS


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


# --- stage 2: resolve against the register and write ------------------------------------

# Channel words seen in real ledgers -> words to look for in the Channel table's names.
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
    "信箱": ["信箱", "来信", "信件", "邮箱", "举报信"],
    "平台": ["平台", "网络", "网上", "在线"],
    "来访": ["来访", "走访", "接访", "信访"],
}


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    total: int = 0
    dry_run: bool = False

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


class _Register:
    """Everything a row is resolved against, preloaded once (a fixed number of queries)."""

    def __init__(self, office, numbers: list[str]):
        from rectify.models import Officer, Unit

        from .models import Channel, Lead

        root = office.jurisdiction
        self.office = office
        self.units = list(Unit.objects.filter(path__startswith=root.path))
        self.unit_by_word = _by_folded(self.units, "name", "code")
        self.officers = list(
            Officer.objects.filter(unit__path__startswith=root.path).select_related("unit")
        )
        self.officers_by_name = _by_folded(self.officers, "name")
        self.channels = list(Channel.objects.all())
        self.channel_by_word = _by_folded(self.channels, "name", "code")
        self.existing = {
            lead.number: lead
            for lead in Lead.objects.filter(number__in=numbers)
            .select_related("subject_unit")
            .prefetch_related("subjects")
        }

    def channel(self, word: str):
        folded = fold_word(word)
        if folded in self.channel_by_word:
            return self.channel_by_word[folded][0]
        for hints in CHANNEL_WORDS.values():
            if any(fold_word(h) in folded for h in hints):
                for channel in self.channels:
                    if any(fold_word(h) in fold_word(channel.name) for h in hints):
                        return channel
        contained = [c for c in self.channels if folded and folded in fold_word(c.name)]
        return contained[0] if len(contained) == 1 else None

    def unit(self, word: str):
        found = self.unit_by_word.get(fold_word(word), [])
        return found[0] if len(found) == 1 else None

    def officers_named(self, name: str, unit=None) -> list:
        found = self.officers_by_name.get(fold_word(name), [])
        if unit is not None:
            found = [o for o in found if o.unit.path.startswith(unit.path)]
        return found


@dataclass
class _Resolved:
    row: LeadRow
    channel_id: int | None
    subject_unit_id: int | None
    handling_unit_id: int | None
    handler_id: int | None
    subjects: list[tuple[int | None, str, str]]  # (officer id, name, unit name)


def _resolve(row: LeadRow, reg: _Register, sheet: str, errors: list[RowError]) -> _Resolved:
    def err(column: str, value: Any, reason: str) -> None:
        errors.append(RowError(sheet, row.row, column, value, reason))

    existing = reg.existing.get(row.number)
    if existing is not None and existing.office_id != reg.office.pk:
        err("线索编号", row.number, "该编号已属于其他办公室的线索")
    channel = reg.channel(row.channel) if row.channel else None
    if not row.channel:
        err("线索来源", "", "线索来源不能为空")
    elif channel is None:
        known = "、".join(c.name for c in reg.channels[:20])
        err("线索来源", row.channel, f"无法识别的线索来源（可选：{known}）")
    subject_unit = reg.unit(row.subject_unit) if row.subject_unit else None
    kept = {}
    if existing is not None:
        kept = {s.name: s.officer_id for s in existing.subjects.all() if s.officer_id}
    subjects = []
    for name in row.subjects:
        if name in kept:
            subjects.append((kept[name], name, row.subject_unit))
            continue
        matches = reg.officers_named(name, subject_unit)
        if not matches and subject_unit is None and not row.subject_unit:
            matches = reg.officers_named(name)
        officer = matches[0] if len(matches) == 1 else None
        subjects.append((officer.pk if officer else None, name, row.subject_unit))
    handling_unit = None
    if row.handling_unit:
        handling_unit = reg.unit(row.handling_unit)
        if handling_unit is None:
            err("承办单位", row.handling_unit, "承办单位不在本办公室辖区内（按单位名称或代码）")
    handler = None
    if row.handler:
        matches = reg.officers_named(row.handler, handling_unit)
        if len(matches) == 1:
            handler = matches[0]
        elif not matches:
            err("承办人", row.handler, "承办人不在承办单位的干警名册中")
        else:
            err("承办人", row.handler, "同名干警不止一人，请填写承办单位以区分")
    return _Resolved(
        row=row,
        channel_id=channel.pk if channel else None,
        subject_unit_id=subject_unit.pk if subject_unit else None,
        handling_unit_id=handling_unit.pk if handling_unit else None,
        handler_id=handler.pk if handler else None,
        subjects=subjects,
    )


LEAD_FIELDS = [
    "received_date",
    "channel_id",
    "category",
    "summary",
    "subject_unit_id",
    "handling_unit_id",
    "handler_id",
    "deadline",
    "status",
    "result",
]


def _values(res: _Resolved) -> dict[str, Any]:
    row = res.row
    return {
        "received_date": row.received_date,
        "channel_id": res.channel_id,
        "category": row.category,
        "summary": row.summary,
        "subject_unit_id": res.subject_unit_id,
        "handling_unit_id": res.handling_unit_id,
        "handler_id": res.handler_id,
        "deadline": row.deadline,
        "status": row.status,
        "result": row.result,
    }


def _subject_key(subjects) -> list[tuple]:
    return sorted((officer_id or 0, name) for officer_id, name, _unit in subjects)


def _differs(lead, res: _Resolved) -> bool:
    from .exports import subject_text

    values = _values(res)
    if any(getattr(lead, name) != value for name, value in values.items()):
        return True
    row = res.row
    if not row.reporter_confidential:
        if lead.reporter_anonymous != row.reporter_anonymous:
            return True
        if not row.reporter_anonymous and (lead.reporter_name or "") != row.reporter:
            return True
    current = [(s.officer_id, s.name, s.unit_name) for s in lead.subjects.all()]
    if _subject_key(current) != _subject_key(res.subjects):
        return True
    lead._export = list(lead.subjects.all())
    return subject_text(lead)[1] != row.subject_unit


# Words in an imported 办理结果 that tell the conclusion (checked in this order).
_CONCLUSION_WORDS = (
    ("partly", ("部分属实", "部分查实")),
    ("unfounded", ("查否", "不属实", "失实", "未查实", "查无实据")),
    ("substantiated", ("查实", "属实")),
)
# Timestamps an imported row implies (the ledger has no columns for them).
LIFECYCLE_FIELDS = ["registered_at", "screened_at", "concluded_at", "crossed_off_at", "conclusion"]


def _lifecycle(lead) -> None:
    """Imported leads get the timestamps their status implies, so closure rates, overdue flags
    and crossing off work on them as on leads registered here; the conclusion is read from
    the result text when it says so (查否 / 部分属实 / 属实)."""
    from django.utils import timezone

    from .models import UNSCREENED, LeadStatus

    now = timezone.now()
    done = lead.status in (LeadStatus.CONCLUDED, LeadStatus.CROSSED_OFF)
    if lead.registered_at is None:
        lead.registered_at = now
    if lead.status not in UNSCREENED and lead.screened_at is None:
        lead.screened_at = now
    if lead.status in UNSCREENED:
        lead.screened_at = None
    lead.concluded_at = (lead.concluded_at or now) if done else None
    lead.crossed_off_at = (
        (lead.crossed_off_at or now) if lead.status == LeadStatus.CROSSED_OFF else None
    )
    if done and not lead.conclusion:
        text = lead.result or ""
        lead.conclusion = next(
            (code for code, words in _CONCLUSION_WORDS if any(w in text for w in words)), ""
        )


def _apply(lead, res: _Resolved) -> None:
    for name, value in _values(res).items():
        setattr(lead, name, value)
    _lifecycle(lead)
    row = res.row
    if row.reporter_confidential:
        if lead.pk is None:
            lead.reporter_anonymous = True
        return
    lead.reporter_anonymous = row.reporter_anonymous
    lead.reporter_name = "" if row.reporter_anonymous else row.reporter


def import_ledger(
    *, upload=None, parsed: ParsedSheet | None = None, office, actor, dry_run=False, progress=None
) -> ImportResult:
    """Validate every row; if none has an error (and not dry_run) write them all in one
    transaction with bulk operations and one audit event. Idempotent by 线索编号.

    `progress(processed, total)` is called as rows are validated and written (the web
    import's progress bar). Raises rectify.excel.ExcelError for an unreadable file.
    """
    from django.db import transaction

    from rectify.audit import audit_record
    from rectify.models import AuditVerb

    from .models import Lead, LeadCategory, LeadStatus, LeadSubject
    from .screening import lead_grams_sync
    from .services import lead_subject_candidates_sync

    register_choices(statuses=LeadStatus, categories=LeadCategory)
    if parsed is None:
        parsed = read_workbook(upload)
    result = ImportResult(errors=list(parsed.errors), total=len(parsed.rows), dry_run=dry_run)
    report = progress or (lambda done, total: None)
    report(0, result.total)
    reg = _Register(office, [row.number for row in parsed.rows if row.number])
    resolved: list[_Resolved] = []
    for index, row in enumerate(parsed.rows, start=1):
        resolved.append(_resolve(row, reg, parsed.sheet, result.errors))
        if index % 500 == 0:
            report(index // 2, result.total)
    result.errors.sort(
        key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else 99)
    )
    if result.errors:
        report(result.total, result.total)
        return result
    new, changed = [], []
    for res in resolved:
        lead = reg.existing.get(res.row.number)
        if lead is None:
            lead = Lead(number=res.row.number, office=office)
            _apply(lead, res)
            new.append((lead, res))
        elif _differs(lead, res):
            _apply(lead, res)
            changed.append((lead, res))
        else:
            result.unchanged += 1
    result.created, result.updated = len(new), len(changed)
    if dry_run or not (new or changed):
        report(result.total, result.total)
        return result
    with transaction.atomic():
        Lead.objects.bulk_create([lead for lead, _ in new], batch_size=1000)
        report(result.total * 3 // 4, result.total)
        if changed:
            fields = (
                [f.removesuffix("_id") for f in LEAD_FIELDS]
                + LIFECYCLE_FIELDS
                + _reporter_fields(Lead)
            )
            Lead.objects.bulk_update([lead for lead, _ in changed], fields, batch_size=1000)
            LeadSubject.objects.filter(lead_id__in=[lead.pk for lead, _ in changed]).delete()
        LeadSubject.objects.bulk_create(
            [
                LeadSubject(lead_id=lead.pk, officer_id=officer_id, name=name, unit_name=unit_name)
                for lead, res in new + changed
                for officer_id, name, unit_name in res.subjects
            ],
            batch_size=2000,
        )
        lead_subject_candidates_sync(lead_ids=[lead.pk for lead, _ in new + changed])
        lead_grams_sync(leads=[lead for lead, _ in new + changed])
        audit_record(
            actor=actor,
            action="leads.lead.imported",
            verb=AuditVerb.CREATE,
            target=office,
            data={
                **result.summary(),
                "numbers": [lead.number for lead, _ in new + changed][:200],
            },
        )
    report(result.total, result.total)
    return result


def _reporter_fields(model) -> list[str]:
    """The concrete fields behind reporter_name / reporter_anonymous (names vary)."""
    names = {f.name for f in model._meta.concrete_fields}
    return sorted(n for n in names if n.startswith("reporter"))
