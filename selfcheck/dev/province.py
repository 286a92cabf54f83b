"""The self-check part of `generate_province` (#14): one report per officer of the campaign,
written in bulk but row for row as the services write them (`services.report_submit`,
`report_save_draft`, `report_return` / `report_accept`).

At `p.now` (2026-11-25) the cadres' deadline (11-20) has passed and everyone else's (11-30)
has not: most reports are submitted, some are drafts, some untouched (a report row with an
empty draft, as opening the form leaves it), some returned by the reviewer (a few of them
resubmitted as a second version) and many accepted. Cadres submitted earlier, a few late.
Yes-declarations come at a few percent per chronic problem, with the structured rows of items
2 and 3; police bureaus add an "N" item inherited by their stations.

Submitted content is what `report_submit` freezes: `draft_snapshot` of the draft, its hash,
one `VersionAnswer` per item, `BusinessRow`/`LendingRow` per row; the report keeps the draft,
`latest_version`, first/last submission times and `first_in_window`. Figures are left to
`figures.rebuild`, audit events to the core (over `p.audit_targets`).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import OuterRef, Subquery

from rectify.models import ChronicProblem, Role, RoleAssignment, Unit, UnitKind, User

from ..demo import _business_row, _lending_row
from ..forms.draft import Item, draft_snapshot, fixed_items, n_items
from ..models import (
    AnswerKind,
    BusinessRow,
    ItemConfig,
    LendingRow,
    ReportStatus,
    ReportVersion,
    ReviewAction,
    ReviewDecision,
    SelfCheckReport,
    VersionAnswer,
    content_hash,
)
from ..services import version_rows

if TYPE_CHECKING:
    from rectify.province import Province

CHUNK = 5000
ANALYZED = (
    "rectify_unit",
    "rectify_officer",
    "selfcheck_selfcheckreport",
    "selfcheck_reportversion",
    "selfcheck_versionanswer",
)
# Share of officers declaring "yes" per chronic problem (a few percent each).
YES_RATE = {
    ChronicProblem.INTERFERENCE: 0.04,
    ChronicProblem.BUSINESS: 0.05,
    ChronicProblem.LENDING: 0.03,
    ChronicProblem.SENTENCE: 0.01,
    ChronicProblem.INACTION: 0.02,
    ChronicProblem.BROKER: 0.01,
}
N_ITEM_YES = 0.02
DETAILS = {
    ChronicProblem.INTERFERENCE: "曾应熟人请托打听案件进展，未实际干预，现主动说明。",
    ChronicProblem.BUSINESS: "如实申报亲属经商办企业情况，详见下表。",
    ChronicProblem.LENDING: "存在民间借贷情况，详见下表。",
    ChronicProblem.SENTENCE: "参与办理的一起减刑案件材料审核不严，现主动说明。",
    ChronicProblem.INACTION: "一起治安案件受理后未及时立案，现主动说明。",
    ChronicProblem.BROKER: "与已离任同事有业务往来，曾为其介绍案源，现主动说明。",
}
N_ITEM_TEXT = "是否存在违规使用警车、警械或违规插手经济纠纷的情况"
RETURN_REASONS = [
    "第2项未说明配偶是否经商，请补充后重新提交。",
    "第1项“具体情况”过于简略，请写明时间、案件和经过。",
    "第3项借贷金额与日期不完整，请补充。",
]


def _n_items(p: Province) -> list[ItemConfig]:
    """One "N" item on every police bureau (its stations inherit it), as an office adds it."""
    creator = (
        RoleAssignment.objects.filter(role=Role.OFFICE, unit=p.root).select_related("user").first()
    )
    configs = [
        ItemConfig(
            campaign=p.campaign,
            unit=unit,
            order=10,
            text=N_ITEM_TEXT,
            help_text="结合公安机关岗位实际增加的自查事项（六+N）",
            kind=AnswerKind.YESNO,
            created_by=creator.user if creator else None,
            created_at=dt.datetime.combine(
                p.campaign.selfcheck_start - dt.timedelta(days=3), dt.time(9), tzinfo=p.now.tzinfo
            ),
        )
        for unit in p.units
        if unit.kind == UnitKind.POLICE and unit.level != "subunit"
    ]
    ItemConfig.objects.bulk_create(configs, batch_size=CHUNK)
    return configs


def _items_by_unit(p: Province, configs: list[ItemConfig]) -> dict[int, list[Item]]:
    """`form_items` per unit, computed in Python from the configs just written (same order:
    ancestors first by depth, then order, then id)."""
    by_path = {c.unit.path: c for c in configs}
    out: dict[int, list[Item]] = {}
    for unit in p.units:
        items = fixed_items()
        own = [
            by_path[unit.path[:i]]
            for i in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)
            if unit.path[:i] in by_path
        ]
        own.sort(key=lambda c: (c.unit.depth, c.order, c.pk))
        out[unit.pk] = items + n_items(own, start=len(items) + 1)
    return out


def _draft(rng: random.Random, items: list[Item], when: dt.date, *, yes_scale: float) -> dict:
    answers, business, lending = {}, [], []
    for item in items:
        rate = YES_RATE.get(item.key, N_ITEM_YES) * yes_scale
        yes = rng.random() < rate
        details = ""
        if yes:
            details = DETAILS.get(item.key, "曾违规驾驶警车办理私事，现主动说明。")
            if item.key == ChronicProblem.BUSINESS:
                business = [_business_row(rng) for _ in range(rng.randint(1, 2))]
            elif item.key == ChronicProblem.LENDING:
                lending = [_lending_row(rng, when)]
        answers[item.key] = {"yes": yes, "details": details, "date": ""}
    return {"answers": answers, "business": business, "lending": lending}


def _half(draft: dict, rng: random.Random) -> dict:
    """A draft in progress: the later answers not chosen yet."""
    keys = list(draft["answers"])
    cut = rng.randrange(1, len(keys))
    answers = {
        k: (a if i < cut else {"yes": None, "details": "", "date": ""})
        for i, (k, a) in enumerate(draft["answers"].items())
    }
    return {"answers": answers, "business": [], "lending": []}


def _moment(p: Province, rng: random.Random, start: dt.date, end: dt.date) -> dt.datetime:
    """A working-hours moment between two days, never after p.now; later days likelier
    (most officers submit in the last weeks)."""
    span = max(0, (end - start).days)
    day = start + dt.timedelta(days=round(span * rng.random() ** 0.6))
    return min(p.at(day, rng), p.now - dt.timedelta(minutes=rng.randrange(5, 600)))


def _after(p: Province, rng: random.Random, when: dt.datetime, days: int) -> dt.datetime | None:
    """A moment 2 h to `days` days after `when`, or None when it would fall after p.now."""
    later = when + dt.timedelta(minutes=rng.randrange(120, days * 24 * 60))
    return later if later < p.now else None


def _plan(
    p: Province, rng: random.Random, cadre: bool, draft: dict, opened: dt.datetime, role: str
) -> list[tuple[dt.datetime, dict, tuple | None]]:
    """The submissions of one report: (moment, draft, review or None) per version."""
    campaign = p.campaign
    deadline = campaign.cadre_deadline if cadre else campaign.selfcheck_deadline
    if role == "officer":  # submitted, then returned for supplement: the form is editable
        first = p.at(p.today - dt.timedelta(days=6), rng)
        back = first + dt.timedelta(days=2)
        return [(first, draft, (ReviewDecision.RETURN, back, RETURN_REASONS[0]))]
    if cadre and rng.random() < 0.1:  # late: after the cadres' deadline
        first = _moment(p, rng, deadline + dt.timedelta(days=1), p.today)
    else:
        first = _moment(p, rng, opened.date(), min(p.today, deadline))
        first = max(first, opened)
    fate = rng.random()
    if fate < 0.45:
        return [(first, draft, None)]  # waiting for review
    if fate < 0.55:  # returned for supplement
        back = _after(p, rng, first, 6)
        if back is None:
            return [(first, draft, None)]
        plan = [(first, draft, (ReviewDecision.RETURN, back, rng.choice(RETURN_REASONS)))]
        again = _after(p, rng, back, 4)
        if again is not None and rng.random() < 0.6:  # resubmitted as version 2
            key = ChronicProblem.INTERFERENCE.value
            fixed = {**draft, "answers": dict(draft["answers"])}
            fixed["answers"][key] = {
                **fixed["answers"][key],
                "details": fixed["answers"][key]["details"] or "经核实，无此情况。",
            }
            accept = _after(p, rng, again, 5) if rng.random() < 0.5 else None
            plan.append((again, fixed, (ReviewDecision.ACCEPT, accept, "") if accept else None))
        return plan
    ok = _after(p, rng, first, 8)  # accepted
    return [(first, draft, (ReviewDecision.ACCEPT, ok, "") if ok else None)]


def generate(p: Province) -> dict:
    rng = p.rng("selfcheck")
    campaign = p.campaign
    start = campaign.selfcheck_start
    configs = _n_items(p)
    items_of = _items_by_unit(p, configs)
    reviewer = User.objects.filter(username=p.username("reviewer")).first()
    _root_reviewer(p, reviewer)
    cast = {
        officer_id: username.rsplit("-", 1)[-1]
        for officer_id, username in User.objects.filter(
            username__in=[p.username("officer"), p.username("cadre")]
        ).values_list("officer__pk", "username")
    }
    users = dict(
        User.objects.filter(officer__unit__path__startswith=p.root.path).values_list(
            "officer__pk", "pk"
        )
    )

    reports: list[SelfCheckReport] = []
    plans: list[list[tuple[dt.datetime, dict, tuple | None]]] = []
    for officer_id, unit_id, cadre in p.officer_rows:
        items = items_of[unit_id]
        deadline = campaign.cadre_deadline if cadre else campaign.selfcheck_deadline
        opened = _moment(p, rng, start, min(p.today, deadline) - dt.timedelta(days=1))
        roll = rng.random()
        draft = _draft(rng, items, start, yes_scale=0.8 if cadre else 1.0)
        role = cast.get(officer_id, "")
        # Not started / drafting / submitted (cadres: fewer unsubmitted, their deadline passed).
        not_started, drafting = (0.02, 0.06) if cadre else (0.07, 0.18)
        if role == "officer":
            roll = 1.0
        elif role == "cadre":
            roll = not_started  # a half-filled draft
        report = SelfCheckReport(
            campaign=campaign,
            officer_id=officer_id,
            status=ReportStatus.DRAFT,
            draft={},
            created_at=opened,
        )
        plan: list = []
        if not_started <= roll < drafting:
            report.draft = _half(draft, rng)
            report.draft_saved_at = _after(p, rng, opened, 3) or opened
        elif roll >= drafting:
            plan = _plan(p, rng, cadre, draft, opened, role)
        for number, (when, version_draft, review) in enumerate(plan, start=1):
            if number == 1:
                report.first_submitted_at = when
                report.first_in_window = start <= when.astimezone(p.now.tzinfo).date() <= deadline
            report.last_submitted_at = when
            report.draft = version_draft
            report.status = ReportStatus.SUBMITTED
            report.return_reason = ""
            if review is not None:
                decision, at, reason = review
                accepted = decision == ReviewDecision.ACCEPT
                report.status = ReportStatus.ACCEPTED if accepted else ReportStatus.RETURNED
                report.return_reason = reason
                report.reviewed_at = at
                report.reviewed_by = reviewer
        reports.append(report)
        plans.append(plan)

    for chunk in _chunks(reports):
        SelfCheckReport.objects.bulk_create(chunk)
    p.progress(f"selfcheck: {len(reports):,} reports")

    # The versions, as report_submit freezes them.
    versions: list[ReportVersion] = []
    owners: list[tuple[int, dict, tuple | None]] = []
    for report, plan, (officer_id, unit_id, cadre) in zip(
        reports, plans, p.officer_rows, strict=True
    ):
        items = items_of[unit_id]
        deadline = campaign.cadre_deadline if cadre else campaign.selfcheck_deadline
        for number, (when, draft, review) in enumerate(plan, start=1):
            content = draft_snapshot(draft, items)
            versions.append(
                ReportVersion(
                    report_id=report.pk,
                    number=number,
                    submitted_at=when,
                    submitted_by_id=users.get(officer_id),
                    content=content,
                    content_hash=content_hash(content),
                    deadline=deadline,
                    in_window=start <= when.astimezone(p.now.tzinfo).date() <= deadline,
                )
            )
            owners.append((report.pk, content, review))
    for chunk in _chunks(versions):
        ReportVersion.objects.bulk_create(chunk)
    p.progress(f"selfcheck: {len(versions):,} versions")

    answers: list[VersionAnswer] = []
    business: list[BusinessRow] = []
    lending: list[LendingRow] = []
    reviews: list[ReviewAction] = []
    n_answers = 0
    for version, (report_id, content, review) in zip(versions, owners, strict=True):
        rows = version_rows(version.pk, content)
        answers += rows[0]
        business += rows[1]
        lending += rows[2]
        if review is not None:
            decision, at, reason = review
            reviews.append(
                ReviewAction(
                    report_id=report_id,
                    version_id=version.pk,
                    decision=decision,
                    reason=reason,
                    actor=reviewer,
                    at=at,
                )
            )
        if len(answers) >= CHUNK:
            VersionAnswer.objects.bulk_create(answers)
            n_answers += len(answers)
            answers = []
    VersionAnswer.objects.bulk_create(answers)
    n_answers += len(answers)
    BusinessRow.objects.bulk_create(business, batch_size=CHUNK)
    LendingRow.objects.bulk_create(lending, batch_size=CHUNK)
    ReviewAction.objects.bulk_create(reviews, batch_size=CHUNK)

    # latest_version, as report_submit sets it: one UPDATE over the reports just written.
    if reports:
        latest = ReportVersion.objects.filter(report_id=OuterRef("pk")).order_by("-number")
        SelfCheckReport.objects.filter(
            campaign=campaign,
            pk__gte=min(r.pk for r in reports),
            pk__lte=max(r.pk for r in reports),
            first_submitted_at__isnull=False,
        ).update(latest_version_id=Subquery(latest.values("id")[:1]))
    p.audit_targets["selfcheck.selfcheckreport"] = [r.pk for r in reports]
    if connection.vendor == "postgresql":
        # Statistics for the planner, as a live database has them (autovacuum would take its
        # time after one big transaction): ANALYZE counts this transaction's own rows.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(ANALYZED)}")
    return {
        "reports": len(reports),
        "versions": len(versions),
        "answers": n_answers,
        "reviews": len(reviews),
        "n_items": len(configs),
    }


ROOT_REVIEWER = "screviewer"


def _root_reviewer(p: Province, like: User | None) -> None:
    """A reviewer of the whole tree (the province's own review team), so the bench has a
    queue whose scope grows with the province; signs in like the cast (same password)."""
    user = User.objects.create(
        username=p.username(ROOT_REVIEWER),
        password=like.password if like else "!",
        first_name=ROOT_REVIEWER,
    )
    RoleAssignment.objects.create(user=user, role=Role.REVIEWER, unit=p.root, granted_at=p.now)


def _chunks(seq: list, size: int = CHUNK):
    for i in range(0, len(seq), size):
        yield seq[i : i + size]
