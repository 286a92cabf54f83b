"""The leads' part of the synthetic province (#14): `generate(p)` writes `p.scale.leads`
leads over the province's offices, in bulk, as the real services would have left them.

Every state of the workflow (leads.workflow.TRANSITIONS) is present with a realistic share,
and each lead's timeline is the one its path through the workflow writes: the transitions
(`{"from", "to"}`), the triage event of an assignment (with the conflicts and override
reason where the handler had some, L4), transfers and their feedback, conclusions, the two
signatures of an unfounded conclusion (L9, Signature rows binding the conclusion hash),
listed supervision (挂牌督办, L6), progress notes (so some leads are untouched, L10), merges
(a note on the main lead). Numbers are the app's (`<office short name>-<year>-<0001>`, with
the LeadCounter rows), reporter identity is encrypted with leads.crypto as registration
stores it, public reports carry their receipt hash and LeadOriginal, and the screening grams
(LeadGram) and recusal candidates (LeadSubjectCandidate) are the rows lead_grams_sync and
lead_subject_candidates_sync write. Handlers and the heads who sign get accounts (usernames
`<prefix>.h<officer id>`, not the cast's `<prefix>-` ones).

No per-lead service call and no signal: rows are computed in Python, then written with
bulk_create (PostgreSQL: COPY for the big tables). The counters are rebuilt by the core
afterwards (figures.rebuild).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Q

from rectify.models import ChronicProblem, Officer, User

from ..models import (
    CandidateState,
    Channel,
    DispositionForm,
    EventKind,
    Lead,
    LeadCategory,
    LeadConclusion,
    LeadCounter,
    LeadEvent,
    LeadGram,
    LeadOriginal,
    LeadRoute,
    LeadStatus,
    LeadSubject,
    LeadSubjectCandidate,
    Signature,
    SignatureRole,
    conclusion_hash,
    receipt_hash,
)
from ..rules.screening import grams
from ..services.intake import _subject_key
from .bench import TAILS

if TYPE_CHECKING:
    from rectify.province import Province

S = LeadStatus
CHUNK = 5000

# Final states and their shares two months into the rectification phase.
SHARES = [
    (S.UNREGISTERED, 4),
    (S.REGISTERED, 10),
    (S.HELD, 4),
    (S.HANDLING, 29),
    (S.SIGNING, 4),
    (S.TRANSFERRED, 5),
    (S.CONCLUDED, 21),
    (S.CROSSED_OFF, 12),
    (S.MERGED, 5),
    (S.CLOSED, 6),
]
# How many days ago a lead in that state was received (lo, hi).
AGE = {
    S.UNREGISTERED: (0, 12),
    S.REGISTERED: (0, 20),
    S.HELD: (4, 80),
    S.HANDLING: (3, 80),
    S.SIGNING: (20, 84),
    S.TRANSFERRED: (5, 84),
    S.CONCLUDED: (14, 84),
    S.CROSSED_OFF: (25, 84),
    S.MERGED: (2, 84),
    S.CLOSED: (2, 84),
}
CATEGORY_WEIGHTS = [
    (LeadCategory.INTERFERENCE, 12),
    (LeadCategory.BUSINESS, 10),
    (LeadCategory.LENDING, 9),
    (LeadCategory.SENTENCE, 5),
    (LeadCategory.INACTION, 16),
    (LeadCategory.BROKER, 4),
    (LeadCategory.TWO_FACED, 3),
    (LeadCategory.UMBRELLA, 6),
    (LeadCategory.JUDICIAL_CORRUPTION, 8),
    (LeadCategory.UNRESTRAINED, 3),
    (LeadCategory.OTHER, 24),
]
CHANNEL_WEIGHTS = {
    "hotline": 20,
    "mailbox": 18,
    "visit": 8,
    "letter_inquiry": 4,
    "democratic_evaluation": 3,
    "individual_talk": 8,
    "inspection": 5,
    "organised_crime_review": 6,
    "petition_review": 10,
    "key_case_review": 6,
    "legal_inspection": 7,
}
ACTS = {
    LeadCategory.INTERFERENCE: [
        "向承办法官打招呼过问案件",
        "违规过问他人正在办理的刑事案件",
        "为亲属的民事纠纷案件说情打招呼",
    ],
    LeadCategory.BUSINESS: [
        "配偶经营KTV并为其提供保护",
        "违规入股煤矿企业获取分红",
        "以亲属名义开办公司承揽工程",
    ],
    LeadCategory.LENDING: [
        "违规出借资金收取高额利息",
        "向管理服务对象借款数十万元",
        "参与民间借贷并插手催收",
    ],
    LeadCategory.SENTENCE: [
        "在减刑假释材料中弄虚作假",
        "违规为服刑人员办理暂予监外执行",
        "收受财物后为罪犯违规呈报减刑",
    ],
    LeadCategory.INACTION: [
        "接警后不出警有案不立",
        "对已立案件长期压案不查",
        "对群众诉求推诿扯皮",
        "工作日饮酒并驾驶公车",
    ],
    LeadCategory.BROKER: [
        "离任后以律师身份充当司法掮客",
        "为当事人介绍律师收取好处费",
    ],
    LeadCategory.TWO_FACED: ["对组织不忠诚不老实搞团团伙伙", "在个人事项报告中隐瞒不报"],
    LeadCategory.UMBRELLA: ["与黑恶势力往来密切充当保护伞", "为涉黑团伙通风报信"],
    LeadCategory.JUDICIAL_CORRUPTION: ["收受当事人财物后徇私枉法", "滥用职权违规查封扣押财物"],
    LeadCategory.UNRESTRAINED: ["党的十八大以来仍收受礼金", "违规接受宴请不收敛不收手"],
    LeadCategory.OTHER: ["工作作风粗暴态度恶劣", "违规使用公车办私事", "违规发放津补贴"],
}
HELD_REASONS = ["线索反映内容笼统，暂存待查", "反映人联系不上，暂存待查", "待相关案件审结后再查"]
CLOSED_REASONS = ["反映问题已经查处，不再重复核查", "反映内容不具备可查性，予以了结"]
TRANSFER_BODIES = ["{city}纪委监委", "{city}纪委监委第二审查调查室", "驻{city}政法委纪检监察组"]
NOTES = [
    "调取相关案卷材料",
    "找反映人核实情况",
    "约谈被反映人所在单位负责人",
    "调取银行流水",
    "走访相关知情人",
    "查阅出警记录",
]
RESULTS = {
    LeadConclusion.SUBSTANTIATED: "经核查，反映问题属实",
    LeadConclusion.PARTLY: "经核查，反映问题部分属实",
    LeadConclusion.UNFOUNDED: "经核查，反映问题不属实，予以澄清",
}
SUPERVISION_NOTE = "限期查清，及时报告办理进展"
OVERRIDE = "经领导小组研究，无其他合适承办人，由其承办并加强监督"


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


@dataclass
class _Gen:
    """One lead before it is written: its row, subjects, timeline and signatures."""

    lead: Lead
    status: str
    subjects: list[tuple[int | None, str, str]] = field(default_factory=list)
    events: list[tuple[str, dt.datetime, int | None, str, dict]] = field(default_factory=list)
    signatures: list[tuple[str, int, str, dt.datetime]] = field(default_factory=list)
    merge_into: int | None = None  # index of the main lead among the generated
    original: tuple[str, str, str] | None = None  # (subject name, subject unit, category)
    ruled_out: set[str] = field(default_factory=set)  # typed names whose matches are out


# --- writing ------------------------------------------------------------------------------


def _tsv(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _write(model: type, names: list[str], rows: list[tuple]) -> int:
    """Insert `rows` (tuples of `names`' values, foreign keys as `<name>_id`): COPY on
    PostgreSQL, bulk_create elsewhere. No ids come back."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        columns = [model._meta.get_field(n.removesuffix("_id")).column for n in names]
        for lo in range(0, len(rows), 50_000):
            buf = io.StringIO()
            for row in rows[lo : lo + 50_000]:
                buf.write("\t".join(_tsv(v) for v in row))
                buf.write("\n")
            buf.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    f'COPY "{model._meta.db_table}" ({", ".join(columns)}) FROM STDIN', buf
                )
        return len(rows)
    for lo in range(0, len(rows), CHUNK):
        model.objects.bulk_create(
            [model(**dict(zip(names, row, strict=True))) for row in rows[lo : lo + CHUNK]]
        )
    return len(rows)


