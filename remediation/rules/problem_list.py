"""The canonical layout of a problem list (问题清单) in Excel and the words it is read with.

Import and export share COLUMNS: an exported ledger imports back as "unchanged". Offices
write the same things many ways, so every column has synonyms (read through the shared
rectify.excel header matching) and every vocabulary cell is folded (full-width, spaces,
punctuation) before it is looked up here.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from rectify.excel import clean_text, fold_word
from rectify.models import ChronicProblem

from ..models import ItemKind, ItemOrigin, ItemStatus

COLUMNS = [
    "问题编号",
    "单位",
    "顽瘴痼疾",
    "问题描述",
    "问题类型",
    "标签",
    "问题来源",
    "理想信念方面",
    "宗旨意识方面",
    "党性修养方面",
    "纪律观念方面",
    "责任单位",
    "责任人",
    "整改时限",
    "整改措施",
    "状态",
]

# Columns read but not written: one cause column, or the three tags as three columns.
SYNONYMS: dict[str, list[str]] = {
    "问题编号": ["编号", "问题编码", "清单编号", "问题清单编号"],
    "单位": ["所属单位", "单位名称", "问题单位", "整治单位"],
    "顽瘴痼疾": ["问题类别", "顽瘴痼疾类别", "所属顽瘴痼疾", "六大顽瘴痼疾", "专项类别"],
    "问题描述": ["问题表现", "具体问题", "存在问题", "主要问题", "问题内容"],
    "问题类型": ["类型", "问题性质", "问题分类"],
    "标签": ["问题标签", "问题特征", "问题属性"],
    "热点": ["群众反映强烈的热点", "热点问题"],
    "堵点": ["制约执法司法的堵点", "堵点问题"],
    "难点": ["影响四化建设的难点", "影响“四化”建设的难点", "难点问题"],
    "问题来源": ["来源", "发现渠道", "问题渠道"],
    "成因分析": ["原因分析", "问题成因", "根源剖析", "成因", "原因剖析"],
    "理想信念方面": ["理想信念"],
    "宗旨意识方面": ["宗旨意识"],
    "党性修养方面": ["党性修养"],
    "纪律观念方面": ["纪律观念"],
    "责任单位": ["整改责任单位", "牵头单位", "责任部门"],
    "责任人": ["整改责任人", "具体责任人"],
    "整改时限": ["完成时限", "整改期限", "时限", "整改完成时限"],
    "整改措施": ["对策措施", "措施", "整改举措", "整改措施及要求"],
    "状态": ["整改状态", "当前状态", "办理状态"],
}
REQUIRED = ("问题描述",)

CAUSE_FIELDS = {
    "理想信念方面": "cause_ideals",
    "宗旨意识方面": "cause_purpose",
    "党性修养方面": "cause_party_spirit",
    "纪律观念方面": "cause_discipline",
}
TAG_FIELDS = {"热点": "is_hotspot", "堵点": "is_blocking", "难点": "is_difficulty"}

# The six chronic problems: their labels, plus the words offices shorten them to.
PROBLEM_WORDS: dict[str, list[str]] = {
    ChronicProblem.INTERFERENCE: ["三个规定", "干预司法", "防止干预司法"],
    ChronicProblem.BUSINESS: ["经商办企业", "违规经商", "从事经营活动"],
    ChronicProblem.LENDING: ["参股借贷", "违规借贷", "违规参股"],
    ChronicProblem.SENTENCE: ["减刑假释", "暂予监外执行", "减假暂"],
    ChronicProblem.INACTION: ["有案不立", "压案不查", "有罪不究"],
    ChronicProblem.BROKER: ["司法掮客", "离任后违规从事律师执业", "违规从事律师执业"],
}
N_PREFIX = "“N”项："

KIND_WORDS = {fold_word(c.label): c.value for c in ItemKind} | {
    "多发": ItemKind.FREQUENT,
    "顽固": ItemKind.STUBBORN,
    "典型": ItemKind.TYPICAL,
}
ORIGIN_WORDS = {fold_word(c.label): c.value for c in ItemOrigin} | {
    "自查": ItemOrigin.SELFCHECK,
    "自查自纠": ItemOrigin.SELFCHECK,
    "线索": ItemOrigin.LEAD,
    "线索核查": ItemOrigin.LEAD,
    "信访举报": ItemOrigin.LEAD,
    "评查": ItemOrigin.CASE_REVIEW,
    "案件评查": ItemOrigin.CASE_REVIEW,
    "群众来信": ItemOrigin.PUBLIC,
    "群众反映": ItemOrigin.PUBLIC,
    "12345": ItemOrigin.PUBLIC,
    "督导": ItemOrigin.INSPECTION,
    "督查": ItemOrigin.INSPECTION,
    "巡察": ItemOrigin.INSPECTION,
    "督导检查": ItemOrigin.INSPECTION,
    "检查": ItemOrigin.INSPECTION,
}
STATUS_WORDS = {fold_word(c.label): c.value for c in ItemStatus} | {
    "未整改": ItemStatus.OPEN,
    "未开始": ItemStatus.OPEN,
    "正在整改": ItemStatus.IN_PROGRESS,
    "推进中": ItemStatus.IN_PROGRESS,
    "已整改": ItemStatus.RECTIFIED,
    "整改完成": ItemStatus.RECTIFIED,
    "验收通过": ItemStatus.ACCEPTED,
}

KIND_UNKNOWN = _("问题类型应为多发性、顽固性或典型性")
ORIGIN_UNKNOWN = _("问题来源应为自查自纠、问题线索、案件评查、群众反映或督导检查")
STATUS_UNKNOWN = _("状态应为待整改、整改中、待验收或已验收")
TAG_UNKNOWN = _("标签应为热点、堵点、难点（可填多个，以顿号分隔）")
PROBLEM_UNKNOWN = _("无法识别的顽瘴痼疾（填六大顽瘴痼疾之一或本单位“N”项问题的名称）")

TAG_SEPARATORS = re.compile(r"[、，,;；/\s]+")
_MEASURE_MARK = re.compile(
    r"^\s*(?:\d+[.、．)）]|[（(]\d+[)）]|[①-⑳]|[一二三四五六七八九十]+、)\s*"
)
_CAUSE_LABEL = re.compile(r"^(理想信念|宗旨意识|党性修养|纪律观念)(?:方面)?\s*[:：]\s*")
_PERSON = re.compile(r"^(.*?)\s*[（(]\s*([^()（）]+?)\s*[)）]$")


def problem_code(word: str) -> str | None:
    """A chronic problem's code from its label or a known shortening; None otherwise."""
    folded = fold_word(word)
    if not folded:
        return None
    for choice in ChronicProblem:
        if folded == fold_word(choice.label) or folded == choice.value:
            return choice.value
    for code, words in PROBLEM_WORDS.items():
        if any(fold_word(w) in folded for w in words):
            return code
    return None


