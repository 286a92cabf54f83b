"""Demo special remediation, called by `manage.py seed_demo` after the organisation, the
self-check data and the leads.

Every office of the demo province gets a plan per chronic problem (the six) on the organ it
concerns, each with a short problem list in every state the lifecycle has: open, in
progress, overdue, rectified but blocked by each of the three don'ts in turn, returned once,
accepted; in 开发区 an item generated from a substantiated lead (生成整改问题) and one
escalated two levels (派出所 → 公安分局 → 开发区). Measures carry progress notes, evidence is
small generated PDF or text, accountability records are kept.

Everything goes through remediation's services (numbers, the state machine, audit events),
the public acceptance too: a batch of one-time codes per item, each answered once. 开发区
also has public commitments and 我为群众办实事 matters (one done with its evidence).
Idempotent (nothing is added once the campaign has plans) and deterministic (choices come
from the `rng` passed in; dates are relative to today like the campaign's).

What the demo accounts see: `office` the 开发区 ledger with every state and the accept
button naming what is missing; `unithead` the bureau's and its stations' items, one to
escalate further; `leader` the whole city with figures per unit; `handler` and `cadre` an
item or a measure of their own under 我的整改; `officer` a measure of the station's item.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from leads.access import leads_visible_to
from rectify.models import Campaign, ChronicProblem, Office, Officer, Unit

from .. import services
from ..models import ItemKind, ItemOrigin, Plan
from ..selectors.plans import plan_for_source
from ..services import closure, escalation, surveys
from .files import demo_file
from .outputs_demo import seed_outputs
from .public_demo import seed_public

if TYPE_CHECKING:
    from ..models import Item

SYSTEM = "seed_demo"  # the actor of offices without a demo login

# problem -> (organ suffix in a district, organ at the city, plan title, goal, measures,
#            [item descriptions])
PROBLEMS: dict[str, tuple[str, str, str, str, list[str]]] = {
    ChronicProblem.INTERFERENCE: (
        "FY",
        "QHD-FY",
        "违反防止干预司法“三个规定”",
        "全面落实“三个规定”记录报告制度，做到逢问必录、应报尽报",
        "开展“三个规定”专题学习；建立过问案件登记台账；每月通报填报情况",
        ["部分干警对“三个规定”记录报告认识不到位，存在零报告现象", "过问案件登记台账不完整"],
    ),
    ChronicProblem.BUSINESS: (
        "GA",
        "QHD-GA",
        "违规经商办企业",
        "摸清干警本人及配偶、子女经商办企业情况，违规的限期纠正",
        "比对市场主体登记信息；逐人签订承诺书；对违规经营的责令退出",
        ["个别干警配偶在辖区经营娱乐场所", "干警及其亲属经商办企业申报不实"],
    ),
    ChronicProblem.LENDING: (
        "JCY",
        "QHD-JCY",
        "违规参股借贷",
        "清理干警违规参股借贷，杜绝与管理服务对象之间的借贷往来",
        "排查大额资金往来；开展警示教育；建立借贷报告制度",
        ["个别干警向管理服务对象借款", "参股借贷情况底数不清"],
    ),
    ChronicProblem.SENTENCE: (
        "SFJ",
        "QHD-JY",
        "违规违法减刑、假释、暂予监外执行",
        "对减刑、假释、暂予监外执行案件逐案复查，堵塞执法漏洞",
        "逐案评查近年案件；规范病情鉴定程序；公开听证",
        ["暂予监外执行病情鉴定程序不规范", "社区矫正对象脱管漏管"],
    ),
    ChronicProblem.INACTION: (
        "GA",
        "QHD-GA",
        "有案不立、压案不查、有罪不究",
        "清理积案，做到有案必立、立案必查、违法必究",
        "开展受立案专项监督；清理未结案件；落实案件流程节点管理",
        ["群众报案后未及时受理立案", "部分案件长期未结，压案不查"],
    ),
    ChronicProblem.BROKER: (
        "FY",
        "QHD-FY",
        "离任后违规从事律师执业、充当司法掮客",
        "全面排查离任法官检察官从业情况，规范从业限制",
        "建立离任人员从业信息库；与律师协会共享信息；公开从业限制",
        ["离任人员从业情况底数不清", "个别离任法官在原单位辖区代理案件"],
    ),
}
CAUSES = {
    "cause_ideals": "理想信念不够坚定，对纪律规矩缺乏敬畏",
    "cause_purpose": "宗旨意识淡薄，对群众诉求重视不够",
    "cause_party_spirit": "党性修养有所放松，自我要求不严",
    "cause_discipline": "纪律观念不强，对制度执行打折扣",
}
# The states the problem lists cycle through (开发区 takes them all, in this order).
SCENARIOS = [
    "accepted",
    "blocked_resolved",
    "blocked_public",
    "blocked_dealt",
    "overdue",
    "in_progress",
    "returned",
    "open",
    "accepted_waived",
]
KINDS = [ItemKind.FREQUENT, ItemKind.STUBBORN, ItemKind.TYPICAL]
ORIGINS = [ItemOrigin.SELFCHECK, ItemOrigin.INSPECTION, ItemOrigin.CASE_REVIEW, ItemOrigin.PUBLIC]


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


class Seeder:
    def __init__(self, campaign: Campaign, rng: random.Random) -> None:
        self.campaign = campaign
        self.rng = rng
        self.today = timezone.localdate()
        self.office_user = _user("office")
        self.unithead = _user("unithead")
        self.leader = _user("leader")
        self.people: dict[int, list[Officer]] = {}
        for officer in Officer.objects.filter(is_active=True).order_by("number"):
            self.people.setdefault(officer.unit_id, []).append(officer)
        self.serial = 0

    # --- actors ------------------------------------------------------------------------

    def office_actor(self, office: Office) -> Any:
        return self.office_user if office.short_name == "开发区" else SYSTEM

    def unit_actor(self, office: Office) -> Any:
        return self.unithead if office.short_name == "开发区" else SYSTEM

    # --- plans and items ---------------------------------------------------------------

    def plan(self, office: Office, unit: Unit, problem: str, spec: tuple) -> Plan:
        _, _, title, goal, measures, _ = spec
        with_doc = self.rng.random() < 0.5
        return services.plan_create(
            actor=self.office_actor(office),
            campaign=self.campaign,
            unit=unit,
            problem=problem,
            title=f"{unit.name}{title}专项整治方案",
            goal=goal,
            measures=measures,
            leader=unit.primary_responsible,
            start_date=self.campaign.rectify_start,
            end_date=self.campaign.rectify_end,
            upload=demo_file(f"remediation-plan-{unit.code}-{problem}", pdf=True)
            if with_doc
            else None,
        )

    def item(self, office: Office, plan: Plan, description: str, **kw: Any) -> Item:
        self.serial += 1
        staff = self.people.get(plan.unit_id, [])
        kw.setdefault("responsible_person", plan.unit.direct_responsible)
        kw.setdefault("origin", ORIGINS[self.serial % len(ORIGINS)])
        return services.item_create(
            plan=plan,
            actor=self.office_actor(office),
            description=description,
            kind=KINDS[self.serial % len(KINDS)],
            deadline=kw.pop("deadline", plan.end_date - dt.timedelta(days=self.rng.randint(0, 20))),
            is_hotspot=self.serial % 2 == 0,
            is_blocking=self.serial % 3 == 0,
            is_difficulty=self.serial % 5 == 0,
            subjects=kw.pop("subjects", staff[-1:] if self.serial % 4 == 0 else []),
            **CAUSES,
            **kw,
        )

    # --- the lifecycle -----------------------------------------------------------------

    def work(self, office: Office, item: Item, *, done: bool, owners: list[Officer]) -> list:
        """Measures with a progress note each: two in 开发区, one elsewhere (the demo stays
        quick to seed); the first is done, the rest only when `done`."""
        worker = self.unit_actor(office)
        texts = ["制定整改台账，逐项明确责任人", "开展专题教育和警示谈话"]
        if office.short_name != "开发区":
            texts = texts[:1]
        measures = []
        for i, text in enumerate(texts):
            owner = owners[i % len(owners)] if owners else None
            finished = done or (i == 0 and len(texts) > 1)
            m = services.measure_add(
                item=item,
                actor=worker,
                text=text,
                owner=owner,
                deadline=min(item.deadline, self.today + dt.timedelta(days=10 * i + 2)),
            )
            if finished:
                services.measure_update(measure=m, actor=worker, status="done", owner=owner)
            services.measure_note_add(
                measure=m,
                actor=worker,
                text="已完成，台账归档" if finished else "已召开专题会议部署，正在推进",
                progress=100 if finished else 40,
            )
            measures.append(m)
        return measures

    def evidence(self, office: Office, item: Item, *, approve: bool | None) -> None:
        ev = services.evidence_add(
            item=item,
            actor=self.unit_actor(office),
            upload=demo_file(f"evidence-{item.number}", pdf=self.serial % 2 == 0),
            note="整改台账及会议纪要",
        )
        if approve is not None:
            services.evidence_review(
                evidence=ev,
                actor=self.office_actor(office),
                approve=approve,
                note="" if approve else "材料不完整，请补充会议纪要",
            )

    def survey(self, office: Office, item: Item, scores: list[int]) -> None:
        """The public acceptance: a batch of one-time codes, each answered once, through
        the same services the office's batch page and the public survey page call."""
        _, codes = surveys.survey_batch_create(
            unit=item.unit, item=item, size=len(scores), actor=self.office_actor(office)
        )
        comments = ["整改效果明显", "办事效率提高了", "", "希望继续保持", "还需加强"]
        for i, (code, score) in enumerate(zip(codes, scores, strict=True)):
            surveys.survey_answer(raw_code=code, satisfaction=score, comment=comments[i % 5])

    def account(self, office: Office, item: Item, owners: list[Officer]) -> None:
        person = owners[0] if owners else None
        closure.accountability_record(
            item=item,
            actor=self.office_actor(office),
            officer=person,
            person_name="" if person else "某干警",
            level="direct",
            disposition="first",
            detail="批评教育，责令作出书面检查",
        )

    def submit(self, office: Office, item: Item) -> None:
        closure.item_submit_rectified(
            item=item, actor=self.unit_actor(office), note="各项措施已落实，申请验收"
        )

    def play(self, office: Office, item: Item, scenario: str) -> None:
        staff = self.people.get(item.unit_id, [])
        owners = [o for o in staff if o.pk != getattr(item.responsible_person, "pk", None)][:2]
        if scenario == "open":
            return
        good = [5, 5, 4, 5, 4, 5]
        if scenario in ("in_progress", "overdue"):
            self.work(office, item, done=False, owners=owners)
            return
        self.work(office, item, done=scenario != "blocked_resolved", owners=owners)
        self.evidence(office, item, approve=True)
        if scenario == "blocked_resolved":
            self.evidence(office, item, approve=None)  # one more awaiting review
        if scenario == "blocked_public":
            self.survey(office, item, [3, 2, 4])
        elif scenario != "accepted_waived":
            self.survey(office, item, good)
        if scenario == "accepted_waived":
            closure.accountability_no_one_to_blame(
                item=item, actor=self.office_actor(office), reason="经查系制度缺陷所致，无个人责任"
            )
            if self.leader is not None:
                closure.item_waive_survey(
                    item=item, actor=self.leader, reason="涉及内部管理制度，不宜开展群众验收"
                )
        elif scenario != "blocked_dealt":
            self.account(office, item, owners)
        self.submit(office, item)
        if scenario == "returned":
            closure.item_return(
                item=item, actor=self.office_actor(office), reason="佐证材料不足，请补充整改台账"
            )
        elif scenario in ("accepted", "accepted_waived") and (
            scenario == "accepted" or self.leader is not None
        ):
            closure.item_accept(item=item, actor=self.office_actor(office))


