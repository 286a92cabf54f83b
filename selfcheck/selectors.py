"""Reads of the self-check app: the review queue, figures, and the API the leads app uses.

Every user-facing read starts from a scoping function in rectify/access.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, When
from django.utils import timezone

from rectify.models import Campaign, ChronicProblem, Officer, Unit

from .models import (
    BusinessRow,
    ItemConfig,
    LendingRow,
    ReportStatus,
    ReportVersion,
    SelfCheckReport,
    VersionAnswer,
)

# --- late flag (S3: cadres' earlier deadline enforced) ------------------------------------


def late_q(campaign: Campaign, today: dt.date | None = None, prefix: str = "") -> Q:
    """Reports that are late: first submitted outside the window, or not submitted and past
    the deadline that applies to the officer (cadre_deadline for leading cadres)."""
    today = today or timezone.localdate()
    q = Q(**{f"{prefix}first_in_window": False})
    unsubmitted = Q(**{f"{prefix}first_submitted_at__isnull": True})
    if today > campaign.cadre_deadline:
        q |= unsubmitted & Q(**{f"{prefix}officer__is_leading_cadre": True})
    if today > campaign.selfcheck_deadline:
        q |= unsubmitted
    return q


def report_is_late(report: SelfCheckReport, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if report.first_submitted_at is not None:
        return report.first_in_window is False
    return today > report.campaign.deadline_for(report.officer)


# --- the "N" items that apply below a unit -------------------------------------------------


def _n_items_q(paths: list[str]) -> Q:
    """Items that apply to some officer below one of `paths`: configured on a unit inside
    the subtree, or on one of its ancestors (items are inherited down the tree)."""
    q = Q(pk__in=[])
    for path in paths:
        step = Unit.steplen
        ancestors = [path[:i] for i in range(step, len(path) + 1, step)]
        q |= Q(unit__path__startswith=path) | Q(unit__path__in=ancestors)
    return q


def n_items_for(*, campaign: Campaign, paths: list[str]) -> list[ItemConfig]:
    """The N items answered by officers below `paths` (retired ones too: submitted
    versions still carry their answers), the way the form orders them (ancestors first)."""
    return list(
        ItemConfig.objects.filter(_n_items_q(paths), campaign=campaign)
        .select_related("unit")
        .order_by("unit__depth", "unit__path", "order", "id")
    )


def item_columns(n_items: list[ItemConfig]) -> list[tuple[str, str]]:
    """(key, short label) for the six fixed items and then the N items, in that order:
    the one column list of the queue filter, the figures and both exports."""
    fixed = [(str(v), f"第{i}项") for i, v in enumerate(ChronicProblem.values, start=1)]
    return fixed + [(cfg.key, f"N项：{cfg.text}") for cfg in n_items]


# --- the review queue ---------------------------------------------------------------------


@dataclass
class QueueFilters:
    status: str = ""
    unit: Unit | None = None
    cadre: str = ""  # "1" cadres only, "0" others
    yes_item: str = ""  # a ChronicProblem value or n<id>
    late: bool = False
    q: str = ""


def review_queue(*, reports: QuerySet, campaign: Campaign, filters: QueueFilters) -> QuerySet:
    """`reports` comes from access.selfchecks_visible_to(user)."""
    qs = reports.filter(campaign=campaign)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.unit is not None:
        qs = qs.filter(officer__unit__path__startswith=filters.unit.path)
    if filters.cadre == "1":
        qs = qs.filter(officer__is_leading_cadre=True)
    elif filters.cadre == "0":
        qs = qs.filter(officer__is_leading_cadre=False)
    if filters.yes_item:
        qs = qs.filter(
            Exists(
                VersionAnswer.objects.filter(
                    version_id=OuterRef("latest_version_id"), key=filters.yes_item, yes=True
                )
            )
        )
    if filters.late:
        qs = qs.filter(late_q(campaign))
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(Q(officer__name__contains=term) | Q(officer__number__startswith=term))
    return qs.select_related("officer__unit", "latest_version")


# --- figures ------------------------------------------------------------------------------


@dataclass
class Figures:
    unit: Unit
    required: int = 0
    submitted: int = 0
    accepted: int = 0
    returned: int = 0
    late: int = 0
    cadre_required: int = 0
    cadre_submitted: int = 0
    cadre_accepted: int = 0
    cadre_returned: int = 0
    cadre_late: int = 0
    yes_per_item: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def pct(part: int, whole: int) -> int:
        return round(100 * part / whole) if whole else 0

    @property
    def completion(self) -> int:
        return self.pct(self.submitted, self.required)

    @property
    def cadre_completion(self) -> int:
        return self.pct(self.cadre_submitted, self.cadre_required)


def _officer_counts(officers: QuerySet, campaign: Campaign, today: dt.date) -> dict:
    rep = SelfCheckReport.objects.filter(campaign=campaign, officer_id=OuterRef("pk"))
    submitted = Q(Exists(rep.filter(first_submitted_at__isnull=False)))
    accepted = Q(Exists(rep.filter(status=ReportStatus.ACCEPTED)))
    returned = Q(Exists(rep.filter(status=ReportStatus.RETURNED)))
    late_in = Q(Exists(rep.filter(first_in_window=False)))
    late = late_in
    if today > campaign.cadre_deadline:
        late |= ~submitted & Q(is_leading_cadre=True)
    if today > campaign.selfcheck_deadline:
        late |= ~submitted
    cadre = Q(is_leading_cadre=True)
    return officers.aggregate(
        required=Count("pk"),
        submitted=Count("pk", filter=submitted),
        accepted=Count("pk", filter=accepted),
        returned=Count("pk", filter=returned),
        late=Count("pk", filter=late),
        cadre_required=Count("pk", filter=cadre),
        cadre_submitted=Count("pk", filter=cadre & submitted),
        cadre_accepted=Count("pk", filter=cadre & accepted),
        cadre_returned=Count("pk", filter=cadre & returned),
        cadre_late=Count("pk", filter=cadre & late),
    )


def unit_figures(*, unit: Unit, campaign: Campaign, today: dt.date | None = None) -> Figures:
    """Completion of the unit's subtree; cadres separately (S3); yes-declarations per item."""
    today = today or timezone.localdate()
    officers = Officer.objects.filter(unit__path__startswith=unit.path, is_active=True)
    figures = Figures(unit=unit, **_officer_counts(officers, campaign, today))
    yes = (
        VersionAnswer.objects.filter(
            yes=True,
            version_id__in=SelfCheckReport.objects.filter(
                campaign=campaign, officer__unit__path__startswith=unit.path
            ).values("latest_version_id"),
        )
        .values("key")
        .annotate(n=Count("id"))
    )
    figures.yes_per_item = {row["key"]: row["n"] for row in yes}
    return figures