def problem_label(code: str) -> str:
    return str(ChronicProblem(code).label)


def parse_tags(value: object) -> set[str] | None:
    """The tags named in one cell (热点、堵点 …, the long labels too); None when a word is
    not a tag."""
    found: set[str] = set()
    for word in TAG_SEPARATORS.split(clean_text(value)):
        if not word or word in {"无", "-", "—"}:
            continue
        hits = [tag for tag in TAG_FIELDS if tag in word]
        if len(hits) != 1:
            return None
        found.add(hits[0])
    return found


def tags_text(item: object) -> str:
    return "、".join(tag for tag, name in TAG_FIELDS.items() if getattr(item, name))


def _plain(line: str) -> str:
    """A line of free text trimmed, inner white space collapsed; no full-width folding
    (Chinese punctuation stays as written, so a re-import compares equal)."""
    return re.sub(r"\s+", " ", line).strip()


def parse_measures(value: object) -> list[str]:
    """One measure per line; leading numbering (1. （1） ① 一、) is dropped."""
    if value is None:
        return []
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    for line in text.split("\n"):
        line = _MEASURE_MARK.sub("", _plain(line)).strip()
        if line and line not in out:
            out.append(line)
    return out


def parse_causes(value: object) -> tuple[dict[str, str], bool]:
    """One 成因分析 cell into the four fields: lines led by 理想信念：… etc. go to their
    field; text without a label goes to 理想信念方面 (second value True: warn)."""
    fields: dict[str, list[str]] = {}
    unlabelled = False
    current = ""
    text = "" if value is None else str(value).replace("\r", "\n")
    for raw in re.split(r"[\n；;]+", text):
        line = _plain(raw)
        if not line:
            continue
        match = _CAUSE_LABEL.match(line)
        if match:
            current = CAUSE_FIELDS[match.group(1) + "方面"]
            line = line[match.end() :]
        elif not current:
            current, unlabelled = "cause_ideals", True
        fields.setdefault(current, []).append(line)
    return {k: "；".join(v) for k, v in fields.items()}, unlabelled


def parse_person(value: object) -> tuple[str, str]:
    """(name, number) from 张三（A001）, or (text, "") / ("", number-like text)."""
    text = clean_text(value)
    match = _PERSON.match(text)
    if match:
        return match.group(1).strip(), match.group(2).strip()
    return text, ""


def person_text(officer: object) -> str:
    if officer is None:
        return ""
    return f"{officer.name}（{officer.number}）"  # type: ignore[attr-defined]