# --- the province's people ------------------------------------------------------------------


@dataclass
class _Office:
    office: Any
    units: list[Any]  # the units the office answers for (no region units)
    officers: list[tuple[int, int, bool]]  # (id, unit id, cadre)
    handlers: list[int] = field(default_factory=list)
    cadres: list[int] = field(default_factory=list)
    weight: float = 1.0
    city: str = ""


def _offices(p: Province, rng: random.Random) -> list[_Office]:
    by_path = {o.jurisdiction.path: o for o in p.offices}
    step = len(p.root.path)
    office_of_unit: dict[int, Any] = {}
    for unit in p.units:
        path = unit.path
        while path and path not in by_path:
            path = path[:-step]
        if path:
            office_of_unit[unit.pk] = by_path[path]
    out = {o.pk: _Office(office=o, units=[], officers=[]) for o in p.offices}
    for unit in p.units:
        office = office_of_unit.get(unit.pk)
        if office is not None and unit.kind != "region":
            out[office.pk].units.append(unit)
    for row in p.officer_rows:
        office = office_of_unit.get(row[1])
        if office is not None:
            out[office.pk].officers.append(row)
    units = {u.pk: u for u in p.units}
    kept = [o for o in out.values() if o.officers]
    levels = defaultdict(list)
    for o in kept:
        levels[o.office.jurisdiction.level].append(o)
        city = o.office.jurisdiction
        while city.level not in ("city", "province"):
            city = _parent(p, city)
        o.city = city.name
    share = {"province": 0.05, "city": 0.15, "district": 0.80}
    if not levels.get("district"):
        share = {"province": 0.25, "city": 0.75}
    for level, group in levels.items():
        jitter = [0.6 + 0.8 * rng.random() for _ in group]
        total = sum(jitter)
        for o, j in zip(group, jitter, strict=True):
            o.weight = share.get(level, 0.1) * j / total
    # The handlers: a few plain officers per office, in units that have a head.
    for o in kept:
        o.cadres = [r[0] for r in o.officers if r[2]][:20]
        plain = [r for r in o.officers if not r[2] and units[r[1]].primary_responsible_id]
        rng.shuffle(plain)
        seen: set[int] = set()
        for officer_id, unit_id, _cadre in plain:
            if unit_id in seen:
                continue
            seen.add(unit_id)
            o.handlers.append(officer_id)
            if len(o.handlers) >= 6:
                break
        if not o.handlers and plain:
            o.handlers.append(plain[0][0])
    return [o for o in kept if o.handlers]


