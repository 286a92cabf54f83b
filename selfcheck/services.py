"""Every write of the self-check app. Keyword-only `<entity>_<verb>` functions, atomic,
`full_clean()` before saving, every change audited through `rectify.audit.audit_record`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify.audit import audit_record
from rectify.models import AuditVerb, Campaign, ChronicProblem, Officer, Unit
from rectify.params import decimal_value

from .models import (
    DEFAULT_TALK_TRIGGERS,
    AnswerKind,
    BusinessRow,
    CaseRead,
    CaseStatus,
    ItemConfig,
    LendingRow,
    Notice,
    Question,
    Relation,
    ReportStatus,
    ReportVersion,
    ReviewAction,
    ReviewDecision,
    SelfCheckReport,
    Talk,
    TalkCorrection,
    TalkTrigger,
    VersionAnswer,
    WarningCase,
    content_hash,
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

TEXT_TOO_LONG = _("“%(field)s”最多%(max)s字，现为%(n)s字，请删减")
QUESTION_MAX = 4000
RETURN_REASON_MAX = 2000
CASE_NOTE_MAX = WarningCase._meta.get_field("decision_note").max_length


def _refuse_too_long(text: str, limit: int, field: str) -> None:
    """Services refuse over-long text (forms, commands and imports alike); never cut it."""
    if len(text) > limit:
        raise SelfCheckError(str(TEXT_TOO_LONG % {"field": field, "max": limit, "n": len(text)}))


REVIEW_NOT_SUBMITTED = _("只有已提交待审核的报告可以审核")
RETURN_NEEDS_REASON = _("退回补充必须填写原因")
NOT_EDITABLE = _("报告已提交，审核完成前不能修改；如被退回可补充后重新提交")


class SelfCheckError(Exception):
    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(str(m) for m in self.messages))


@dataclass
class Item:
    key: str
    number: int
    label: str
    help_text: str = ""
    kind: str = AnswerKind.YESNO
    fixed: bool = True


def form_items(*, officer: Officer, campaign: Campaign) -> list[Item]:
    """The six fixed items plus the N items of the officer's unit and its ancestors (one query)."""
    items = [
        Item(key=str(value), number=i, label=str(label), help_text=str(FIXED_HELP[value]))
        for i, (value, label) in enumerate(ChronicProblem.choices, start=1)
    ]
    configs = (
        ItemConfig.objects.filter(
            campaign=campaign, is_active=True, unit__path__in=officer.unit.ancestor_paths()
        )
        .select_related("unit")
        .order_by("unit__depth", "order", "id")
    )
    for i, cfg in enumerate(configs, start=len(items) + 1):
        items.append(
            Item(
                key=cfg.key,
                number=i,
                label=cfg.text,
                help_text=cfg.help_text,
                kind=cfg.kind,
                fixed=False,
            )
        )
    return items


# --- draft parsing and validation ---------------------------------------------------------

BUSINESS_FIELDS = ("relation", "name", "enterprise", "uscc", "role", "shareholding", "period")
LENDING_FIELDS = ("counterparty", "amount", "date", "duty_relation")


def _row_keys(post, prefix: str) -> list[str]:
    keys: list[str] = []
    for name in post:
        if name.startswith(prefix + "-"):
            key = name.split("-")[1]
            if key not in keys:
                keys.append(key)
    return keys


def draft_from_post(post, items: list[Item]) -> dict:
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


def _parse_amount(value: str) -> Decimal | None:
    if not value or _amount_error(value):
        return None
    return decimal_value(value, max_digits=AMOUNT.max_digits, decimal_places=AMOUNT.decimal_places)


def _parse_date(value: str) -> dt.date | None:
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
            day = _parse_date(a.get("date", ""))
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
            day = _parse_date(row["date"])
            if day is None:
                add("lending", where + _("：日期无效"))
            elif day > today:
                add("lending", where + _("：借贷日期不能晚于今天"))
    if lending and lending_yes is False:
        add("lending", _("第3项选择“否”，但填写了参股借贷信息：请改选“是”或删除这些行"))
    return errors


# --- reports ------------------------------------------------------------------------------


