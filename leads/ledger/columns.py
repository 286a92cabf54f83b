"""The ledger's canonical layout, column synonyms and value vocabulary, and the row messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rectify.excel import (
    clean_text,
    fold_word,
)

from ..forms.lead import TEXT_MAX
from ..models import LeadCategory, LeadImportVocabulary, LeadStatus

if TYPE_CHECKING:
    from rectify.models import Office

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

# Status words -> LeadStatus values. A copy per import adds the labels
# of LeadStatus (`Vocabulary.default`); an office adds its own in LeadImportVocabulary.
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
    def for_office(cls, office: Office | None) -> Vocabulary:
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
