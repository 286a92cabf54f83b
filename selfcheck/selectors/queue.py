"""The review queue, the late flag, the N item columns and the report summary export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, When
from django.utils import timezone

from rectify.models import Campaign, ChronicProblem, Officer, Unit
from rectify.pagination import Page, keyset_page
from rectify.params import cursor_values, encode_cursor

from ..models import (
    ItemConfig,
    ReportStatus,
    SelfCheckReport,
    VersionAnswer,
)


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


@dataclass
class QueueFilters:
    status: str = ""
    unit: Unit | None = None
    cadre: str = ""  # "1" cadres only, "0" others
    yes_item: str = ""  # a ChronicProblem value or n<id>
    late: bool = False
    q: str = ""


def review_queue(*, reports: QuerySet, campaign: Campaign, filters: QueueFilters) -> QuerySet:
    """`reports` comes from selfcheck.access.selfchecks_visible_to(user)."""
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
    # The draft is never shown: not read (it is the widest column). The latest version is
    # joined (not prefetched: a page without versions would make one query fewer).
    return qs.defer("draft").select_related("officer__unit", "latest_version")


QUEUE_ORDERING = ("-status", "-officer__is_leading_cadre", "-id")
# The queue's groups in page order (S3): submitted, returned, draft, accepted (the status
# descending: s > r > d > a), leading cadres first within each; newest first within a group.
QUEUE_GROUPS = [(s, c) for s in sorted(ReportStatus.values, reverse=True) for c in (True, False)]


def queue_page(qs: QuerySet, *, cursor: str | None, size: int = 50) -> Page:
    """One page of the queue `qs` (from `review_queue`) in QUEUE_ORDERING, `?after=` keyset.

    Sorting the subtree's reports by a column of the officer (cadres first) cannot follow an
    index: a province-wide reviewer's first page sorted all 150,000 reports. On PostgreSQL
    the page is instead the union of one query per (status, cadre) group, each newest first
    along the (campaign, status, id) index and stopped after a page of rows, so a page reads
    at most 8 x 51 rows whatever the scope (the planner still starts from the subtree's units
    when the scope is small); then the page's rows by id. Same order and cursors as
    `keyset_page` over QUEUE_ORDERING, which other databases keep using."""
    if not connection.features.supports_slicing_ordering_in_compound:
        return keyset_page(qs, ordering=QUEUE_ORDERING, cursor=cursor, size=size)
    fields = [
        SelfCheckReport._meta.get_field("status"),
        Officer._meta.get_field("is_leading_cadre"),
        SelfCheckReport._meta.get_field("id"),
    ]
    parsed = cursor_values(cursor, fields)
    start = 0
    if parsed is not None:
        if (parsed[0], parsed[1]) not in QUEUE_GROUPS:
            parsed = None  # garbage: the first page, as keyset_page does
        else:
            start = QUEUE_GROUPS.index((parsed[0], parsed[1]))
    parts = []
    for i, (status, cadre) in enumerate(QUEUE_GROUPS[start:], start=start):
        part = qs.filter(status=status, officer__is_leading_cadre=cadre)
        if parsed is not None and i == start:
            part = part.filter(id__lt=parsed[2])
        parts.append(
            part.order_by("-id").values_list("status", "officer__is_leading_cadre", "id")[
                : size + 1
            ]
        )
    order = {group: i for i, group in enumerate(QUEUE_GROUPS)}
    keys = sorted(parts[0].union(*parts[1:], all=True), key=lambda k: (order[(k[0], k[1])], -k[2]))[
        : size + 1
    ]
    ids = [k[2] for k in keys[:size]]
    by_id = {r.pk: r for r in qs.filter(pk__in=ids or [0]).order_by()}
    rows = [by_id[i] for i in ids if i in by_id]
    next_cursor = encode_cursor(list(keys[size - 1])) if len(keys) > size else None
    return Page(items=rows, next_cursor=next_cursor, has_previous=parsed is not None)


def report_versions(report: SelfCheckReport) -> QuerySet:
    return report.versions.order_by("-number")


def unreviewed_count(reports: QuerySet, campaign: Campaign) -> int:
    return reports.filter(campaign=campaign, status=ReportStatus.SUBMITTED).count()


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
) -> Iterator[list]:
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