def report_for_officer(*, officer: Officer, campaign: Campaign) -> SelfCheckReport:
    report, _created = SelfCheckReport.objects.get_or_create(campaign=campaign, officer=officer)
    return report


@transaction.atomic
def report_save_draft(*, report: SelfCheckReport, draft: dict, actor) -> SelfCheckReport:
    report = SelfCheckReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_editable:
        raise SelfCheckError(str(NOT_EDITABLE))
    items = form_items(officer=report.officer, campaign=report.campaign)
    too_long = [m for ms in draft_limit_errors(draft, items).values() for m in ms]
    if too_long:  # refuse rather than keep a shortened text the officer never saw
        raise SelfCheckError([DRAFT_NOT_SAVED % {"reason": m} for m in too_long])
    report.draft = draft
    report.draft_saved_at = timezone.now()
    report.full_clean()
    report.save(update_fields=["draft", "draft_saved_at"])
    audit_record(
        actor=actor, action="selfcheck.report.draft_saved", verb=AuditVerb.CHANGE, target=report
    )
    return report


def _snapshot(draft: dict, items: list[Item]) -> dict:
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


def in_window(*, campaign: Campaign, officer: Officer, when: dt.datetime) -> bool:
    day = timezone.localdate(when)
    return campaign.selfcheck_start <= day <= campaign.deadline_for(officer)


@transaction.atomic
def report_submit(
    *, report: SelfCheckReport, draft: dict, actor, now: dt.datetime | None = None
) -> ReportVersion:
    """Validate and freeze the draft into a new version (never overwriting an earlier one)."""
    report = (
        SelfCheckReport.objects.select_for_update()
        .select_related("officer__unit", "campaign")
        .get(pk=report.pk)
    )
    if not report.is_editable:
        raise SelfCheckError(str(NOT_EDITABLE))
    now = now or timezone.now()
    items = form_items(officer=report.officer, campaign=report.campaign)
    errors = draft_errors(draft, items, today=timezone.localdate(now))
    if errors:
        raise SelfCheckError([m for ms in errors.values() for m in ms])
    content = _snapshot(draft, items)
    number = report.versions.count() + 1
    window = in_window(campaign=report.campaign, officer=report.officer, when=now)
    version = ReportVersion(
        report=report,
        number=number,
        submitted_at=now,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        content=content,
        content_hash=content_hash(content),
        deadline=report.campaign.deadline_for(report.officer),
        in_window=window,
    )
    version.full_clean()
    version.save()
    for pos, it in enumerate(content["items"], start=1):
        VersionAnswer.objects.create(
            version=version,
            key=it["key"],
            position=pos,
            label=it["label"][:300],
            kind=it["kind"],
            yes=it["yes"],
            details=it["details"],
            date=_parse_date(it["date"]),
        )
    for pos, row in enumerate(content["business"], start=1):
        obj = BusinessRow(version=version, position=pos, **row)
        obj.full_clean(exclude=["version"])
        obj.save()
    for pos, row in enumerate(content["lending"], start=1):
        LendingRow.objects.create(
            version=version,
            position=pos,
            counterparty=row["counterparty"],
            amount=_parse_amount(row.get("amount", "")),
            date=_parse_date(row.get("date", "")),
            duty_relation=row.get("duty_relation", ""),
        )
    report.status = ReportStatus.SUBMITTED
    report.latest_version = version
    report.last_submitted_at = now
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        report.first_in_window = window
    report.draft = draft
    report.full_clean(exclude=["latest_version"])  # just created above, in this transaction
    report.save()
    audit_record(
        actor=actor,
        action="selfcheck.report.submitted",
        verb=AuditVerb.CHANGE,
        target=report,
        data={"version": number, "hash": version.content_hash, "in_window": window},
    )
    return version


