"""Demo data for the self-check app, called by `manage.py seed_demo` after the organisation.

Idempotent (officers who already have a report are skipped; cases, items and talks are
created once) and deterministic (every choice comes from the `rng` passed in). Everything goes
through the services, so the demo data has versions, hashes and audit events like real data.

The demo accounts (CONTRACTS.md) get something to do: `officer` has a report returned for
supplement with an answered question; `cadre` has an unsubmitted draft (earlier deadline);
`reviewer` has a queue of submissions; `leader` has a warning case waiting for approval and
completion figures; `office` has an N item and cases in the library.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from rectify.models import Campaign, ChronicProblem, Officer, Role, RoleAssignment, Unit

from . import services
from .models import (
    AnswerKind,
    CaseRead,
    ItemConfig,
    SelfCheckReport,
    Talk,
    TalkTrigger,
    WarningCase,
    uscc_check_char,
)

MAX_OFFICERS = 600
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["芳", "伟", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "霞"]
COMPANIES = ["商贸有限公司", "建材经营部", "科技有限公司", "餐饮管理有限公司", "物流有限公司"]
PLACES = ["秦皇岛", "北戴河", "海港", "山海关", "抚宁"]
USCC_SEEDS = ["91130300", "91130302", "92130391"]


def _uscc(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    head = rng.choice(USCC_SEEDS) + "".join(rng.choice(alphabet) for _ in range(9))
    return head + uscc_check_char(head)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", rng.choice(GIVEN)])


def _business_row(rng: random.Random) -> dict:
    return {
        "relation": rng.choice(["spouse", "child", "child_spouse", "self"]),
        "name": _person(rng),
        "enterprise": rng.choice(PLACES)
        + rng.choice(["市", "区"])
        + _person(rng)[:2]
        + rng.choice(COMPANIES),
        "uscc": _uscc(rng),
        "role": rng.choice(["股东", "法定代表人", "监事", "实际经营者"]),
        "shareholding": f"{rng.choice([10, 20, 30, 51, 100])}%",
        "period": f"{rng.randint(2012, 2020)}年—至今",
    }


def _lending_row(rng: random.Random, when: dt.date) -> dict:
    return {
        "counterparty": _person(rng),
        "amount": str(rng.choice([20000, 50000, 100000, 300000])),
        "date": (when - dt.timedelta(days=rng.randint(100, 900))).isoformat(),
        "duty_relation": rng.choice(["系辖区内企业主", "与本人工作无关", "曾为案件当事人亲属"]),
    }


def _draft(rng: random.Random, officer: Officer, campaign: Campaign, *, yes_rate: float) -> dict:
    items = services.form_items(officer=officer, campaign=campaign)
    answers, business, lending = {}, [], []
    for item in items:
        if item.kind != AnswerKind.YESNO:
            answers[item.key] = {"yes": None, "details": "无", "date": ""}
            continue
        yes = rng.random() < yes_rate
        details = ""
        if yes and item.key == ChronicProblem.BUSINESS:
            business = [_business_row(rng) for _ in range(rng.randint(1, 2))]
            details = "如实申报亲属经商办企业情况，详见下表。"
        elif yes and item.key == ChronicProblem.LENDING:
            lending = [_lending_row(rng, campaign.selfcheck_start)]
            details = "存在民间借贷情况，详见下表。"
        elif yes:
            details = "曾应熟人请托打听案件进展，未实际干预，现主动说明。"
        answers[item.key] = {"yes": yes, "details": details, "date": ""}
    return {"answers": answers, "business": business, "lending": lending}


def _when(rng: random.Random, campaign: Campaign, officer: Officer) -> dt.datetime:
    today = timezone.localdate()
    last = min(today, campaign.deadline_for(officer))
    first = min(campaign.selfcheck_start, last)
    day = first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))
    moment = dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.randint(0, 59)))
    return min(timezone.make_aware(moment), timezone.now())


def _reviewer_for(officer: Officer, reviewers: list[RoleAssignment]) -> AbstractBaseUser | None:
    for assignment in reviewers:
        if (
            officer.unit.path.startswith(assignment.unit.path)
            and assignment.user_id != officer.user_id
        ):
            return assignment.user
    return None


def _officer_by_username(username: str) -> Officer | None:
    return Officer.objects.filter(user__username=username).select_related("unit", "user").first()


def _ensure_n_item(campaign: Campaign, rng: random.Random) -> None:
    unit = (
        Unit.objects.filter(code="QHD-KFQ-GA").first()
        or Unit.objects.filter(kind="police").order_by("path").first()
    )
    if unit is None:
        return
    creator = (
        RoleAssignment.objects.filter(role=Role.OFFICE, unit__path__in=unit.ancestor_paths())
        .select_related("user")
        .first()
    )
    if ItemConfig.objects.filter(campaign=campaign, unit=unit).exists():
        return
    services.item_config_create(
        campaign=campaign,
        unit=unit,
        text="是否存在违规使用警车、警械或违规插手经济纠纷的情况",
        help_text="结合公安机关岗位实际增加的自查事项（六+N）",
        kind=AnswerKind.YESNO,
        order=10,
        actor=creator.user if creator else None,
    )


@transaction.atomic
def seed_demo_data(*, campaign: Campaign, rng: random.Random) -> None:
    services.talk_triggers_ensure()
    _ensure_n_item(campaign, rng)
    reviewers = list(
        RoleAssignment.objects.filter(role=Role.REVIEWER)
        .select_related("unit", "user")
        .order_by("-unit__depth", "id")
    )
    done = set(
        SelfCheckReport.objects.filter(campaign=campaign).values_list("officer_id", flat=True)
    )
    special = {"officer", "cadre"}
    officers = list(
        Officer.objects.filter(is_active=True)
        .select_related("unit", "user")
        .order_by("unit__path", "number")[:MAX_OFFICERS]
    )
    for officer in officers:
        if officer.pk in done or (officer.user and officer.user.username in special):
            continue
        roll = rng.random()
        report = services.report_for_officer(officer=officer, campaign=campaign)
        if roll < 0.15:
            continue  # opened the form, nothing saved
        draft = _draft(
            rng, officer, campaign, yes_rate=0.06 if not officer.is_leading_cadre else 0.04
        )
        if roll < 0.3:
            services.report_save_draft(report=report, draft=draft, actor=officer.user)
            continue
        services.report_submit(
            report=report, draft=draft, actor=officer.user, now=_when(rng, campaign, officer)
        )
        reviewer = _reviewer_for(officer, reviewers)
        if reviewer is None or roll < 0.6:
            continue
        if roll < 0.7:
            services.report_return(
                report=report, actor=reviewer, reason="第2项未说明配偶是否经商，请补充后重新提交。"
            )
        else:
            services.report_accept(report=report, actor=reviewer)

    _seed_demo_accounts(campaign, rng, reviewers)
    _seed_talks(campaign, rng, officers)
    _seed_cases(campaign, rng, officers)


def _seed_demo_accounts(
    campaign: Campaign, rng: random.Random, reviewers: list[RoleAssignment]
) -> None:
    officer = _officer_by_username("officer")
    if officer and not SelfCheckReport.objects.filter(campaign=campaign, officer=officer).exists():
        report = services.report_for_officer(officer=officer, campaign=campaign)
        draft = _draft(rng, officer, campaign, yes_rate=0)
        draft["answers"][ChronicProblem.LENDING] = {
            "yes": True,
            "details": "2019年向同学借出款项，已全部收回。",
            "date": "",
        }
        draft["lending"] = [_lending_row(rng, campaign.selfcheck_start)]
        services.report_submit(
            report=report, draft=draft, actor=officer.user, now=_when(rng, campaign, officer)
        )
        question = services.question_ask(
            report=report, text="配偶在外地经营个体户，是否需要在第2项填报？", actor=officer.user
        )
        reviewer = _reviewer_for(officer, reviewers)
        if reviewer is not None:
            services.question_answer(
                question=question,
                text="需要。配偶、子女及其配偶从事经营活动的，均应在第2项逐条填报。",
                actor=reviewer,
            )
            services.report_return(
                report=report,
                actor=reviewer,
                reason="第2项未说明配偶经营个体户的情况，请补充企业名称和统一社会信用代码。",
            )
    cadre = _officer_by_username("cadre")
    if cadre and not SelfCheckReport.objects.filter(campaign=campaign, officer=cadre).exists():
        report = services.report_for_officer(officer=cadre, campaign=campaign)
        draft = _draft(rng, cadre, campaign, yes_rate=0)
        first = next(iter(draft["answers"]))
        draft["answers"][first]["yes"] = None  # half-filled draft
        services.report_save_draft(report=report, draft=draft, actor=cadre.user)


def _seed_talks(campaign: Campaign, rng: random.Random, officers: list[Officer]) -> None:
    if Talk.objects.filter(campaign=campaign).exists() or not officers:
        return
    triggers = list(TalkTrigger.objects.filter(is_active=True))
    keeper = RoleAssignment.objects.filter(role=Role.REVIEWER).select_related("user").first()
    # Talkers are officers: the leading cadres talk with the officers (六必谈).
    talkers = [o for o in officers if o.is_leading_cadre] or officers
    for officer in rng.sample(officers, min(12, len(officers))):
        services.talk_record(
            campaign=campaign,
            officer=officer,
            talker=rng.choice(talkers),
            talked_on=min(
                campaign.selfcheck_start + dt.timedelta(days=rng.randint(0, 10)),
                timezone.localdate(),
            ),
            trigger=rng.choice(triggers),
            points="传达自查从宽、被查从严政策，了解思想动态，提醒如实填报自查事项。",
            follow_up=rng.choice(["", "一周后回访", "已督促完成自查填报"]),
            actor=keeper.user if keeper else None,
        )


CASES = [
    ("某区法院法官违规干预案件被查处", ChronicProblem.INTERFERENCE, True),
    ("某派出所民警配偶违规经商未报告受处分", ChronicProblem.BUSINESS, True),
    ("某监狱干警违规办理减刑案件被追责", ChronicProblem.SENTENCE, False),
]


def _seed_cases(campaign: Campaign, rng: random.Random, officers: list[Officer]) -> None:
    root = Unit.objects.filter(code="QHD").first() or Unit.objects.filter(depth=1).first()
    if root is None:
        return
    office = (
        RoleAssignment.objects.filter(role=Role.OFFICE)
        .select_related("user", "unit")
        .order_by("unit__depth")
        .first()
    )
    leader = RoleAssignment.objects.filter(role=Role.LEADER).select_related("user").first()
    for title, category, publish in CASES:
        if WarningCase.objects.filter(title=title).exists():
            continue
        case = services.warning_case_create(
            unit=office.unit if office else root,
            title=title,
            body="经查，该干警在执法司法活动中违反相关规定，造成不良影响，受到党纪政务处分。",
            lesson="警示全体干警：知敬畏、存戒惧、守底线，有问题主动向组织讲清楚。",
            category=category,
            actor=office.user if office else None,
        )
        if publish and leader is not None:
            case = services.warning_case_decide(
                case=case, approve=True, actor=leader.user, note="同意发布"
            )
            readers = [o for o in officers if o.unit.path.startswith(case.unit.path)]
            for officer in rng.sample(readers, len(readers) // 2):
                if not CaseRead.objects.filter(case=case, officer=officer).exists():
                    services.warning_case_confirm_read(
                        case=case, officer=officer, actor=officer.user
                    )
