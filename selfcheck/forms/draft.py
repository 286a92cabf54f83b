"""The self-check report form as data: its items (six fixed plus the N items of the
officer's unit and ancestors), parsing a POST into a draft, and validating a draft.

The form's shape is data-driven (six + N items, repeatable rows), so it is parsed here
rather than by a Django form; services call the same checks for every entry point."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify.models import Campaign, ChronicProblem, Officer
from rectify.params import decimal_value

from ..models import (
    AnswerKind,
    BusinessRow,
    ItemConfig,
    LendingRow,
    Relation,
    ReportVersion,
    uscc_is_valid,
)

# Help shown under each fixed item (the form's own wording, DOMAIN.md §3).
FIXED_HELP = {
    ChronicProblem.INTERFERENCE: _(
        "是否存在过问、干预、插手案件，或与当事人、律师不正当接触交往的情况"
    ),
    ChronicProblem.BUSINESS: _("本人及配偶、子女及其配偶经商办企业的情况，逐条填写下表"),
    ChronicProblem.LENDING: _("违规参股、借贷（含民间借贷、放贷收息）的情况，逐条填写下表"),
    ChronicProblem.SENTENCE: _("在减刑、假释、暂予监外执行工作中违规违法的情况"),
    ChronicProblem.INACTION: _("有案不立、压案不查、有罪不究的情况"),
    ChronicProblem.BROKER: _("离任法官检察官违规从事律师执业、本人充当或与司法掮客交往的情况"),
}


@dataclass
class Item:
    key: str
    number: int
    label: str
    help_text: str = ""
    kind: str = AnswerKind.YESNO
    fixed: bool = True


def fixed_items() -> list[Item]:
    """The six fixed items (the chronic problems), numbered 1–6."""
    return [
        Item(key=str(value), number=i, label=str(label), help_text=str(FIXED_HELP[value]))
        for i, (value, label) in enumerate(ChronicProblem.choices, start=1)
    ]


def n_items(configs: Iterable[ItemConfig], *, start: int) -> list[Item]:
    """The N items of these configs (in the order given), numbered from `start`."""
    return [
        Item(
            key=cfg.key,
            number=i,
            label=cfg.text,
            help_text=cfg.help_text,
            kind=cfg.kind,
            fixed=False,
        )
        for i, cfg in enumerate(configs, start=start)
    ]


def form_items(*, officer: Officer, campaign: Campaign) -> list[Item]:
    """The six fixed items plus the N items of the officer's unit and its ancestors (one query)."""
    items = fixed_items()
    configs = (
        ItemConfig.objects.filter(
            campaign=campaign, is_active=True, unit__path__in=officer.unit.ancestor_paths()
        )
        .select_related("unit")
        .order_by("unit__depth", "order", "id")
    )
    return items + n_items(configs, start=len(items) + 1)


BUSINESS_FIELDS = ("relation", "name", "enterprise", "uscc", "role", "shareholding", "period")


LENDING_FIELDS = ("counterparty", "amount", "date", "duty_relation")


def _row_keys(post: QueryDict, prefix: str) -> list[str]:
    keys: list[str] = []
    for name in post:
        if name.startswith(prefix + "-"):
            key = name.split("-")[1]
            if key not in keys:
                keys.append(key)
    return keys


