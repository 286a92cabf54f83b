"""The demo province (河北省 → 秦皇岛市 → three districts), deterministic and idempotent.

Everything is keyed on stable codes (units), numbers (officers) and usernames (accounts),
so a second run finds what the first created and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from .models import (
    Campaign,
    Office,
    Officer,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
    UnitLevel,
    User,
)

DEMO_PASSWORD = "rectify-demo"
SEED = 2021

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志强海燕文斌鹏辉宇浩凯健俊峰雪梅晨阳欣怡思琪子涵佳琪博文天宇"

DISTRICTS = [("QHD-HG", "海港区"), ("QHD-BDH", "北戴河区"), ("QHD-KFQ", "秦皇岛经济技术开发区")]
DISTRICT_SHORT = {"QHD-HG": "海港区", "QHD-BDH": "北戴河区", "QHD-KFQ": "开发区"}

# (suffix, name suffix, kind, stations)
DISTRICT_UNITS = [
    ("ZFW", "委政法委", UnitKind.COMMITTEE, 0),
    ("FY", "人民法院", UnitKind.COURT, 0),
    ("JCY", "人民检察院", UnitKind.PROCURATORATE, 0),
    ("GA", "公安分局", UnitKind.POLICE, 3),
    ("SFJ", "司法局", UnitKind.JUSTICE, 0),
]
CITY_UNITS = [
    ("QHD-ZFW", "秦皇岛市委政法委", UnitKind.COMMITTEE),
    ("QHD-FY", "秦皇岛市中级人民法院", UnitKind.COURT),
    ("QHD-JCY", "秦皇岛市人民检察院", UnitKind.PROCURATORATE),
    ("QHD-GA", "秦皇岛市公安局", UnitKind.POLICE),
    ("QHD-SFJ", "秦皇岛市司法局", UnitKind.JUSTICE),
    ("QHD-JY", "秦皇岛监狱", UnitKind.PRISON),
]
STATION_NAMES = ["城区派出所", "临港派出所", "海滨派出所"]
POSITIONS = {
    UnitKind.COMMITTEE: (["书记", "常务副书记"], ["科长", "副科长", "科员", "科员"]),
    UnitKind.COURT: (["院长", "副院长"], ["庭长", "审判员", "法官助理", "书记员"]),
    UnitKind.PROCURATORATE: (["检察长", "副检察长"], ["部主任", "检察官", "检察官助理", "书记员"]),
    UnitKind.POLICE: (["局长", "副局长"], ["大队长", "民警", "民警", "辅警"]),
    UnitKind.STATION: (["所长", "教导员"], ["副所长", "民警", "民警", "社区民警"]),
    UnitKind.JUSTICE: (["局长", "副局长"], ["科长", "科员", "司法所所长", "科员"]),
    UnitKind.PRISON: (["监狱长", "政委"], ["监区长", "狱警", "狱警", "教育科干警"]),
}


@dataclass
class SeedResult:
    created_units: int = 0
    created_officers: int = 0
    created_users: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created_units or self.created_officers or self.created_users)


def _unit(result: SeedResult, code: str, name: str, kind: str, level: str, parent: Unit | None):
    existing = Unit.objects.filter(code=code).first()
    if existing:
        return existing
    fields = {"code": code, "name": name, "kind": kind, "level": level}
    result.created_units += 1
    if parent is None:
        return Unit.objects.add_root(fields)
    parent.refresh_from_db()
    return Unit.objects.add_child(parent, fields)


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def build_tree(result: SeedResult) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    units["HB"] = _unit(result, "HB", "河北省", UnitKind.REGION, UnitLevel.PROVINCE, None)
    units["QHD"] = _unit(result, "QHD", "秦皇岛市", UnitKind.REGION, UnitLevel.CITY, units["HB"])
    for code, name, kind in CITY_UNITS:
        units[code] = _unit(result, code, name, kind, UnitLevel.CITY, units["QHD"])
    for dcode, dname in DISTRICTS:
        units[dcode] = _unit(
            result, dcode, dname, UnitKind.REGION, UnitLevel.DISTRICT, units["QHD"]
        )
        short = dname if dcode != "QHD-KFQ" else "开发区"
        for suffix, label, kind, stations in DISTRICT_UNITS:
            if suffix == "ZFW" and dcode == "QHD-KFQ":
                label = "政法委"  # a development zone has a working committee, not a 区委
            name = f"{dname}{label}"
            code = f"{dcode}-{suffix}"
            units[code] = _unit(result, code, name, kind, UnitLevel.DISTRICT, units[dcode])
            for i in range(stations):
                scode = f"{code}-{i + 1:02d}"
                sname = f"{short}{STATION_NAMES[i]}"
                units[scode] = _unit(
                    result, scode, sname, UnitKind.STATION, UnitLevel.SUBUNIT, units[code]
                )
    # The provincial leading group's office sits at the provincial committee (made last, so the
    # random draws for the other units' officers stay as they were): the superior
    # to which 秦皇岛市 reports (O7).
    units["HB-ZFW"] = _unit(
        result, "HB-ZFW", "河北省委政法委", UnitKind.COMMITTEE, UnitLevel.PROVINCE, units["HB"]
    )
    return units


def build_offices(units: dict[str, Unit]) -> None:
    for code, short in [*DISTRICT_SHORT.items(), ("QHD", "秦皇岛市"), ("HB", "河北省")]:
        host = units[f"{code}-ZFW"]
        Office.objects.get_or_create(
            short_name=short,
            defaults={
                "name": f"{short}教育整顿领导小组办公室",
                "host_unit": host,
                "jurisdiction": units[code],
            },
        )


def build_officers(result: SeedResult, units: dict[str, Unit], rng: random.Random) -> None:
    """About 300 officers; numbers are stable so the seed is idempotent."""
    existing = set(Officer.objects.values_list("number", flat=True))
    new: list[Officer] = []
    serial = 0
    for code in sorted(units):
        unit = units[code]
        if unit.kind == UnitKind.REGION:
            continue
        leaders, staff = POSITIONS.get(unit.kind, (["负责人"], ["干警"]))
        size = 8 if unit.level == UnitLevel.SUBUNIT else 12
        for i in range(size):
            serial += 1
            number = f"QHD{serial:05d}"
            name = _name(rng)
            cadre = i < len(leaders)
            position = leaders[i] if cadre else staff[i % len(staff)]
            if code == "QHD-KFQ-GA" and i == 3:
                position = "纪检监察室民警"  # the demo handler (build_accounts picks this one)
            if number not in existing:
                new.append(
                    Officer(
                        number=number,
                        name=name,
                        unit=unit,
                        position=position,
                        is_leading_cadre=cadre,
                    )
                )
    Officer.objects.bulk_create(new)
    result.created_officers += len(new)
    # The first two officers of each unit (its leaders) carry responsibility there.
    first_two: dict[int, list[Officer]] = {}
    for officer in Officer.objects.filter(is_leading_cadre=True).order_by("number"):
        first_two.setdefault(officer.unit_id, []).append(officer)
    to_update = []
    for unit in units.values():
        people = first_two.get(unit.pk, [])
        if people and unit.primary_responsible_id is None:
            unit.primary_responsible = people[0]
            unit.direct_responsible = people[1] if len(people) > 1 else people[0]
            to_update.append(unit)
    Unit.objects.bulk_update(to_update, ["primary_responsible", "direct_responsible"])


@functools.cache
def _demo_hash() -> str:
    # Hashed once for the nine demo logins (a slow hash per account made seeding take seconds).
    return make_password(DEMO_PASSWORD)


def _account(result: SeedResult, username: str, officer: Officer | None, **flags) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, **flags)
        if officer is not None:
            user.first_name = officer.name
        user.password = _demo_hash()
        user.save()
        result.created_users += 1
    elif hasattr(user, "officer"):
        # A second run keeps the officer of the first: rotations in the demo may since have
        # moved another officer ahead of it in its unit (pick() orders by number).
        return user
    if officer is not None and officer.user_id is None:
        officer.user = user
        officer.save(update_fields=["user"])
    return user


def _grant(user: User, role: str, unit: Unit, office: Office | None = None) -> None:
    RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"office": office}
    )


def build_accounts(result: SeedResult, units: dict[str, Unit]) -> None:
    """One login per role, as listed in README.md."""
    kfq_office = Office.objects.get(short_name="开发区")
    bureau = units["QHD-KFQ-GA"]
    station = units["QHD-KFQ-GA-01"]

    def pick(unit: Unit, *, cadre: bool, skip: int = 0) -> Officer:
        qs = Officer.objects.filter(unit=unit, is_leading_cadre=cadre).order_by("number")
        return qs[skip]

    officer = pick(station, cadre=False)
    _grant(_account(result, "officer", officer), Role.OFFICER, station)
    cadre = pick(bureau, cadre=True, skip=1)  # the deputy director
    _grant(_account(result, "cadre", cadre), Role.OFFICER, bureau)
    head = bureau.primary_responsible or pick(bureau, cadre=True)
    user = _account(result, "unithead", head)
    _grant(user, Role.UNIT_HEAD, bureau)
    _grant(user, Role.OFFICER, bureau)
    handler = pick(bureau, cadre=False, skip=1)
    user = _account(result, "handler", handler)
    _grant(user, Role.HANDLER, bureau)
    _grant(user, Role.OFFICER, bureau)
    committee = units["QHD-KFQ-ZFW"]
    reviewer = pick(committee, cadre=False, skip=0)
    _grant(_account(result, "reviewer", reviewer), Role.REVIEWER, units["QHD-KFQ"])
    intake = pick(committee, cadre=False, skip=1)
    _grant(_account(result, "intake", intake), Role.INTAKE, units["QHD-KFQ"], kfq_office)
    office = pick(committee, cadre=False, skip=2)
    _grant(_account(result, "office", office), Role.OFFICE, units["QHD-KFQ"], kfq_office)
    leader = units["HB-ZFW"].primary_responsible or pick(units["HB-ZFW"], cadre=True)
    # The provincial leading group's leader: drills from the province down to a station.
    _grant(_account(result, "leader", leader), Role.LEADER, units["HB"])
    admin = _account(result, "admin", None, is_staff=True, is_superuser=True)
    _grant(admin, Role.ADMIN, units["HB"])


def build_campaign() -> Campaign:
    today = timezone.localdate()
    campaign = Campaign.objects.filter(name="秦皇岛市政法队伍教育整顿").first()
    if campaign:
        return campaign
    return Campaign.objects.create(
        name="秦皇岛市政法队伍教育整顿",
        is_current=not Campaign.objects.filter(is_current=True).exists(),
        study_start=today - dt.timedelta(days=60),
        study_end=today - dt.timedelta(days=21),
        rectify_start=today - dt.timedelta(days=20),
        rectify_end=today + dt.timedelta(days=40),
        summary_start=today + dt.timedelta(days=41),
        summary_end=today + dt.timedelta(days=70),
        selfcheck_start=today - dt.timedelta(days=20),
        cadre_deadline=today + dt.timedelta(days=5),
        selfcheck_deadline=today + dt.timedelta(days=15),
    )


@transaction.atomic
def seed_organisation() -> tuple[Campaign, SeedResult]:
    result = SeedResult()
    rng = random.Random(SEED)
    units = build_tree(result)
    build_offices(units)
    build_officers(result, units, rng)
    for unit in units.values():
        unit.refresh_from_db()
    build_accounts(result, units)
    campaign = build_campaign()
    return campaign, result