def _organ(office: Office, problem: str, units: dict[str, Unit]) -> Unit | None:
    suffix, city_code = PROBLEMS[problem][:2]
    if office.jurisdiction.code == "QHD":
        return units.get(city_code)
    return units.get(f"{office.jurisdiction.code}-{suffix}")


def _seed_kfq(seeder: Seeder, office: Office, units: dict[str, Unit]) -> None:
    """开发区 extras: an item generated from a lead, and an escalation over two levels."""
    lead = None
    if seeder.office_user is not None:
        leads = leads_visible_to(seeder.office_user).filter(category=ChronicProblem.BUSINESS)
        lead = leads.select_related("subject_unit", "handling_unit").order_by("id").first()
    if lead is not None:
        unit = lead.subject_unit or lead.handling_unit
        plan = plan_for_source(campaign=seeder.campaign, unit=unit, code=lead.category)
        if plan is None and unit is not None and lead.category in PROBLEMS:
            # what the office does after 生成整改问题 said the unit has no plan yet
            plan = seeder.plan(office, unit, lead.category, PROBLEMS[lead.category])
        if plan is not None:
            item = seeder.item(
                office,
                plan,
                "干警配偶违规经营娱乐场所问题（由问题线索生成）",
                origin=ItemOrigin.LEAD,
                source_lead=lead,
                responsible_unit=unit if unit.is_within(plan.unit) else plan.unit,
            )
            seeder.play(office, item, "in_progress")
    station = units.get("QHD-KFQ-GA-01")
    if station is None:
        return
    plan = seeder.plan(office, station, ChronicProblem.INACTION, PROBLEMS["inaction"])
    handler = getattr(_user("handler"), "officer", None)
    officer = getattr(_user("officer"), "officer", None)
    low = seeder.item(
        office,
        plan,
        "派出所接警后不及时受理，群众多次反映报案难",
        responsible_person=station.direct_responsible,
    )
    seeder.work(office, low, done=False, owners=[o for o in (officer,) if o])
    upper = escalation.item_escalate(
        item=low,
        actor=seeder.unithead or SYSTEM,
        reason="接处警考核办法由分局制定，基层无权调整（表现在基层、根子在上面）",
    )
    services.item_update(item=upper, actor=seeder.office_user or SYSTEM, responsible_person=handler)
    escalation.item_escalate(
        item=upper,
        actor=seeder.unithead or SYSTEM,
        reason="警力配置由区里统筹，需开发区层面解决",
    )