def draft_from_post(post: QueryDict, items: list[Item]) -> dict:
    """Turn the form's POST into the draft dict (lenient: drafts may be incomplete).

    Nothing is cut here: a value over its limit is kept whole so that `draft_limit_errors`
    can refuse it (autosave and submit alike) instead of storing a silently shortened text.
    """
    answers = {}
    for item in items:
        yes_raw = post.get(f"item-{item.key}-yes", "")
        answers[item.key] = {
            "yes": True if yes_raw == "yes" else False if yes_raw == "no" else None,
            # Browsers send a textarea's line breaks as CRLF but count them as one character.
            "details": post.get(f"item-{item.key}-details", "").replace("\r\n", "\n").strip(),
            "date": post.get(f"item-{item.key}-date", "").strip(),
        }
    business = []
    for key in _row_keys(post, "biz"):
        row = {f: post.get(f"biz-{key}-{f}", "").strip() for f in BUSINESS_FIELDS}
        if any(v for f, v in row.items() if f != "relation"):
            business.append(row)
    lending = []
    for key in _row_keys(post, "lend"):
        row = {f: post.get(f"lend-{key}-{f}", "").strip() for f in LENDING_FIELDS}
        if any(row.values()):
            lending.append(row)
    return {"answers": answers, "business": business, "lending": lending}


def draft_from_version(version: ReportVersion) -> dict:
    content = version.content
    return {
        "answers": {
            i["key"]: {"yes": i["yes"], "details": i["details"], "date": i["date"]}
            for i in content.get("items", [])
        },
        "business": content.get("business", []),
        "lending": content.get("lending", []),
    }


# The stated maximum of every text box of the form (shown beside it, enforced here).
DETAILS_MAX = 5000


DATE_TEXT_MAX = 10


BUSINESS_LIMITS = {
    f: BusinessRow._meta.get_field(f).max_length for f in BUSINESS_FIELDS if f != "relation"
}


LENDING_LIMITS = {
    "counterparty": LendingRow._meta.get_field("counterparty").max_length,
    "amount": 20,
    "date": DATE_TEXT_MAX,
    "duty_relation": LendingRow._meta.get_field("duty_relation").max_length,
}


TOO_LONG = _("%(where)s“%(field)s”最多%(max)s字，现为%(n)s字，请删减后再保存")


DRAFT_NOT_SAVED = _("未保存：%(reason)s")


AMOUNT = LendingRow._meta.get_field("amount")


def draft_limit_errors(draft: dict, items: list[Item]) -> dict[str, list[str]]:
    """Values over their stated maximum, per item key (and "business"/"lending")."""
    errors: dict[str, list[str]] = {}

    def check(key: str, where: str, label: str, value: str, limit: int) -> None:
        if len(value or "") > limit:
            message = TOO_LONG % {"where": where, "field": label, "max": limit, "n": len(value)}
            errors.setdefault(key, []).append(message)

    answers = draft.get("answers", {})
    for item in items:
        a = answers.get(item.key, {})
        where = _("第%(n)s项") % {"n": item.number}
        check(item.key, where, _("具体情况"), a.get("details", ""), DETAILS_MAX)
        check(item.key, where, _("日期"), a.get("date", ""), DATE_TEXT_MAX)
    for i, row in enumerate(draft.get("business", []), start=1):
        where = _("第2项第%(i)s行") % {"i": i}
        for f, limit in BUSINESS_LIMITS.items():
            label = str(BusinessRow._meta.get_field(f).verbose_name)
            check("business", where, label, row.get(f, ""), limit)
    for i, row in enumerate(draft.get("lending", []), start=1):
        where = _("第3项第%(i)s行") % {"i": i}
        for f, limit in LENDING_LIMITS.items():
            label = str(LendingRow._meta.get_field(f).verbose_name)
            check("lending", where, label, row.get(f, ""), limit)
    return errors


def _amount_error(value: str) -> str | None:
    """Why a typed amount cannot be stored (NaN, Infinity, 1e30, negative), or None."""
    try:
        decimal_value(
            value,
            max_digits=AMOUNT.max_digits,
            decimal_places=AMOUNT.decimal_places,
            min_value=Decimal(0),
        )
    except ValidationError as exc:
        return str(exc.messages[0])
    return None