def child_figures(*, unit: Unit, campaign: Campaign) -> list[Figures]:
    """Figures for each child unit (drill-down); one aggregate per child."""
    children = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by(
        "path"
    )
    return [unit_figures(unit=child, campaign=campaign) for child in children]


# --- export -------------------------------------------------------------------------------


def export_headers(columns: list[tuple[str, str]]) -> list[str]:
    return [
        "单位",
        "警号/工号",
        "姓名",
        "职务",
        "领导干部",
        "状态",
        "版本",
        "最近提交",
        "逾期",
        *[label for _key, label in columns],
        "经商办企业行数",
        "参股借贷行数",
        "退回原因",
    ]


def export_rows(
    *,
    reports: QuerySet,
    campaign: Campaign,
    columns: list[tuple[str, str]],
    content_q: Q | None = None,
):
    """Rows for the Excel summary, streamed (iterator, constant memory, no query per row).

    `content_q` marks the reports whose answers the exporter may read (need to know); the
    other rows carry the officer and the status only. None means every row."""
    today = timezone.localdate()
    keys = [key for key, _label in columns]
    qs = reports.filter(campaign=campaign)
    if content_q is not None:
        qs = qs.annotate(
            content_visible=Case(
                When(content_q, then=True), default=False, output_field=BooleanField()
            )
        )
    qs = qs.select_related("officer__unit", "latest_version").order_by(
        "officer__unit__path", "-officer__is_leading_cadre", "officer__number"
    )
    for report in qs.iterator(chunk_size=1000):
        officer_row = [
            report.officer.unit.name,
            report.officer.number,
            report.officer.name,
            report.officer.position,
            "是" if report.officer.is_leading_cadre else "否",
            report.get_status_display(),
            report.latest_version.number if report.latest_version else "",
            timezone.localtime(report.last_submitted_at).strftime("%Y-%m-%d %H:%M")
            if report.last_submitted_at
            else "",
            "是" if report_is_late(report, today) else "否",
        ]
        if content_q is not None and not report.content_visible:
            yield [*officer_row, *[""] * len(keys), "", "", ""]
            continue
        content = report.latest_version.content if report.latest_version else {}
        yes_map = {i["key"]: i.get("yes") for i in content.get("items", [])}
        yield [
            *officer_row,
            *[
                "是" if yes_map.get(k) is True else "否" if yes_map.get(k) is False else ""
                for k in keys
            ],
            len(content.get("business", [])),
            len(content.get("lending", [])),
            report.return_reason,
        ]