def _review(*, report: SelfCheckReport, actor, decision: str, reason: str) -> SelfCheckReport:
    report = SelfCheckReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED or report.latest_version_id is None:
        raise SelfCheckError(str(REVIEW_NOT_SUBMITTED))
    reason = (reason or "").strip()
    if decision == ReviewDecision.RETURN and not reason:
        raise SelfCheckError(str(RETURN_NEEDS_REASON))
    _refuse_too_long(reason, RETURN_REASON_MAX, _("退回原因"))
    action = ReviewAction(
        report=report,
        version_id=report.latest_version_id,
        decision=decision,
        reason=reason,
        actor=actor,
    )
    action.full_clean()
    action.save()
    report.status = (
        ReportStatus.ACCEPTED if decision == ReviewDecision.ACCEPT else ReportStatus.RETURNED
    )
    report.return_reason = reason if decision == ReviewDecision.RETURN else ""
    report.reviewed_at = action.at
    report.reviewed_by = actor
    report.save(update_fields=["status", "return_reason", "reviewed_at", "reviewed_by"])
    audit_record(
        actor=actor,
        action=f"selfcheck.report.{'accepted' if decision == ReviewDecision.ACCEPT else 'returned'}",
        verb=AuditVerb.CHANGE,
        target=report,
        data={"version_id": report.latest_version_id, "reason": reason},
    )
    owner = report.officer.user if report.officer.user_id else None
    if owner is not None:
        text = (
            _("您的自查事项报告已审核通过")
            if decision == ReviewDecision.ACCEPT
            else _("您的自查事项报告被退回补充：%(r)s") % {"r": reason[:200]}
        )
        notice_send(user=owner, text=text, url=reverse("selfcheck:my_report"))
    return report


@transaction.atomic
def report_accept(*, report: SelfCheckReport, actor) -> SelfCheckReport:
    return _review(report=report, actor=actor, decision=ReviewDecision.ACCEPT, reason="")


@transaction.atomic
def report_return(*, report: SelfCheckReport, actor, reason: str) -> SelfCheckReport:
    return _review(report=report, actor=actor, decision=ReviewDecision.RETURN, reason=reason)


def report_record_read(*, report: SelfCheckReport, actor, request=None, what: str = "report"):
    """Reads by anyone other than the owner are audited."""
    if report.officer.user_id != getattr(actor, "pk", None):
        audit_record(
            actor=actor,
            action=f"selfcheck.{what}.read",
            verb=AuditVerb.READ,
            target=report,
            request=request,
        )


# --- diff ---------------------------------------------------------------------------------


@dataclass
class DiffResult:
    items: list[dict] = field(default_factory=list)  # {number,label,state,a,b}
    business_added: list[dict] = field(default_factory=list)
    business_removed: list[dict] = field(default_factory=list)
    business_changed: list[dict] = field(default_factory=list)  # {"a": row, "b": row, "fields"}
    lending_added: list[dict] = field(default_factory=list)
    lending_removed: list[dict] = field(default_factory=list)
    lending_changed: list[dict] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return any(i["state"] != "same" for i in self.items) or any(
            (
                self.business_added,
                self.business_removed,
                self.business_changed,
                self.lending_added,
                self.lending_removed,
                self.lending_changed,
            )
        )


def _rows_diff(a: list[dict], b: list[dict], identity: tuple[str, ...]):
    """Rows only in b (added), only in a (removed), and rows with the same identity
    (e.g. same person and enterprise) whose other fields differ (changed)."""

    def ident(r):
        return tuple(r.get(k, "") for k in identity)

    left = {ident(r): r for r in a}
    right = {ident(r): r for r in b}
    added = [r for k, r in right.items() if k not in left]
    removed = [r for k, r in left.items() if k not in right]
    changed = []
    for k, rb in right.items():
        ra = left.get(k)
        if ra is not None and ra != rb:
            fields = [f for f in sorted(set(ra) | set(rb)) if ra.get(f) != rb.get(f)]
            changed.append({"a": ra, "b": rb, "fields": fields})
    return added, removed, changed


def versions_diff(a: ReportVersion, b: ReportVersion) -> DiffResult:
    """What changed from version `a` to version `b` (added / removed / changed)."""
    result = DiffResult()
    items_a = {i["key"]: i for i in a.content.get("items", [])}
    items_b = {i["key"]: i for i in b.content.get("items", [])}
    order = list(items_b) + [k for k in items_a if k not in items_b]
    for k in order:
        ia, ib = items_a.get(k), items_b.get(k)
        if ia is None:
            state = "added"
        elif ib is None:
            state = "removed"
        elif (ia["yes"], ia["details"], ia["date"]) != (ib["yes"], ib["details"], ib["date"]):
            state = "changed"
        else:
            state = "same"
        base = ib or ia
        result.items.append(
            {"number": base["number"], "label": base["label"], "state": state, "a": ia, "b": ib}
        )
    result.business_added, result.business_removed, result.business_changed = _rows_diff(
        a.content.get("business", []),
        b.content.get("business", []),
        ("relation", "name", "enterprise"),
    )
    result.lending_added, result.lending_removed, result.lending_changed = _rows_diff(
        a.content.get("lending", []), b.content.get("lending", []), ("counterparty", "date")
    )
    return result