def parse_amount(value: str) -> Decimal | None:
    if not value or _amount_error(value):
        return None
    return decimal_value(value, max_digits=AMOUNT.max_digits, decimal_places=AMOUNT.decimal_places)


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def draft_errors(
    draft: dict, items: list[Item], today: dt.date | None = None
) -> dict[str, list[str]]:
    """Specific messages per item key (and "business"/"lending" for the rows).

    Dates declared are facts of the past: none may lie after `today` (the local date)."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    answers = draft.get("answers", {})
    business = draft.get("business", [])
    lending = draft.get("lending", [])

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    for key, messages in draft_limit_errors(draft, items).items():
        errors.setdefault(key, []).extend(messages)
    for item in items:
        a = answers.get(item.key, {})
        n = item.number
        if item.kind == AnswerKind.YESNO:
            if a.get("yes") is None:
                add(item.key, _("第%(n)s项未作选择：请选择“是”或“否”") % {"n": n})
                continue
            if a.get("yes"):
                if item.key == ChronicProblem.BUSINESS:
                    if not business:
                        add(item.key, _("第2项选择“是”：至少填写一行经商办企业信息"))
                elif item.key == ChronicProblem.LENDING:
                    if not lending:
                        add(item.key, _("第3项选择“是”：至少填写一行参股借贷信息"))
                elif not a.get("details"):
                    add(item.key, _("第%(n)s项选择“是”：请填写具体情况") % {"n": n})
        elif item.kind == AnswerKind.TEXT:
            if not a.get("details"):
                add(item.key, _("第%(n)s项为必填：请填写") % {"n": n})
        elif item.kind == AnswerKind.DATE:
            day = parse_date(a.get("date", ""))
            if day is None:
                add(item.key, _("第%(n)s项请填写有效日期") % {"n": n})
            elif day > today:
                add(item.key, _("第%(n)s项的日期不能晚于今天") % {"n": n})

    business_yes = answers.get(ChronicProblem.BUSINESS, {}).get("yes")
    for i, row in enumerate(business, start=1):
        where = _("第2项第%(i)s行") % {"i": i}
        if row.get("relation") not in Relation.values:
            add("business", where + _("：请选择与本人关系"))
        if not row.get("name"):
            add("business", where + _("：请填写姓名"))
        if not row.get("enterprise"):
            add("business", where + _("：请填写企业名称"))
        if row.get("uscc") and not uscc_is_valid(row["uscc"]):
            add("business", where + _("：统一社会信用代码无效（18位，校验位不符）"))
    if business and business_yes is False:
        add("business", _("第2项选择“否”，但填写了经商办企业信息：请改选“是”或删除这些行"))
    lending_yes = answers.get(ChronicProblem.LENDING, {}).get("yes")
    for i, row in enumerate(lending, start=1):
        where = _("第3项第%(i)s行") % {"i": i}
        if not row.get("counterparty"):
            add("lending", where + _("：请填写对方名称"))
        amount_error = _amount_error(row["amount"]) if row.get("amount") else None
        if amount_error:
            add("lending", where + _("：金额应为不小于0的数字") + f"（{amount_error}）")
        if row.get("date"):
            day = parse_date(row["date"])
            if day is None:
                add("lending", where + _("：日期无效"))
            elif day > today:
                add("lending", where + _("：借贷日期不能晚于今天"))
    if lending and lending_yes is False:
        add("lending", _("第3项选择“否”，但填写了参股借贷信息：请改选“是”或删除这些行"))
    return errors


def draft_snapshot(draft: dict, items: list[Item]) -> dict:
    answers = draft.get("answers", {})
    return {
        "items": [
            {
                "key": item.key,
                "number": item.number,
                "label": item.label,
                "kind": str(item.kind),
                "yes": answers.get(item.key, {}).get("yes")
                if item.kind == AnswerKind.YESNO
                else None,
                "details": answers.get(item.key, {}).get("details", ""),
                "date": answers.get(item.key, {}).get("date", "")
                if item.kind == AnswerKind.DATE
                else "",
            }
            for item in items
        ],
        "business": [
            {**row, "uscc": row.get("uscc", "").upper()} for row in draft.get("business", [])
        ],
        "lending": list(draft.get("lending", [])),
    }
