"""Remediation's part of the synthetic province (#14): `generate(p)` writes `p.scale.items`
problem items in bulk through the real models, as the services would have left them.

Plans per unit and chronic problem; items over every state of remediation.workflow (open,
in progress, submitted for acceptance, returned, accepted) and escalated ones (the lower item
linked to its superior's, numbered `<lower>-S` as item_escalate does); stable numbers
`ZG-<unit>-<year>-<seq>` per unit in creation order (item_next_number); deadlines so that
some are overdue at `p.now`; measures with owners and progress notes; evidence (small stored
text files) reviewed or not; acceptance attempts, accountability records and survey answers
for the accepted ones; items generated from the leads part's leads when it ran (recusal then
follows the lead). Then rules, rotations, meetings, practical matters and commitments in
modest numbers. No counters are written here: the core rebuilds them afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from decimal import Decimal
from itertools import accumulate

from django.apps import apps
from django.db import connection
from django.db.models import Q

from rectify.models import ChronicProblem, Officer, Unit, UnitKind, User
from rectify.province import Province, chunks

from ..models import (
    AcceptanceAttempt,
    Accountability,
    AttemptDecision,
    Commitment,
    Disposition,
    Document,
    Evidence,
    EvidenceStatus,
    Item,
    ItemKind,
    ItemOrigin,
    ItemStatus,
    Measure,
    MeasureNote,
    MeasureStatus,
    Meeting,
    MeetingKind,
    Plan,
    PracticalMatter,
    RemediationPolicy,
    ResponsibilityLevel,
    Rotation,
    RotationKind,
    Rule,
    RuleStatus,
    SurveyBatch,
    SurveyCode,
    SurveyResponse,
)
from ..services.items import item_number_prefix

S = ItemStatus
PROBLEMS = [c for c, _ in ChronicProblem.choices]
# The lower item's state machine outcome (escalated items are drawn apart).
STATES = [
    ("open", 20),
    ("in_progress", 25),
    ("returned", 8),
    ("rectified", 15),
    ("accepted", 32),
]
ESCALATED_SHARE = 0.04
LEAD_SHARE = 0.15
DESCRIPTIONS = [
    "部分民警对防止干预司法“三个规定”记录报告制度执行不到位",
    "个别干警违规过问他人案件，未如实记录报告",
    "干警配偶违规从事与执法司法相关的经营活动，未及时申报",
    "违规参与民间借贷，清理不彻底",
    "减刑假释案件办理中材料审查不严",
    "有案不立、压案不查问题整改不到位",
    "涉案财物管理台账不清",
    "执法办案场所管理制度落实不严",
]
MEASURE_TEXTS = [
    "开展专题警示教育并逐人谈话",
    "建立健全记录报告台账，逐月核查",
    "对存在问题的人员进行约谈提醒",
    "修订完善内部管理制度",
    "开展案件复查并形成报告",
    "组织回头看，巩固整改成效",
]
CAUSE = "理想信念不够坚定，对纪律规矩认识不足"


def _doc(n: int, label: str, uploaded_by: User | None, at: dt.datetime) -> Document:
    content = f"{label}（基准数据第{n}号）：整改佐证材料摘要。\n".encode()
    return Document(
        name=f"{label}-{n:06d}.txt",
        content_type="text/plain",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=uploaded_by,
        uploaded_at=at,
    )


def _bulk(model: type, objs: list, size: int = 5000) -> list:
    for chunk in chunks(objs, size):
        model.objects.bulk_create(chunk)
    return objs


def _analyze(*models: type) -> None:
    """Fresh planner statistics for the tables just filled (PostgreSQL counts the rows this
    transaction wrote), so the first pages after generation plan as they will later."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _leads(p: Province) -> list[tuple[int, int]]:
    """(lead id, unit id) of the leads part's leads under the root (none if it did not run):
    the unit whose problem the lead shows, as remediation.access.lead_unit."""
    if not apps.is_installed("leads"):
        return []
    lead_model = apps.get_model("leads", "Lead")
    root = p.root.path
    rows = (
        lead_model.objects.filter(
            Q(subject_unit__path__startswith=root) | Q(handling_unit__path__startswith=root)
        )
        .order_by("pk")
        .values_list("pk", "subject_unit_id", "handling_unit_id")
    )
    return [(pk, su or hu) for pk, su, hu in rows if (su or hu)]