def figures_headers(columns: list[tuple[str, str]]) -> list[str]:
    return [
        "单位",
        "领导干部应填报",
        "领导干部已提交",
        "领导干部审核通过",
        "领导干部退回",
        "领导干部逾期",
        "应填报",
        "已提交",
        "审核通过",
        "退回",
        "逾期",
        "完成率",
        *[f"{label}申报“是”" for _key, label in columns],
    ]


def figures_rows(figures: list[Figures], columns: list[tuple[str, str]]):
    for f in figures:
        yield [
            f.unit.name,
            f.cadre_required,
            f.cadre_submitted,
            f.cadre_accepted,
            f.cadre_returned,
            f.cadre_late,
            f.required,
            f.submitted,
            f.accepted,
            f.returned,
            f.late,
            f"{f.completion}%",
            *[f.yes_per_item.get(key, 0) for key, _label in columns],
        ]


# --- API for the leads app (CONTRACTS.md "selfcheck → leads API") -------------------------


def declarations_before(*, officer_ids, before: dt.datetime) -> dict[int, dict[str, dt.datetime]]:
    """{officer id: {ChronicProblem value: submitted_at of the earliest in-window version that
    declared "yes" on it, before `before`}}. One query whatever the number of officers.

    `in_window` was fixed at submission from the deadline that applied to the officer then
    (selfcheck_start <= date <= Campaign.deadline_for(officer)).
    """
    rows = (
        VersionAnswer.objects.filter(
            yes=True,
            key__in=ChronicProblem.values,
            version__in_window=True,
            version__submitted_at__lt=before,
            version__report__officer_id__in=list(officer_ids),
        )
        .values_list("version__report__officer_id", "key", "version__submitted_at")
        .order_by("version__submitted_at")
    )
    result: dict[int, dict[str, dt.datetime]] = {}
    for officer_id, key, submitted_at in rows:
        result.setdefault(officer_id, {}).setdefault(key, submitted_at)
    return result


def declared_before_day(*, officer_id, key, day) -> Exists:
    """A SQL condition: the officer declared "yes" on `key` in a version submitted inside
    the window and before `day` (in the project's time zone). The arguments may be
    expressions (OuterRef), so a whole ledger is counted in one query (leads' L12 figure)."""
    return Exists(
        VersionAnswer.objects.filter(
            yes=True,
            key=key,
            version__in_window=True,
            version__report__officer_id=officer_id,
            version__submitted_at__date__lt=day,
        )
    )


def officer_ids_with_any_declaration(*, campaign: Campaign | None = None) -> QuerySet:
    """Officer ids whose latest submitted version declares at least one "yes"."""
    reports = SelfCheckReport.objects.filter(latest_version__isnull=False)
    if campaign is not None:
        reports = reports.filter(campaign=campaign)
    return (
        reports.filter(
            Exists(VersionAnswer.objects.filter(version_id=OuterRef("latest_version_id"), yes=True))
        )
        .values_list("officer_id", flat=True)
        .distinct()
    )


def declared_ties(*, officer: Officer) -> dict[str, str]:
    """{declared name: kind} of the officer's latest submitted version, kind being
    "relative" (a relative's name), "enterprise" or "counterparty" (lending); the conflict
    hint says the kind to users who may not read the declaration."""
    latest = (
        ReportVersion.objects.filter(report__officer=officer)
        .order_by("-submitted_at", "-id")
        .values_list("id", flat=True)
        .first()
    )
    if latest is None:
        return {}
    ties: dict[str, str] = {}
    for name, enterprise in BusinessRow.objects.filter(version_id=latest).values_list(
        "name", "enterprise"
    ):
        if name:
            ties.setdefault(name, "relative")
        if enterprise:
            ties.setdefault(enterprise, "enterprise")
    for counterparty in LendingRow.objects.filter(version_id=latest).values_list(
        "counterparty", flat=True
    ):
        if counterparty:
            ties.setdefault(counterparty, "counterparty")
    ties.pop(officer.name, None)
    return ties