# --- notices and reminders ----------------------------------------------------------------


def notice_send(*, user, text: str, url: str = "", dedupe_key: str = "", email: bool = False):
    """An in-app notice (and an email when asked and the account has an address)."""
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                user=user, text=text[:300], url=url, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return None  # already sent (idempotent reminders)
    if email and user.email:
        link = url
        transaction.on_commit(
            lambda: send_mail(
                subject=_("查纠整改工作平台提醒"),
                message=f"{text}\n{link}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
                fail_silently=True,
            )
        )
    return notice


@dataclass
class ReminderResult:
    """What one round of reminders did: a user is told all three, not only `sent`."""

    sent: int = 0  # notified now
    already: int = 0  # not submitted, but already reminded today (idempotent per day)
    no_account: int = 0  # not submitted and without a login: nobody to notify

    @property
    def pending(self) -> int:
        return self.sent + self.already + self.no_account


def reminders_send(
    *, campaign: Campaign, officers, actor, today: dt.date | None = None
) -> ReminderResult:
    """Remind every officer in `officers` (a scoped queryset) who has not submitted.

    Idempotent per day: the notice's dedupe key holds the date.
    """
    today = today or timezone.localdate()
    submitted = SelfCheckReport.objects.filter(
        campaign=campaign, first_submitted_at__isnull=False
    ).values("officer_id")
    pending = officers.filter(is_active=True).exclude(pk__in=submitted)
    targets = pending.filter(user__isnull=False).select_related("user")
    result = ReminderResult(no_account=pending.filter(user__isnull=True).count())
    url = reverse("selfcheck:my_report")
    for officer in targets.iterator(chunk_size=500):
        deadline = campaign.deadline_for(officer)
        text = _("请于%(d)s前填报并提交自查事项报告表（自查从宽、被查从严）") % {"d": deadline}
        if notice_send(
            user=officer.user,
            text=text,
            url=url,
            dedupe_key=f"remind-{campaign.pk}-{today.isoformat()}",
            email=True,
        ):
            result.sent += 1
        else:
            result.already += 1
    audit_record(
        actor=actor,
        action="selfcheck.report.reminded",
        verb=AuditVerb.OTHER,
        object_type="rectify.campaign",
        object_id=campaign.pk,
        data={"sent": result.sent, "already": result.already, "no_account": result.no_account},
    )
    return result


def reminders_message(result: ReminderResult) -> str:
    """The sentence shown after 一键提醒: who was reminded now and who had been today."""
    if not result.pending:
        return str(_("本范围内的干警均已提交，无需提醒。"))
    parts = [_("已向%(n)s名未提交的干警发送提醒") % {"n": result.sent}]
    if result.already:
        parts.append(_("另有%(n)s名今日已提醒过，不重复发送") % {"n": result.already})
    if result.no_account:
        parts.append(_("%(n)s名未开通账号，无法在线提醒") % {"n": result.no_account})
    return "；".join(str(p) for p in parts) + "。"


REMIND_DAYS_BEFORE = 3


def reminders_due(*, today: dt.date | None = None) -> int:
    """Daily: remind officers of the current campaign whose own deadline is at most
    REMIND_DAYS_BEFORE days away (cadres earlier, S3) and who have not submitted yet.
    Idempotent per day. Shared by the Celery task and `manage.py selfcheck_remind`."""
    campaign = Campaign.current()
    if campaign is None:
        return 0
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=REMIND_DAYS_BEFORE)
    officers = Officer.objects.none()
    if today <= campaign.cadre_deadline <= horizon:
        officers = officers | Officer.objects.filter(is_leading_cadre=True)
    if today <= campaign.selfcheck_deadline <= horizon:
        officers = officers | Officer.objects.filter(is_leading_cadre=False)
    return reminders_send(campaign=campaign, officers=officers, actor=None, today=today).sent