def generate(p: Province) -> dict:
    rng = p.rng("remediation")
    campaign = p.campaign
    cast = {
        u.username.rsplit("-", 1)[1]: u
        for u in User.objects.filter(username__startswith=f"{p.prefix.lower()}-")
    }
    office_user = cast.get("office")
    d_office = cast.get("d_office") or office_user
    head_user = cast.get("unithead") or office_user
    leader_user = cast.get("leader")
    by_id = {u.pk: u for u in p.units}
    working = [u for u in p.units if u.kind != UnitKind.REGION]
    officers: dict[int, list[int]] = defaultdict(list)
    cadres: dict[int, list[int]] = defaultdict(list)
    for pk, unit_id, cadre in p.officer_rows:
        officers[unit_id].append(pk)
        if cadre:
            cadres[unit_id].append(pk)
    working = [u for u in working if officers[u.pk]]
    # Cumulative once: random.choices would re-add the weights of every unit on every draw
    # (the same draws either way).
    cum_weights = list(accumulate(len(officers[u.pk]) ** 0.5 for u in working))
    by_path = {u.path: u for u in p.units}

    def parent(unit: Unit) -> Unit | None:
        return by_path.get(unit.path[: -Unit.steplen]) if unit.depth > 1 else None

    start = max(campaign.rectify_start, p.today - dt.timedelta(days=80))
    last_day = p.today - dt.timedelta(days=2)

    # --- what each item is -------------------------------------------------------------
    n_total = p.scale.items
    n_escalated = int(n_total * ESCALATED_SHARE)
    n_lower = n_total - n_escalated
    leads = _leads(p)
    n_from_leads = min(len(leads), int(n_lower * LEAD_SHARE))
    lead_rows = rng.sample(leads, n_from_leads) if n_from_leads else []
    states = [s for s, w in STATES for _ in range(w)]
    specs: list[dict] = []
    for i in range(n_lower):
        if i < n_from_leads:
            lead_id, unit_id = lead_rows[i]
            unit = by_id.get(unit_id)
            if unit is None or not officers[unit.pk]:
                unit, lead_id = rng.choices(working, cum_weights=cum_weights)[0], None
        else:
            unit, lead_id = rng.choices(working, cum_weights=cum_weights)[0], None
        created_day = p.day_between(rng, start, last_day)
        specs.append(
            {
                "unit": unit,
                "problem": rng.choice(PROBLEMS),
                "lead": lead_id,
                # Every state at least once, however small the scale.
                "state": STATES[i][0] if i < len(STATES) else rng.choice(states),
                "created": p.at(created_day, rng),
                "deadline": created_day + dt.timedelta(days=rng.randrange(20, 90)),
            }
        )
    # Escalated: an open or in-progress lower item of a unit whose parent is not a region.
    escalable = [
        s for s in specs if (up := parent(s["unit"])) is not None and up.kind != UnitKind.REGION
    ]
    escalable = [s for s in escalable if s["state"] in ("open", "in_progress")]
    for s in rng.sample(escalable, min(n_escalated, len(escalable))):
        s["escalate"] = True
    # Some items of the cast officer's unit are theirs (我的整改).
    me = Officer.objects.filter(user__username=p.username("officer")).values_list("pk", flat=True)
    my_officer = me[0] if me else None
    organ_specs = [s for s in specs if s["unit"].path.startswith(p.organ.path)]
    picked = rng.sample(organ_specs, min(len(organ_specs), max(5, n_total // 100)))
    mine = {id(s) for s in picked}

    # --- plans ---------------------------------------------------------------------------
    plan_keys = sorted(
        {(s["unit"].pk, s["problem"]) for s in specs}
        | {(parent(s["unit"]).pk, s["problem"]) for s in specs if s.get("escalate")}
    )
    labels = dict(ChronicProblem.choices)
    plans = []
    for unit_id, problem in plan_keys:
        unit = by_id[unit_id]
        lead = cadres[unit_id][0] if cadres[unit_id] else None
        plans.append(
            Plan(
                campaign=campaign,
                unit=unit,
                problem=problem,
                title=f"{unit.name}{labels[problem][:40]}专项整治方案",
                goal="坚持问题导向，逐项整改销号，建立长效机制。",
                measures="；".join(rng.sample(MEASURE_TEXTS, 3)),
                leader_id=lead,
                start_date=campaign.rectify_start,
                end_date=campaign.rectify_end,
                created_by=office_user,
                created_at=p.at(campaign.rectify_start, rng),
            )
        )
    _bulk(Plan, plans)
    plan_of = {(pl.unit_id, pl.problem): pl for pl in plans}
    p.progress(f"remediation plans: {len(plans):,}")

    # --- items, numbered per unit in creation order -----------------------------------------
    specs.sort(key=lambda s: (s["created"], s["unit"].path))
    seq: dict[int, int] = defaultdict(int)
    items: list[Item] = []
    for s in specs:
        unit = s["unit"]
        seq[unit.pk] += 1
        prefix = item_number_prefix(unit, s["created"].year)
        person = rng.choice(cadres[unit.pk] or officers[unit.pk])
        if id(s) in mine and my_officer:
            person = my_officer
        state = s["state"]
        status = {
            "open": S.OPEN,
            "in_progress": S.IN_PROGRESS,
            "returned": S.IN_PROGRESS,
            "rectified": S.RECTIFIED,
            "accepted": S.ACCEPTED,
        }[state]
        deadline = s["deadline"]
        created = s["created"]
        rectified_at = accepted_at = None
        if state in ("rectified", "accepted", "returned"):
            done_day = min(last_day, created.date() + dt.timedelta(days=rng.randrange(5, 40)))
            rectified_at = max(created, p.at(done_day, rng))
        if state == "accepted":
            accepted_at = rectified_at + dt.timedelta(days=rng.randrange(1, 6))
            accepted_at = min(accepted_at, p.now - dt.timedelta(hours=1))
        updated = accepted_at or rectified_at or created
        item = Item(
            plan=plan_of[(unit.pk, s["problem"])],
            unit=unit,
            number=f"{prefix}{seq[unit.pk]:04d}",
            description=rng.choice(DESCRIPTIONS),
            kind=rng.choice([ItemKind.FREQUENT, ItemKind.STUBBORN, ItemKind.TYPICAL]),
            is_hotspot=rng.random() < 0.2,
            is_blocking=rng.random() < 0.15,
            is_difficulty=rng.random() < 0.1,
            origin=ItemOrigin.LEAD
            if s["lead"]
            else rng.choice(
                [ItemOrigin.SELFCHECK, ItemOrigin.CASE_REVIEW, ItemOrigin.PUBLIC]
                + [ItemOrigin.INSPECTION] * 2
            ),
            source_lead_id=s["lead"],
            cause_ideals=CAUSE if rng.random() < 0.6 else "",
            cause_discipline=CAUSE if rng.random() < 0.4 else "",
            deadline=deadline,
            status=status,
            responsible_unit=unit,
            responsible_person_id=person,
            rectified_at=rectified_at,
            rectified_note="已按整改措施逐项落实。" if rectified_at else "",
            accepted_at=accepted_at,
            accepted_by=(office_user if unit.depth <= 3 else d_office) if accepted_at else None,
            created_by=office_user,
            created_at=created,
            updated_at=updated,
        )
        item._spec = s  # type: ignore[attr-defined]
        items.append(item)
    _bulk(Item, items)
    p.progress(f"remediation items: {len(items):,}")

    # Escalated: the superior's item, on its plan for the same problem.
    uppers: list[Item] = []
    lowers: list[Item] = []
    for item in items:
        s = item._spec  # type: ignore[attr-defined]
        if not s.get("escalate"):
            continue
        up = parent(item.unit)
        at = item.created_at + dt.timedelta(days=rng.randrange(1, 10))
        at = min(at, p.now - dt.timedelta(hours=2))
        upper_status = rng.choice([S.OPEN, S.IN_PROGRESS, S.IN_PROGRESS])
        upper = Item(
            plan=plan_of[(up.pk, s["problem"])],
            unit=up,
            number=f"{item.number}-S",
            description=item.description,
            kind=item.kind,
            is_hotspot=item.is_hotspot,
            is_blocking=item.is_blocking,
            is_difficulty=item.is_difficulty,
            origin=item.origin,
            source_lead_id=item.source_lead_id,
            deadline=item.deadline,
            status=upper_status,
            responsible_unit=up,
            responsible_person_id=rng.choice(cadres[up.pk] or officers[up.pk] or [None]),
            created_by=head_user,
            created_at=at,
            updated_at=at,
        )
        upper._spec = {"state": upper_status, "unit": up}  # type: ignore[attr-defined]
        uppers.append(upper)
        item.escalation_reason = "问题表现在基层、根子在上级，需上级单位统筹整改"
        item.escalated_at = at
        item.updated_at = at
        lowers.append(item)
    _bulk(Item, uppers)
    for lower, upper in zip(lowers, uppers, strict=True):
        lower.escalated_to = upper
    for chunk in chunks(lowers, 2000):
        Item.objects.bulk_update(
            chunk, ["escalated_to", "escalation_reason", "escalated_at", "updated_at"]
        )
    every = items + uppers

    # Subjects: officers the item is about (recusal), for about one item in ten.
    through = Item.subjects.through
    subject_rows = []
    for item in every:
        pool = officers[item.unit_id]
        if pool and rng.random() < 0.1:
            for officer_id in rng.sample(pool, min(len(pool), rng.randint(1, 2))):
                subject_rows.append(through(item_id=item.pk, officer_id=officer_id))
    _bulk(through, subject_rows)

    # --- measures, notes, evidence, attempts, accountability ------------------------------
    measures: list[Measure] = []
    for item in every:
        state = item._spec["state"]  # type: ignore[attr-defined]
        n = 0 if state == "open" and rng.random() < 0.4 else rng.randint(1, 3)
        pool = officers[item.unit_id]
        for k in range(n):
            if state in ("accepted", "rectified"):
                mstatus = MeasureStatus.DONE
            elif state == "open":
                mstatus = MeasureStatus.PLANNED
            else:
                mstatus = rng.choice(
                    [MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS, MeasureStatus.DONE]
                )
            owner = rng.choice(pool) if pool else None
            if k == 0 and item.responsible_person_id == my_officer and my_officer:
                owner = my_officer
            created = item.created_at + dt.timedelta(hours=rng.randrange(1, 48))
            done_at = None
            if mstatus == MeasureStatus.DONE:
                done_at = item.rectified_at or min(
                    p.now - dt.timedelta(hours=1), created + dt.timedelta(days=rng.randrange(2, 20))
                )
            m = Measure(
                item=item,
                text=rng.choice(MEASURE_TEXTS),
                owner_id=owner,
                deadline=min(item.deadline, item.deadline - dt.timedelta(days=k * 3)),
                status=mstatus,
                done_at=done_at,
                created_at=created,
            )
            m._item = item  # type: ignore[attr-defined]
            measures.append(m)
    _bulk(Measure, measures)
    notes = []
    for m in measures:
        if m.status == MeasureStatus.PLANNED:
            continue
        for k in range(rng.randint(1, 2)):
            at = min(p.now - dt.timedelta(minutes=30), m.created_at + dt.timedelta(days=k * 5 + 1))
            notes.append(
                MeasureNote(
                    measure=m,
                    text="已组织召开专题会议，推进整改落实。",
                    progress=100 if m.status == MeasureStatus.DONE else rng.choice([20, 40, 60]),
                    written_by=head_user,
                    written_at=at,
                )
            )
    _bulk(MeasureNote, notes)
    p.progress(f"remediation measures: {len(measures):,}, notes: {len(notes):,}")

    first_measure: dict[int, Measure] = {}
    for m in measures:
        first_measure.setdefault(m._item.pk, m)  # type: ignore[attr-defined]
    evidence_specs = []
    attempts: list[AcceptanceAttempt] = []
    accountability: list[Accountability] = []
    waived: list[Item] = []
    surveyed: list[Item] = []
    for item in every:
        state = item._spec["state"]  # type: ignore[attr-defined]
        m = first_measure.get(item.pk)
        at = item.rectified_at or (item.created_at + dt.timedelta(days=3))
        at = min(at, p.now - dt.timedelta(hours=1))
        if state == "accepted":
            evidence_specs.append((item, m, EvidenceStatus.APPROVED, at))
        elif state == "rectified":
            evidence_specs.append((item, m, EvidenceStatus.SUBMITTED, at))
        elif state == "returned":
            evidence_specs.append((item, m, EvidenceStatus.REJECTED, at))
        elif state == "in_progress" and rng.random() < 0.4:
            evidence_specs.append((item, m, rng.choice(list(EvidenceStatus.values)), at))
        manager = office_user if item.unit.depth <= 3 else d_office
        if state == "returned":
            sub = item.rectified_at
            attempts.append(
                AcceptanceAttempt(
                    item=item,
                    note="已整改完毕，申请验收。",
                    submitted_by=head_user,
                    submitted_at=sub,
                    decision=AttemptDecision.RETURNED,
                    reason="佐证材料不充分，整改不到位，退回继续整改。",
                    decided_by=manager,
                    decided_at=min(p.now - dt.timedelta(minutes=20), sub + dt.timedelta(days=2)),
                )
            )
        elif state == "rectified":
            attempts.append(
                AcceptanceAttempt(
                    item=item,
                    note=item.rectified_note,
                    submitted_by=head_user,
                    submitted_at=item.rectified_at,
                )
            )
        elif state == "accepted":
            attempts.append(
                AcceptanceAttempt(
                    item=item,
                    note=item.rectified_note,
                    submitted_by=head_user,
                    submitted_at=item.rectified_at,
                    decision=AttemptDecision.ACCEPTED,
                    decided_by=item.accepted_by,
                    decided_at=item.accepted_at,
                )
            )
            if rng.random() < 0.6:
                accountability.append(
                    Accountability(
                        item=item,
                        no_one_to_blame=True,
                        detail="经查，问题系制度不健全所致，无应当追责人员。",
                        recorded_by=manager,
                        recorded_at=item.rectified_at,
                    )
                )
            else:
                pool = officers[item.unit_id]
                accountability.append(
                    Accountability(
                        item=item,
                        officer_id=rng.choice(pool),
                        level=rng.choice(list(ResponsibilityLevel.values)),
                        disposition=rng.choice([Disposition.FIRST, Disposition.SECOND]),
                        detail="已按规定处理。",
                        recorded_by=manager,
                        recorded_at=item.rectified_at,
                    )
                )
            (surveyed if rng.random() < 0.4 else waived).append(item)
    documents = [
        _doc(n, "佐证材料", head_user, at) for n, (_i, _m, _s, at) in enumerate(evidence_specs, 1)
    ]
    _bulk(Document, documents)
    evidence = []
    for doc, (item, m, status, at) in zip(documents, evidence_specs, strict=True):
        reviewed = status != EvidenceStatus.SUBMITTED
        evidence.append(
            Evidence(
                item=item,
                measure=m,
                document=doc,
                note="整改佐证材料",
                status=status,
                submitted_by=head_user,
                submitted_at=at,
                reviewed_by=(office_user if item.unit.depth <= 3 else d_office)
                if reviewed
                else None,
                reviewed_at=min(p.now - dt.timedelta(minutes=10), at + dt.timedelta(hours=20))
                if reviewed
                else None,
                review_note="材料不完整" if status == EvidenceStatus.REJECTED else "",
            )
        )
    _bulk(Evidence, evidence)
    _bulk(AcceptanceAttempt, attempts)
    _bulk(Accountability, accountability)
    for item in waived:
        item.survey_waived_by = leader_user
        item.survey_waiver_reason = "该问题不直接面向群众，经领导审批免于群众验收。"
    for chunk in chunks(waived, 2000):
        Item.objects.bulk_update(chunk, ["survey_waived_by", "survey_waiver_reason"])
    p.progress(f"remediation evidence: {len(evidence):,}, attempts: {len(attempts):,}")

    # --- the public survey: one batch per surveyed item, and a few per unit ------------
    policy, _ = RemediationPolicy.objects.get_or_create(campaign=campaign)
    need = policy.survey_min_responses
    batches: list[SurveyBatch] = []
    for item in surveyed:
        b = SurveyBatch(
            campaign=campaign,
            unit_id=item.unit_id,
            item=item,
            size=need + 2,
            created_by=office_user,
            created_at=item.rectified_at,
        )
        b._answers = need + rng.randint(0, 2)  # type: ignore[attr-defined]
        batches.append(b)
    for unit in rng.sample(working, min(len(working), max(3, n_total // 200))):
        b = SurveyBatch(
            campaign=campaign,
            unit=unit,
            size=10,
            created_by=office_user,
            created_at=p.at(last_day - dt.timedelta(days=10), rng),
        )
        b._answers = rng.randint(3, 8)  # type: ignore[attr-defined]
        batches.append(b)
    _bulk(SurveyBatch, batches)
    codes: list[SurveyCode] = []
    answers: list[tuple[SurveyCode, SurveyBatch]] = []
    for b in batches:
        for k in range(b.size):
            used = k < b._answers  # type: ignore[attr-defined]
            digest = hashlib.sha256(f"{p.prefix}:{b.pk}:{k}".encode()).hexdigest()
            used_at = (
                min(p.now - dt.timedelta(minutes=5), b.created_at + dt.timedelta(days=1 + k % 5))
                if used
                else None
            )
            code = SurveyCode(batch=b, digest=digest, used_at=used_at)
            codes.append(code)
            if used:
                answers.append((code, b))
    _bulk(SurveyCode, codes)
    responses = [
        SurveyResponse(
            code=code,
            unit_id=b.unit_id,
            item_id=b.item_id,
            satisfaction=rng.choice([3, 4, 5, 5, 5]) if b.item_id else rng.randint(2, 5),
            comment="" if rng.random() < 0.7 else "整改效果明显。",
            answered_on=code.used_at.date(),
        )
        for code, b in answers
    ]
    _bulk(SurveyResponse, responses)

    # --- rules, rotations, meetings, practical matters, commitments --------------------------
    accepted = [i for i in every if i.status == S.ACCEPTED]
    rules = []
    for k in range(max(3, n_total // 30)):
        unit = rng.choice(working)
        status = rng.choice(
            [RuleStatus.ISSUED] * 6
            + [RuleStatus.DRAFT] * 2
            + [RuleStatus.REVISED, RuleStatus.REPEALED]
        )
        day = p.day_between(rng, start, last_day)
        rules.append(
            Rule(
                title=f"{unit.name}关于{rng.choice(MEASURE_TEXTS)}的规定（{k + 1}）",
                unit=unit,
                issued_on=day if status != RuleStatus.DRAFT else None,
                status=status,
                summary="明确职责分工、工作流程和监督问责。",
                created_by=office_user,
                created_at=p.at(day, rng),
            )
        )
    _bulk(Rule, rules)
    rule_items = Rule.items.through
    _bulk(
        rule_items,
        [
            rule_items(rule_id=r.pk, item_id=i.pk)
            for r in rules
            if accepted and rng.random() < 0.5
            for i in rng.sample(accepted, min(len(accepted), rng.randint(1, 2)))
        ],
    )
    rotations = []
    unit_of_officer = {pk: unit_id for pk, unit_id, _c in p.officer_rows}
    movers = rng.sample(list(unit_of_officer), min(len(unit_of_officer), max(3, n_total // 20)))
    for officer_id in movers:
        to = rng.choice(working)
        day = p.day_between(rng, p.today - dt.timedelta(days=20), p.today + dt.timedelta(days=40))
        rotations.append(
            Rotation(
                officer_id=officer_id,
                from_unit_id=unit_of_officer[officer_id],
                from_post="民警",
                to_unit=to,
                to_post="民警",
                effective_date=day,
                reason="敏感岗位任职满五年，按规定交流轮岗。",
                kind=rng.choice(list(RotationKind.values)),
                created_by=office_user,
                created_at=p.at(min(day, last_day) - dt.timedelta(days=10), rng),
            )
        )
    _bulk(Rotation, rotations)
    meetings = []
    for _k in range(max(2, n_total // 100)):
        unit = rng.choice(working)
        day = p.day_between(rng, start, last_day)
        meetings.append(
            Meeting(
                unit=unit,
                date=day,
                kind=rng.choice(list(MeetingKind.values)),
                title=f"{unit.name}教育整顿工作会商",
                decisions="研究问题线索移交和整改推进事项。",
                created_by=office_user,
                created_at=p.at(day, rng),
            )
        )
    _bulk(Meeting, meetings)
    meeting_items = Meeting.items.through
    _bulk(
        meeting_items,
        [
            meeting_items(meeting_id=mt.pk, item_id=i.pk)
            for mt in meetings
            for i in rng.sample(every, min(len(every), 2))
        ],
    )
    matters_specs = []
    for k in range(max(3, n_total // 40)):
        unit = rng.choice(working)
        day = p.day_between(rng, start, last_day)
        done = rng.random() < 0.5
        matters_specs.append((k, unit, day, done))
    matter_docs = {
        k: _doc(k + 1, "办实事佐证", office_user, p.at(day, rng))
        for k, _u, day, done in matters_specs
        if done
    }
    _bulk(Document, list(matter_docs.values()))
    matters = [
        PracticalMatter(
            campaign=campaign,
            unit=unit,
            title=f"{unit.name}为群众办实事第{k + 1}项",
            commitment="优化窗口服务，压缩办理时限。",
            owner_id=rng.choice(officers[unit.pk]),
            deadline=day + dt.timedelta(days=rng.randrange(10, 60)),
            is_public=rng.random() < 0.5,
            completed_at=p.at(min(last_day, day + dt.timedelta(days=7)), rng) if done else None,
            completion_note="已办结。" if done else "",
            evidence=matter_docs.get(k),
            created_by=office_user,
            created_at=p.at(day, rng),
        )
        for k, unit, day, done in matters_specs
    ]
    _bulk(PracticalMatter, matters)
    commitments = [
        Commitment(
            campaign=campaign,
            unit=unit,
            title=f"{unit.name}整治承诺",
            text="坚决整治顽瘴痼疾，接受群众监督。",
            is_published=True,
            published_on=campaign.rectify_start,
            due_date=campaign.rectify_end,
            created_by=office_user,
            created_at=p.at(campaign.rectify_start, rng),
            updated_at=p.at(campaign.rectify_start, rng),
        )
        for unit in rng.sample(working, min(len(working), max(2, n_total // 100)))
    ]
    _bulk(Commitment, commitments)

    _analyze(
        Plan,
        Item,
        through,
        Measure,
        MeasureNote,
        Document,
        Evidence,
        AcceptanceAttempt,
        Accountability,
        SurveyBatch,
        SurveyCode,
        SurveyResponse,
        Rule,
        Rotation,
        Meeting,
        PracticalMatter,
    )
    p.audit_targets["remediation.item"] = [i.pk for i in every]
    p.audit_targets["remediation.plan"] = [pl.pk for pl in plans]
    statuses: dict[str, int] = defaultdict(int)
    for item in every:
        statuses[item.status] += 1
    return {
        "plans": len(plans),
        "items": len(every),
        "by_status": {str(k): v for k, v in sorted(statuses.items())},
        "escalated": len(lowers),
        "from_leads": sum(1 for i in items if i.source_lead_id),
        "measures": len(measures),
        "notes": len(notes),
        "evidence": len(evidence),
        "survey_answers": len(responses),
        "rules": len(rules),
        "rotations": len(rotations),
        "matters": len(matters),
        "threshold": str(Decimal(policy.survey_threshold)),
    }