def _parent(p: Province, unit: Any) -> Any:
    cache = p.__dict__.setdefault("_leads_by_path", {u.path: u for u in p.units})
    return cache[unit.path[: -len(p.root.path)]]


def _accounts(p: Province, officer_ids: set[int]) -> dict[int, int]:
    """{officer id: user id} for the handlers and the heads who sign: their own account
    where they have one (the cast's officer and cadre), else a new one."""
    have = dict(
        Officer.objects.filter(pk__in=officer_ids, user__isnull=False).values_list("pk", "user_id")
    )
    missing = sorted(officer_ids - set(have))
    password = make_password(None)
    prefix = p.prefix.lower()
    users = User.objects.bulk_create(
        [User(username=f"{prefix}.h{pk}", password=password) for pk in missing], batch_size=2000
    )
    officers = list(Officer.objects.filter(pk__in=missing).order_by("pk"))
    by_pk = dict(zip(missing, users, strict=True))
    for officer in officers:
        officer.user = by_pk[officer.pk]
    Officer.objects.bulk_update(officers, ["user"], batch_size=2000)
    have.update({pk: u.pk for pk, u in by_pk.items()})
    return have


# --- one lead ---------------------------------------------------------------------------------


class _Builder:
    def __init__(self, p: Province, rng: random.Random):
        self.p = p
        self.rng = rng
        self.units = {u.pk: u for u in p.units}
        self.names: dict[int, tuple[str, str]] = {
            pk: (name, number)
            for pk, name, number in Officer.objects.filter(
                unit__path__startswith=p.root.path
            ).values_list("pk", "name", "number")
        }
        self.channels = {c.code: c for c in Channel.objects.all()}
        self.channel_weights = [
            (self.channels[code], w) for code, w in CHANNEL_WEIGHTS.items() if code in self.channels
        ]
        self.online = self.channels.get("online")
        self.cast = {
            u.username: u.pk for u in User.objects.filter(username__startswith=p.username(""))
        }
        self.unit_of = {r[0]: r[1] for r in p.officer_rows}
        self.accounts: dict[int, int] = {}
        start = p.campaign.study_start
        self.earliest = start if start and start < p.today else p.today - dt.timedelta(days=85)
        self.declared = self._declarations()

    def _declarations(self) -> dict[str, list[tuple[int, dt.datetime]]]:
        """{chronic problem: [(officer, first in-window declaration)]} from the self-check
        part, when it ran before this one (L12 self-declared leads are about them)."""
        from selfcheck.selectors import declarations_before

        ids = [r[0] for r in self.p.officer_rows]
        out: dict[str, list[tuple[int, dt.datetime]]] = defaultdict(list)
        found: dict[int, dict[str, dt.datetime]] = {}
        for lo in range(0, len(ids), 20_000):
            found.update(declarations_before(officer_ids=ids[lo : lo + 20_000], before=self.p.now))
        for officer_id in sorted(found):
            for key, at in sorted(found[officer_id].items()):
                out[key].append((officer_id, at))
        return out

    def actor(self, office: _Office, key: str) -> int | None:
        """The cast's intake or office account at the root and first district office."""
        p = self.p
        if office.office.jurisdiction_id == p.root.pk:
            return self.cast.get(p.username(key))
        if office.office.jurisdiction_id == p.district.pk:
            return self.cast.get(p.username(f"d_{key}"))
        return None

    def moment(self, day: dt.date) -> dt.datetime:
        return min(self.p.at(day, self.rng), self.p.now - dt.timedelta(minutes=5))

    def summary(self, category: str, name: str, unit_name: str) -> str:
        rng = self.rng
        acts = "，并".join(rng.sample(ACTS[category], min(len(ACTS[category]), rng.randint(1, 2))))
        return f"反映{unit_name}干警{name}{acts}{rng.choice(TAILS)}。"

    def subjects(self, office: _Office, category: str, received: dt.date, handler: int):
        """[(officer id or None, name, unit name)] and the subject unit."""
        rng = self.rng
        declared = self.declared.get(category) if category in ChronicProblem.values else None
        chosen: list[int] = []
        if declared and rng.random() < 0.35:
            early = [o for o, at in declared if at.date() < received and o != handler]
            if early:
                chosen.append(rng.choice(early))
        while len(chosen) < rng.choice((1, 1, 1, 1, 2)):
            officer_id, _unit, _cadre = rng.choice(office.officers)
            if officer_id != handler and officer_id not in chosen:
                chosen.append(officer_id)
        unit_of = self.unit_of
        out = []
        for officer_id in chosen:
            name, number = self.names[officer_id]
            unit = self.units[unit_of.get(officer_id) or office.units[0].pk]
            roll = rng.random()
            if roll < 0.78:
                out.append((officer_id, name, unit.name))
            elif roll < 0.93:  # named only: the register's spelling of a real officer
                out.append((None, name, unit.name))
            elif roll < 0.96:  # typed as the officer's number
                out.append((None, number, unit.name))
            else:  # somebody not (or not yet) in the register
                out.append((None, self.p_person(), unit.name))
        first = chosen[0]
        subject_unit = self.units.get(unit_of.get(first, 0))
        return out, subject_unit, self.names[first][0]

    def p_person(self) -> str:
        from rectify.province import GIVEN, SURNAMES

        rng = self.rng
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))

    def path(self, status: str, public: bool) -> list[str]:
        """The statuses the lead went through, from its first."""
        rng = self.rng
        first = [S.UNREGISTERED, S.REGISTERED] if public else [S.REGISTERED]
        if status == S.UNREGISTERED:
            return [S.UNREGISTERED]
        if status in (S.MERGED, S.CLOSED) and public and rng.random() < 0.3:
            return [S.UNREGISTERED, status]
        if status == S.REGISTERED:
            return first
        if status == S.HELD:
            return [*first, S.HELD]
        if status == S.HANDLING:
            return [*first, S.HELD, S.HANDLING] if rng.random() < 0.1 else [*first, S.HANDLING]
        if status == S.SIGNING:
            return [*first, S.HANDLING, S.SIGNING]
        if status == S.TRANSFERRED:
            if rng.random() < 0.3:
                return [*first, S.HANDLING, S.TRANSFERRED]
            return [*first, S.TRANSFERRED]
        if status in (S.CONCLUDED, S.CROSSED_OFF):
            roll = rng.random()
            if roll < 0.1:
                body = [S.TRANSFERRED, S.CONCLUDED]
            elif roll < 0.4:
                body = [S.HANDLING, S.SIGNING, S.CONCLUDED]
            else:
                body = [S.HANDLING, S.CONCLUDED]
            if status == S.CROSSED_OFF:
                body.append(S.CROSSED_OFF)
            return [*first, *body]
        return [*first, status]  # merged, closed

    def build(self, office: _Office, status: str) -> _Gen:
        p, rng = self.p, self.rng
        public = status == S.UNREGISTERED or rng.random() < 0.12
        lo, hi = AGE[status]
        hi = min(hi, (p.today - self.earliest).days)
        received = p.today - dt.timedelta(days=rng.randint(min(lo, hi), hi))
        category = _pick(rng, CATEGORY_WEIGHTS)
        handler = rng.choice(office.handlers)
        subjects, subject_unit, named = self.subjects(office, category, received, handler)
        summary = self.summary(category, named, subjects[0][2])
        steps = self.path(status, public)
        lead = Lead(
            office=office.office,
            received_date=received,
            channel=self.online if public else _pick(rng, self.channel_weights),
            category=category,
            summary=summary,
            subject_unit=subject_unit,
            status=status,
            is_public=public,
        )
        gen = _Gen(lead=lead, status=status, subjects=subjects)
        anonymous = rng.random() < (0.7 if public else 0.55)
        lead.reporter_anonymous = anonymous
        if not anonymous:
            lead.reporter_name = self.p_person()
            lead.reporter_contact = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        if public:
            code = "".join(rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(20))
            lead.receipt_hash = receipt_hash("-".join(code[i : i + 4] for i in range(0, 20, 4)))
            gen.original = (subjects[0][1], subjects[0][2], category)
        # The moments of the steps: submitted / registered, then each move later.
        t0 = self.moment(received)
        lead.created_at = t0
        span = max(60.0, (p.now - t0).total_seconds() - 600)
        cuts = sorted(rng.uniform(0.05, 1.0) for _ in range(len(steps) - 1))
        times = [t0] + [t0 + dt.timedelta(seconds=span * c) for c in cuts]
        self.timeline(gen, office, steps, times, handler)
        return gen

    def timeline(
        self, gen: _Gen, office: _Office, steps: list[str], times: list[dt.datetime], handler: int
    ) -> None:
        rng, lead = self.rng, gen.lead
        intake = self.actor(office, "intake")
        staff = self.actor(office, "office") or intake
        handler_user = self.accounts.get(handler)
        events = gen.events

        def move(
            at: dt.datetime, before: str, to: str, text: str = "", actor: int | None = staff
        ) -> None:
            events.append((EventKind.TRANSITION, at, actor, text, {"from": before, "to": to}))

        if steps[0] == S.REGISTERED:
            lead.registered_at = times[0]
        activity = None
        for i in range(1, len(steps)):
            before, to, at = steps[i - 1], steps[i], times[i]
            if to == S.REGISTERED:  # a public report registered
                lead.registered_at = at
                lead.created_by_id = intake
                move(at, before, to, "登记网上举报", intake)
                continue
            if before in (S.UNREGISTERED, S.REGISTERED) and lead.screened_at is None:
                lead.screened_at = at
            if to == S.HELD:
                reason = rng.choice(HELD_REASONS)
                lead.close_reason = reason
                move(at, before, to, reason)
            elif to == S.CLOSED:
                reason = rng.choice(CLOSED_REASONS)
                lead.close_reason = reason
                move(at, before, to, reason)
            elif to == S.MERGED:
                move(at, before, to, "与重复线索合并办理")
            elif to == S.TRANSFERRED:
                body = rng.choice(TRANSFER_BODIES).format(city=office.city)
                lead.transfer_body = body
                lead.transfer_date = at.date()
                events.append((EventKind.TRANSFER, at, staff, "", {"body": body}))
                move(at, before, to, body)
            elif to == S.HANDLING:
                self.assign(gen, office, at, handler, staff)
                move(at, before, to)
                activity = at
                activity = self.notes(gen, at, times[i + 1] if i + 1 < len(times) else None)
            elif to == S.SIGNING:
                lead.conclusion = LeadConclusion.UNFOUNDED
                lead.result = RESULTS[LeadConclusion.UNFOUNDED]
                events.append(
                    (
                        EventKind.CONCLUSION,
                        at,
                        handler_user,
                        lead.result,
                        {"conclusion": lead.conclusion, "form": "", "dealt_with": ""},
                    )
                )
                move(at, before, to, "", handler_user)
                activity = at
                end = times[i + 1] if i + 1 < len(times) else None
                self.sign(gen, at, end, handler, both=end is not None)
            elif to == S.CONCLUDED:
                lead.concluded_at = at
                if before == S.TRANSFERRED:
                    lead.conclusion = _pick(
                        rng,
                        [
                            (LeadConclusion.SUBSTANTIATED, 5),
                            (LeadConclusion.PARTLY, 2),
                            (LeadConclusion.UNFOUNDED, 1),
                        ],
                    )
                    feedback = f"{lead.transfer_body}反馈：{RESULTS[lead.conclusion]}"
                    lead.transfer_feedback = lead.result = feedback
                    events.append((EventKind.TRANSFER, at, staff, feedback, {"feedback": True}))
                    move(at, before, to, feedback)
                elif before == S.SIGNING:
                    lead.archived_at = at
                    move(at, before, to, "", self.head_user(lead))
                else:
                    lead.conclusion = _pick(
                        rng, [(LeadConclusion.SUBSTANTIATED, 3), (LeadConclusion.PARTLY, 2)]
                    )
                    lead.result = RESULTS[lead.conclusion]
                    lead.disposition_form = _pick(
                        rng,
                        [
                            (DispositionForm.FIRST, 6),
                            (DispositionForm.SECOND, 3),
                            (DispositionForm.THIRD, 1),
                            (DispositionForm.FOURTH, 1),
                        ],
                    )
                    names = "、".join(s[1] for s in gen.subjects if s[0])
                    lead.dealt_with = (
                        f"{names or '相关人员'}：{lead.get_disposition_form_display()}"
                    )
                    events.append(
                        (
                            EventKind.CONCLUSION,
                            at,
                            handler_user,
                            lead.result,
                            {
                                "conclusion": lead.conclusion,
                                "form": lead.disposition_form,
                                "dealt_with": lead.dealt_with,
                            },
                        )
                    )
                    move(at, before, to, "", handler_user)
                activity = at if before != S.TRANSFERRED else activity
            elif to == S.CROSSED_OFF:
                lead.crossed_off_at = at
                move(at, before, to)
        lead.last_activity_at = activity
        # Typed subjects ruled out by intake once the lead was screened.
        if lead.screened_at is not None:
            for officer_id, name, _unit in gen.subjects:
                if officer_id is None and rng.random() < 0.3:
                    gen.ruled_out.add(name)
                    at = max(lead.registered_at or lead.created_at, lead.screened_at)
                    events.append(
                        (
                            EventKind.SUBJECT,
                            at,
                            intake,
                            f"排除一名与被反映人“{name}”同名（同号）的在册干警",
                            {"name": name, "state": CandidateState.RULED_OUT},
                        )
                    )
        # L6: listed supervision on some screened leads, by a cadre of the office's region.
        if lead.screened_at is not None and status_listable(gen.status) and rng.random() < 0.08:
            self.list_supervision(gen, office, staff)

    def assign(
        self, gen: _Gen, office: _Office, at: dt.datetime, handler: int, actor: int | None
    ) -> None:
        rng, lead = self.rng, gen.lead
        unit = self.units[self.unit_of[handler]]
        lead.handling_unit = unit
        lead.handler_id = handler
        lead.route = _pick(
            rng,
            [(LeadRoute.VERIFICATION, 6), (LeadRoute.TALK_INQUIRY, 3), (LeadRoute.PRELIMINARY, 2)],
        )
        lead.deadline = at.date() + dt.timedelta(days=rng.choice((30, 30, 45, 60, 90)))
        name = self.names[handler][0]
        data: dict[str, Any] = {
            "unit": unit.name,
            "handler": name,
            "deadline": str(lead.deadline),
            "route": lead.route,
        }
        # L4: now and then the only fitting handler shares an organ with a subject.
        linked = [s for s in gen.subjects if s[0]]
        if linked and rng.random() < 0.04:
            subject = linked[0]
            data["conflicts"] = [
                f"承办人{name}（{unit.name}）与被反映人{subject[1]}（{subject[2]}）同属{unit.name}"
            ]
            data["override_reason"] = OVERRIDE
        gen.events.append((EventKind.TRIAGE, at, actor, "", data))

    def notes(self, gen: _Gen, start: dt.datetime, end: dt.datetime | None) -> dt.datetime:
        """Progress notes between the assignment and the next move (or now); none on some
        leads, so they are untouched (有线索不查, L10)."""
        rng = self.rng
        stop = end or self.p.now - dt.timedelta(minutes=10)
        last = start
        if rng.random() < 0.3:
            return last
        seconds = (stop - start).total_seconds()
        for _ in range(rng.randint(1, 3)):
            at = start + dt.timedelta(seconds=rng.uniform(0.1, 0.95) * seconds)
            kind = rng.choice((EventKind.NOTE, EventKind.NOTE, EventKind.VERIFICATION))
            user = self.accounts.get(gen.lead.handler_id)
            gen.events.append((kind, at, user, rng.choice(NOTES), {}))
            last = max(last, at)
        return last

    def head_user(self, lead: Lead) -> int | None:
        unit = lead.handling_unit
        return self.accounts.get(unit.primary_responsible_id) if unit else None

    def sign(
        self,
        gen: _Gen,
        start: dt.datetime,
        end: dt.datetime | None,
        handler: int,
        *,
        both: bool,
    ) -> None:
        """L9: the handler's signature, and (when the lead concluded) the unit head's."""
        rng, lead = self.rng, gen.lead
        text_hash = conclusion_hash(lead.conclusion, lead.result, lead.disposition_form)
        stop = end or self.p.now - dt.timedelta(minutes=10)
        seconds = (stop - start).total_seconds()
        roles = []
        if both or rng.random() < 0.5:
            roles.append((SignatureRole.HANDLER, handler))
        if both:
            roles.append((SignatureRole.UNIT_HEAD, lead.handling_unit.primary_responsible_id))
        for n, (role, officer_id) in enumerate(roles):
            at = start + dt.timedelta(seconds=seconds * (0.3 + 0.3 * n))
            user = self.accounts[officer_id]
            gen.signatures.append((role, user, self.names[officer_id][0], at))
            label = "承办人" if role == SignatureRole.HANDLER else "承办单位主要负责人"
            gen.events.append(
                (EventKind.SIGNATURE, at, user, label, {"role": role, "hash": text_hash})
            )

    def list_supervision(self, gen: _Gen, office: _Office, actor: int | None) -> None:
        rng, lead = self.rng, gen.lead
        subjects = {s[0] for s in gen.subjects}
        cadres = [r for r in office.cadres if r not in subjects]
        region = self.units[office.office.jurisdiction_id]
        head = region.primary_responsible_id
        supervisor = head if head and head not in subjects else (cadres[0] if cadres else None)
        if supervisor is None:
            return
        at = lead.screened_at + dt.timedelta(days=rng.randint(0, 5))
        at = min(at, self.p.now - dt.timedelta(minutes=20))
        deadline = at.date() + dt.timedelta(days=rng.choice((15, 30, 30, 45)))
        lead.supervisor_id = supervisor
        lead.supervision_deadline = deadline
        lead.supervision_listed_at = at
        name = self.names[supervisor][0]
        text = f"挂牌督办：督办领导 {name}，督办期限 {deadline.isoformat()}\n{SUPERVISION_NOTE}"
        data = {
            "supervisor": supervisor,
            "supervisor_name": name,
            "deadline": deadline.isoformat(),
            "relisted": False,
            "note": SUPERVISION_NOTE,
        }
        gen.events.append((EventKind.LISTED, at, actor, text, data))