@transaction.atomic
def notices_mark_read(*, user) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


# --- questions (S6) -----------------------------------------------------------------------


@transaction.atomic
def question_ask(*, report: SelfCheckReport, text: str, actor) -> Question:
    text = (text or "").strip()
    if not text:
        raise SelfCheckError(_("请填写问题内容"))
    _refuse_too_long(text, QUESTION_MAX, _("咨询问题"))
    question = Question(report=report, text=text)
    question.full_clean()
    question.save()
    audit_record(
        actor=actor, action="selfcheck.question.asked", verb=AuditVerb.CREATE, target=question
    )
    return question


@transaction.atomic
def question_answer(*, question: Question, text: str, actor) -> Question:
    text = (text or "").strip()
    if not text:
        raise SelfCheckError(_("请填写答复内容"))
    _refuse_too_long(text, QUESTION_MAX, _("答复"))
    question.answer = text
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.full_clean()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(
        actor=actor, action="selfcheck.question.answered", verb=AuditVerb.CHANGE, target=question
    )
    owner = question.report.officer.user
    if owner is not None:
        notice_send(
            user=owner,
            text=_("您关于自查事项报告的咨询已答复"),
            url=reverse("selfcheck:my_report") + "#questions",
        )
    return question


# --- N items configuration ----------------------------------------------------------------


@transaction.atomic
def item_config_create(
    *, campaign: Campaign, unit: Unit, text: str, help_text: str, kind: str, order: int, actor
) -> ItemConfig:
    cfg = ItemConfig(
        campaign=campaign,
        unit=unit,
        text=text,
        help_text=help_text,
        kind=kind,
        order=order,
        created_by=actor,
    )
    cfg.full_clean()
    cfg.save()
    audit_record(actor=actor, action="selfcheck.item.created", verb=AuditVerb.CREATE, target=cfg)
    return cfg


@transaction.atomic
def item_config_update(*, item: ItemConfig, actor, **changes) -> ItemConfig:
    for name, value in changes.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="selfcheck.item.changed",
        verb=AuditVerb.CHANGE,
        target=item,
        data={k: str(v) for k, v in changes.items()},
    )
    return item


# --- talks (S1) ---------------------------------------------------------------------------


def talk_triggers_ensure() -> None:
    """The default "six must-talk" triggers, editable afterwards in the admin."""
    for order, (code, name) in enumerate(DEFAULT_TALK_TRIGGERS, start=1):
        TalkTrigger.objects.get_or_create(code=code, defaults={"name": name, "order": order})


TALK_DATE_FUTURE = _("谈话日期不能晚于今天")
TALK_CORRECTION_NEEDS_REASON = _("更正谈话记录必须填写更正原因")
TALK_CORRECTION_NO_CHANGE = _("没有修改任何内容，无需更正")


def _talk_date_checked(talked_on: dt.date) -> dt.date:
    # A talk is recorded after it took place; a future date would count in coverage.
    if talked_on > timezone.localdate():
        raise SelfCheckError(str(TALK_DATE_FUTURE))
    return talked_on


@transaction.atomic
def talk_record(
    *,
    campaign: Campaign,
    officer: Officer,
    talker: Officer,
    talked_on: dt.date,
    trigger: TalkTrigger,
    points: str,
    follow_up: str = "",
    actor,
) -> Talk:
    """Record a heart-to-heart talk. The caller has checked that both officers are in the
    actor's scope (access.talk_officers_visible_to / officers_visible_to)."""
    talk = Talk(
        campaign=campaign,
        officer=officer,
        talker=talker,
        talked_on=_talk_date_checked(talked_on),
        trigger=trigger,
        points=points,
        follow_up=follow_up,
        recorded_by=actor,
    )
    talk.full_clean()
    talk.save()
    audit_record(actor=actor, action="selfcheck.talk.recorded", verb=AuditVerb.CREATE, target=talk)
    return talk


