"""`python manage.py bench leads_similar --leads 50000`: smart-screening latency (L3).

Builds an office with `--leads` synthetic leads (summaries assembled from realistic
fragments, one or two subject officers each) and their n-gram rows, then times
`similar_leads` for reworded summaries and for subject officers. Run inside bench's
rolled-back transaction, so nothing is left behind.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandParser
from django.db import connection
from django.db.models import F
from django.test import Client

from leads.models import Channel, Lead, LeadCategory, LeadStatus, LeadSubject
from leads.rules.screening import lead_grams_sync, similar_leads
from leads.services import lead_subject_candidates_sync
from rectify.models import Office, Officer, Role, RoleAssignment, Unit, UnitKind, UnitLevel, User

if TYPE_CHECKING:
    from collections.abc import Callable

PEOPLE = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
PLACES = ["开发区法院", "海港区检察院", "北戴河公安分局", "某派出所", "司法局", "看守所", "监狱"]
ACTS = [
    "利用职务便利插手其亲属的民间借贷纠纷案件",
    "向承办法官打招呼过问案件",
    "配偶经营KTV并为其提供保护",
    "违规入股煤矿企业获取分红",
    "违规出借资金收取高额利息",
    "在减刑假释材料中弄虚作假",
    "接警后不出警有案不立",
    "对已立案件长期压案不查",
    "离任后以律师身份充当司法掮客",
    "与黑恶势力往来密切充当保护伞",
    "收受当事人财物后徇私枉法",
    "违规为服刑人员办理暂予监外执行",
    "工作日饮酒并驾驶公车",
    "对群众诉求推诿扯皮",
]
TAILS = ["，群众反映强烈", "，多次向有关部门反映未果", "，涉及金额较大", "，请组织核查", ""]


def _summary(rng: random.Random, name: str) -> str:
    acts = "，并".join(rng.sample(ACTS, rng.randint(1, 2)))
    return f"反映{rng.choice(PLACES)}干警{name}{acts}{rng.choice(TAILS)}。"


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("--leads", type=int, default=50_000)
    parser.add_argument("--officers", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)


def build(options: dict[str, Any], rng: random.Random) -> dict:
    """The synthetic office: a district, `--officers` officers, `--leads` leads (with subjects
    and n-gram rows). Returns what the benchmarks need."""
    start = time.perf_counter()
    region = Unit.objects.add_root(
        {
            "code": "BENCH-LEADS",
            "name": "基准区",
            "kind": UnitKind.REGION,
            "level": UnitLevel.DISTRICT,
        }
    )
    office = Office.objects.create(
        name="基准区办", short_name="基准区", host_unit=region, jurisdiction=region
    )
    user = User.objects.create(username="bench-leads-intake")
    RoleAssignment.objects.create(user=user, role=Role.INTAKE, unit=region, office=office)
    channel, _ = Channel.objects.get_or_create(code="hotline", defaults={"name": "举报电话"})
    names = [rng.choice(PEOPLE) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(2000)]
    officers = Officer.objects.bulk_create(
        [
            Officer(number=f"BL{i:06d}", name=names[i % len(names)], unit=region)
            for i in range(options["officers"])
        ],
        batch_size=2000,
    )
    day0 = dt.date(2021, 3, 1)
    total = options["leads"]
    texts, subjects = [], []
    for offset in range(0, total, 5000):
        batch = []
        for i in range(offset, min(total, offset + 5000)):
            who = rng.sample(officers, rng.choice((1, 1, 1, 2)))
            text = _summary(rng, who[0].name)
            batch.append(
                Lead(
                    number=f"基准区-{i:06d}",
                    office=office,
                    channel=channel,
                    received_date=day0 + dt.timedelta(days=i % 300),
                    summary=text,
                )
            )
            subjects.append(who)
            texts.append(text)
        created = Lead.objects.bulk_create(batch, batch_size=1000)
        LeadSubject.objects.bulk_create(
            [
                LeadSubject(lead=lead, officer=o, name=o.name)
                for lead, who in zip(created, subjects[offset:], strict=False)
                for o in who
            ],
            batch_size=2000,
        )
        # The recusal table is written with the subjects, as every real writer does.
        lead_subject_candidates_sync(lead_ids=[lead.pk for lead in created])
        lead_grams_sync(leads=created)
    return {
        "region": region,
        "office": office,
        "user": user,
        "officers": officers,
        "texts": texts,
        "subjects": subjects,
        "setup_s": round(time.perf_counter() - start, 2),
    }


def _timed(fn: Callable[[], object], repeat: int) -> dict:
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - begin) * 1000)
    samples.sort()
    return {"median_ms": round(samples[len(samples) // 2], 1), "max_ms": round(samples[-1], 1)}


def run(options: dict[str, Any]) -> dict:
    rng = random.Random(7)
    built = build(options, rng)
    user, texts, subjects = built["user"], built["texts"], built["subjects"]
    total = options["leads"]
    setup_s = built["setup_s"]

    def timed(fn: Callable[[], object]) -> dict:
        return _timed(fn, options["repeat"])

    probe = rng.randrange(total)
    reworded = texts[probe].replace("反映", "").replace("干警", "民警") + "要求严查"
    found = similar_leads(text=reworded, user=user)
    return {
        "benchmark": "leads_similar",
        "database": connection.vendor,
        "leads": total,
        "setup_s": setup_s,
        "probe_found_first": bool(found) and found[0].lead.number == f"基准区-{probe:06d}",
        "text": timed(lambda: similar_leads(text=reworded, user=user)),
        "text_and_officer": timed(
            lambda: similar_leads(
                text=reworded, officer_ids=[o.pk for o in subjects[probe]], user=user
            )
        ),
        "officer_only": timed(
            lambda: similar_leads(text="", officer_ids=[subjects[probe][0].pk], user=user)
        ),
    }


def run_ledger(options: dict[str, Any]) -> dict:
    """`bench leads_ledger`: the pages an office and a leader open every day, end to end
    (view, queries, template) through the test client, on `--leads` leads of which a third
    are in handling (a tenth of those overdue), a third concluded and the rest unscreened."""
    rng = random.Random(11)
    built = build(options, rng)
    region, user, officers = built["region"], built["user"], built["officers"]
    handler = officers[0]
    leader = User.objects.create(username="bench-leads-leader")
    RoleAssignment.objects.create(user=leader, role=Role.LEADER, unit=region)
    RoleAssignment.objects.create(user=user, role=Role.OFFICE, unit=region, office=built["office"])
    categories = LeadCategory.values
    ids = list(Lead.objects.filter(office=built["office"]).values_list("id", flat=True))
    for n, part in enumerate((ids[0::3], ids[1::3])):
        status = LeadStatus.HANDLING if n == 0 else LeadStatus.CONCLUDED
        Lead.objects.filter(pk__in=part).update(
            status=status,
            handling_unit=region,
            handler=handler,
            deadline=F("received_date") + dt.timedelta(days=60),
            category=rng.choice(categories),
            screened_at=dt.datetime(2021, 3, 2, tzinfo=dt.UTC),
            last_activity_at=dt.datetime(2021, 3, 2, tzinfo=dt.UTC),
        )
    timed = {}
    for who, account in (("office", user), ("leader", leader)):
        client = Client()
        client.force_login(account)
        for name, url in (
            ("ledger", "/leads/"),
            ("ledger_filtered", "/leads/?status=open&category=chronic&q=KTV"),
            ("oversight_board", "/leads/oversight/"),
            ("home", "/"),
        ):
            response = client.get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            timed[f"{who}_{name}"] = _timed(lambda c=client, u=url: c.get(u), options["repeat"])
        if who == "office":
            timed["office_intake_queue"] = _timed(
                lambda c=client: c.get("/leads/intake/"), options["repeat"]
            )
    return {
        "benchmark": "leads_ledger",
        "database": connection.vendor,
        "leads": options["leads"],
        "setup_s": built["setup_s"],
        **timed,
    }