def declared_names(*, officer: Officer) -> set[str]:
    """Relatives' names, enterprise names and counterparties of the officer's latest submitted
    version (for conflict warnings when assigning a lead handler)."""
    return set(declared_ties(officer=officer))


def report_versions(report: SelfCheckReport) -> QuerySet:
    return report.versions.order_by("-number")


def unreviewed_count(reports: QuerySet, campaign: Campaign) -> int:
    return reports.filter(campaign=campaign, status=ReportStatus.SUBMITTED).count()


# --- talks (S1) and warning-case reading (S2) coverage --------------------------------------


def _pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _unit_and_children(root: Unit) -> list[Unit]:
    children = Unit.objects.filter(path__startswith=root.path, depth=root.depth + 1)
    return [root, *children.order_by("path")]


COVERAGE_MAX_UNITS = 2000


def talk_coverage(*, roots: list[str], talks: QuerySet, campaign: Campaign) -> dict:
    """Per unit of the whole tree below each scope root: officers (of the unit's subtree)
    talked with / officers; per trigger: talks and people. `talks` comes from
    access.talks_visible_to(user). Talks dated after today do not count.

    Three queries whatever the size of the tree: units, officers per unit, officers talked
    with per unit; subtree totals are summed up the paths in Python."""
    from .models import Talk, TalkTrigger

    today = timezone.localdate()
    held = Talk.objects.filter(campaign=campaign, talked_on__lte=today)
    in_roots = Q(pk__in=[])
    for root in roots:
        in_roots |= Q(path__startswith=root)
    units = list(Unit.objects.filter(in_roots).order_by("path")[:COVERAGE_MAX_UNITS])
    own_total: dict[str, int] = {}
    own_talked: dict[str, int] = {}
    if units:
        officers = Officer.objects.filter(is_active=True, unit__in=[u.pk for u in units]).values(
            "unit__path"
        )
        for row in officers.annotate(n=Count("pk")):
            own_total[row["unit__path"]] = row["n"]
        talked = officers.filter(pk__in=held.values("officer_id"))
        for row in talked.annotate(n=Count("pk")):
            own_talked[row["unit__path"]] = row["n"]
    total = dict.fromkeys((u.path for u in units), 0)
    talked_n = dict.fromkeys(total, 0)
    step = Unit.steplen
    for path, n in own_total.items():
        for i in range(step, len(path) + 1, step):
            if path[:i] in total:
                total[path[:i]] += n
                talked_n[path[:i]] += own_talked.get(path, 0)
    top = min((u.depth for u in units), default=0)
    per_unit = [
        {
            "unit": u,
            "level": u.depth - top,
            "total": total[u.path],
            "talked": talked_n[u.path],
            "pct": _pct(talked_n[u.path], total[u.path]),
        }
        for u in units
    ]
    stats = {
        row["trigger"]: row
        for row in talks.filter(campaign=campaign, talked_on__lte=today)
        .values("trigger")
        .annotate(n=Count("id"), people=Count("officer", distinct=True))
    }
    per_trigger = [
        {
            "trigger": t,
            "n": stats.get(t.pk, {}).get("n", 0),
            "people": stats.get(t.pk, {}).get("people", 0),
        }
        for t in TalkTrigger.objects.filter(is_active=True)
    ]
    return {"per_unit": per_unit, "per_trigger": per_trigger}


def talk_corrections(talk) -> QuerySet:
    return talk.corrections.select_related("corrected_by").order_by("-corrected_at", "-id")


def case_read_coverage(case) -> list[dict]:
    """Officers who confirmed reading / officers, for the case's unit and its children."""
    from .models import CaseRead

    rows = []
    for unit in _unit_and_children(case.unit):
        officers = Officer.objects.filter(unit__path__startswith=unit.path, is_active=True)
        total = officers.count()
        read = CaseRead.objects.filter(case=case, officer__in=officers).count()
        rows.append({"unit": unit, "total": total, "read": read, "pct": _pct(read, total)})
    return rows