def _talk_shown(name: str, value) -> str:
    """A field's value as users read it (kept in the correction history)."""
    if value is None:
        return ""
    if name in ("officer", "talker"):
        return f"{value.name}（{value.number}）"
    if name == "talked_on":
        return value.isoformat()
    return str(value)


TALK_CORRECTABLE = ("officer", "talker", "talked_on", "trigger", "points", "follow_up")


@transaction.atomic
def talk_correct(*, talk: Talk, actor, reason: str, **changes) -> Talk:
    """Correct a talk record with a reason; old and new values are kept (TalkCorrection)
    and audited. `changes` holds new values of TALK_CORRECTABLE fields; unchanged ones are
    ignored. The caller has checked the talk and new officers are in the actor's scope."""
    talk = (
        # lock the talk row only: PostgreSQL refuses FOR UPDATE on the nullable talker join
        Talk.objects.select_for_update(of=("self",))
        .select_related("officer", "talker", "trigger")
        .get(pk=talk.pk)
    )
    reason = (reason or "").strip()
    if not reason:
        raise SelfCheckError(str(TALK_CORRECTION_NEEDS_REASON))
    diff: dict[str, dict[str, str]] = {}
    for name in TALK_CORRECTABLE:
        if name not in changes:
            continue
        new = changes[name]
        old = getattr(talk, name)
        if old == new:
            continue
        if name == "talked_on":
            _talk_date_checked(new)
        # a record from before talkers were officers shows its typed name
        legacy = name == "talker" and old is None
        diff[str(Talk._meta.get_field(name).verbose_name)] = {
            "old": talk.talker_name if legacy else _talk_shown(name, old),
            "new": _talk_shown(name, new),
        }
        setattr(talk, name, new)
    if not diff:
        raise SelfCheckError(str(TALK_CORRECTION_NO_CHANGE))
    if talk.talker_id:
        talk.talker_name = ""
    talk.full_clean()
    talk.save()
    correction = TalkCorrection(talk=talk, reason=reason, changes=diff, corrected_by=actor)
    correction.full_clean()
    correction.save()
    audit_record(
        actor=actor,
        action="selfcheck.talk.corrected",
        verb=AuditVerb.CHANGE,
        target=talk,
        data={"reason": reason, "changes": diff},
    )
    return talk


# --- warning cases (S2 / O6) --------------------------------------------------------------

CASE_NOT_PENDING = _("只有待审批的案例可以审批")
CASE_NOT_PUBLISHED = _("案例尚未发布")


@transaction.atomic
def warning_case_create(
    *, unit: Unit, title: str, body: str, lesson: str, category: str, actor
) -> WarningCase:
    """Office staff draft a case; it goes straight to the leader's approval queue."""
    case = WarningCase(
        unit=unit,
        title=title,
        body=body,
        lesson=lesson,
        category=category,
        status=CaseStatus.PENDING,
        created_by=actor,
    )
    case.full_clean()
    case.save()
    audit_record(actor=actor, action="selfcheck.case.created", verb=AuditVerb.CREATE, target=case)
    return case


@transaction.atomic
def warning_case_decide(*, case: WarningCase, approve: bool, actor, note: str = "") -> WarningCase:
    case = WarningCase.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.PENDING:
        raise SelfCheckError(str(CASE_NOT_PENDING))
    case.status = CaseStatus.PUBLISHED if approve else CaseStatus.REJECTED
    case.decided_by = actor
    case.decided_at = timezone.now()
    note = (note or "").strip()
    _refuse_too_long(note, CASE_NOTE_MAX, _("审批意见"))
    case.decision_note = note
    case.full_clean()
    case.save()
    audit_record(
        actor=actor,
        action=f"selfcheck.case.{'approved' if approve else 'rejected'}",
        verb=AuditVerb.CHANGE,
        target=case,
    )
    return case


@transaction.atomic
def warning_case_confirm_read(*, case: WarningCase, officer: Officer, actor) -> CaseRead:
    if case.status != CaseStatus.PUBLISHED:
        raise SelfCheckError(str(CASE_NOT_PUBLISHED))
    read, created = CaseRead.objects.get_or_create(case=case, officer=officer)
    if created:
        audit_record(
            actor=actor, action="selfcheck.case.read_confirmed", verb=AuditVerb.CREATE, target=case
        )
    return read