@transaction.atomic
def seed_demo_data(*, campaign: Campaign, rng: random.Random) -> None:
    """Plans and items, then the rules, rotations and meetings built on them (RD's
    seed_outputs, idempotent on its own)."""
    _seed_plans(campaign, rng)
    seed_outputs(campaign=campaign, rng=rng)


def _seed_plans(campaign: Campaign, rng: random.Random) -> None:
    if Plan.objects.filter(campaign=campaign).exists():
        return  # already seeded
    offices = list(Office.objects.select_related("jurisdiction").order_by("short_name"))
    if not offices:
        return
    units = {u.code: u for u in Unit.objects.all()}
    seeder = Seeder(campaign, rng)
    step = 0
    for n, office in enumerate(offices):
        kfq = office.short_name == "开发区" and seeder.office_user is not None
        for k, (problem, spec) in enumerate(PROBLEMS.items()):
            unit = _organ(office, problem, units)
            if unit is None:
                continue
            plan = seeder.plan(office, unit, problem, spec)
            # 开发区 (the demo logins' office) lists every problem in full; elsewhere each
            # office lists one item on two of its plans, so the seed stays quick.
            descriptions = spec[5] if kfq else spec[5][:1] if k % 3 == n % 3 else []
            if kfq and problem == ChronicProblem.BUSINESS:
                descriptions = [*descriptions, "干警亲属经营活动报告不及时"]
            for description in descriptions:
                scenario = SCENARIOS[step % len(SCENARIOS)]
                step += 1
                deadline = None
                if scenario == "overdue":
                    deadline = seeder.today - dt.timedelta(days=5)
                extra = {"deadline": deadline} if deadline else {}
                item = seeder.item(office, plan, description, **extra)
                seeder.play(office, item, scenario)
        if kfq:
            _seed_kfq(seeder, office, units)
            seed_public(
                campaign=campaign,
                today=seeder.today,
                actor=seeder.office_user,
                people=seeder.people,
                units=units,
            )