def status_listable(status: str) -> bool:
    return status in (S.HELD, S.HANDLING, S.SIGNING, S.TRANSFERRED, S.CONCLUDED, S.CROSSED_OFF)


# --- the part -------------------------------------------------------------------------------


def generate(p: Province) -> dict:
    rng = p.rng("leads")
    offices = _offices(p, rng)
    builder = _Builder(p, rng)
    heads = set()
    units = {u.pk: u for u in p.units}
    for o in offices:
        for officer_id in o.handlers:
            heads.add(units[builder.unit_of[officer_id]].primary_responsible_id)
    builder.accounts = _accounts(p, {h for o in offices for h in o.handlers} | heads)
    p.progress(f"leads: {len(offices)} offices, {len(builder.accounts)} handler accounts")

    total = p.scale.leads
    weights = [o.weight for o in offices]
    gens: list[_Gen] = []
    by_office: dict[int, list[int]] = defaultdict(list)
    for status in _statuses(rng, total):
        office = rng.choices(offices, weights=weights)[0]
        gen = builder.build(office, status)
        by_office[office.office.pk].append(len(gens))
        gens.append(gen)
    # Merged leads: into a registered, unmerged lead of the same office, received earlier;
    # the duplicate says what the main one says, in other words.
    for gen in gens:
        if gen.status != S.MERGED:
            continue
        mains = [
            j
            for j in by_office[gen.lead.office_id]
            if gens[j].status not in (S.MERGED, S.UNREGISTERED)
            and gens[j].lead.received_date <= gen.lead.received_date
        ]
        if not mains:
            mains = [
                j for j in range(len(gens)) if gens[j].status not in (S.MERGED, S.UNREGISTERED)
            ]
        j = rng.choice(mains[-200:])
        gen.merge_into = j
        main = gens[j]
        gen.subjects = list(main.subjects)
        gen.lead.category = main.lead.category
        gen.lead.summary = main.lead.summary.replace("反映", "举报").replace("干警", "民警")
        gen.lead.subject_unit = main.lead.subject_unit
        if gen.original:
            gen.original = (gen.subjects[0][1], gen.subjects[0][2], gen.lead.category)
    _numbers(p, gens)
    p.progress(f"leads: {len(gens):,} built")

    # Write: the main leads first, then the merged ones (they point at them).
    first = [g for g in gens if g.merge_into is None]
    merged = [g for g in gens if g.merge_into is not None]
    for batch in (first, merged):
        for g in batch:
            if g.merge_into is not None:
                g.lead.merged_into_id = gens[g.merge_into].lead.pk
        for lo in range(0, len(batch), CHUNK):
            Lead.objects.bulk_create([g.lead for g in batch[lo : lo + CHUNK]])
    for g in merged:  # the main lead's timeline learns of the duplicate
        main = gens[g.merge_into]
        at = next(e[1] for e in g.events if e[4].get("to") == S.MERGED)
        text = f"重复线索 {g.lead.number or '（未登记网上举报）'} 并入本线索"
        main.events.append((EventKind.NOTE, at, None, text, {"merged": g.lead.pk}))
    p.progress(f"leads: {len(gens):,} written")

    counts = {"leads": len(gens)}
    counts["subjects"] = _write(
        LeadSubject,
        ["lead_id", "officer_id", "name", "unit_name"],
        [(g.lead.pk, o, n, u) for g in gens for o, n, u in g.subjects],
    )
    counts["candidates"] = _candidates(gens)
    events = [
        (g.lead.pk, kind, at, actor, text, "", data)
        for g in gens
        for kind, at, actor, text, data in sorted(g.events, key=lambda e: e[1])
    ]
    counts["events"] = _write(
        LeadEvent, ["lead_id", "kind", "at", "actor_id", "text", "participants", "data"], events
    )
    sigs = [
        Signature(
            lead_id=g.lead.pk,
            role=role,
            signer_id=user,
            signer_name=name,
            signed_at=at,
            text_hash=g.lead.conclusion_hash(),
        )
        for g in gens
        for role, user, name, at in g.signatures
    ]
    Signature.objects.bulk_create(sigs, batch_size=CHUNK)
    counts["signatures"] = len(sigs)
    originals = [
        LeadOriginal(
            lead_id=g.lead.pk,
            text=g.lead.summary,
            subject_name=g.original[0],
            subject_unit=g.original[1],
            category=g.original[2],
            submitted_at=g.lead.created_at,
        )
        for g in gens
        if g.original
    ]
    LeadOriginal.objects.bulk_create(originals, batch_size=CHUNK)
    counts["originals"] = len(originals)
    counts["grams"] = _write(
        LeadGram,
        ["lead_id", "gram"],
        [
            (g.lead.pk, gram)
            for g in gens
            for gram in sorted(grams(g.lead.summary))
            if len(gram) <= 8
        ],
    )
    p.audit_targets["leads.lead"] = [g.lead.pk for g in gens]
    p.progress(f"leads: {counts}")
    return counts


def _statuses(rng: random.Random, total: int) -> list[str]:
    """`total` final states in their shares (SHARES), each at least once, shuffled."""
    weight = sum(w for _, w in SHARES)
    counts = {s: max(1, total * w // weight) for s, w in SHARES}
    counts[S.HANDLING] += total - sum(counts.values())
    out = [s for s, n in counts.items() for _ in range(n)]
    rng.shuffle(out)
    return out


def _numbers(p: Province, gens: list[_Gen]) -> None:
    """`<office short name>-<year>-<0001>` in the order of registration, per office and year
    of receipt (lead_next_number), and the counters left where the numbering stopped."""
    offices = {}
    numbered = [g for g in gens if g.lead.registered_at is not None]
    numbered.sort(key=lambda g: (g.lead.office_id, g.lead.registered_at))
    last: dict[tuple[int, int], int] = defaultdict(int)
    for g in numbered:
        office = g.lead.office
        offices[office.pk] = office
        key = (office.pk, g.lead.received_date.year)
        last[key] += 1
        g.lead.number = f"{office.short_name}-{key[1]}-{last[key]:04d}"
    LeadCounter.objects.bulk_create(
        [LeadCounter(office_id=o, year=y, last=n) for (o, y), n in sorted(last.items())]
    )


def _candidates(gens: list[_Gen]) -> int:
    """The recusal candidates, as lead_subject_candidates_sync writes them: a linked subject
    is that officer (confirmed); a typed name or number is matched against the WHOLE
    register, every officer it may mean pending (or ruled out where intake did so)."""
    keys = {_subject_key(n) for g in gens for o, n, _u in g.subjects if not o}
    keys.discard("")
    by_key: dict[str, list[int]] = defaultdict(list)
    ordered = sorted(keys)
    for lo in range(0, len(ordered), 2000):
        part = ordered[lo : lo + 2000]
        for pk, name, number in Officer.objects.filter(
            Q(name__in=part) | Q(number__in=part)
        ).values_list("id", "name", "number"):
            for key in {_subject_key(name), _subject_key(number)} & keys:
                by_key[key].append(pk)
    rows = []
    for g in gens:
        wanted: dict[int, tuple[str, str]] = {}
        for officer_id, name, _unit in g.subjects:
            if officer_id:
                wanted[officer_id] = (name, CandidateState.CONFIRMED)
        for officer_id, name, _unit in g.subjects:
            if officer_id:
                continue
            state = CandidateState.RULED_OUT if name in g.ruled_out else CandidateState.PENDING
            for pk in sorted(by_key.get(_subject_key(name), [])):
                wanted.setdefault(pk, (name, state))
        lead = g.lead
        decided = max(lead.registered_at or lead.created_at, lead.screened_at or lead.created_at)
        for officer_id, (name, state) in wanted.items():
            ruled = state == CandidateState.RULED_OUT
            rows.append(
                (g.lead.pk, officer_id, name[:100], state, None, decided if ruled else None)
            )
    return _write(
        LeadSubjectCandidate,
        ["lead_id", "officer_id", "name", "state", "decided_by_id", "decided_at"],
        rows,
    )


def fingerprint(p: Province) -> list:
    """What the same seed must reproduce (tests): the leads and their rows, in order."""
    leads = list(
        Lead.objects.filter(office__jurisdiction__path__startswith=p.root.path)
        .order_by("number", "received_date", "summary", "id")
        .values_list(
            "number", "status", "category", "received_date", "summary", "deadline", "conclusion"
        )
    )
    digest = hashlib.sha256(repr(leads).encode()).hexdigest()
    return [len(leads), digest]
