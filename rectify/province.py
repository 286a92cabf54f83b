"""A synthetic province at a chosen scale, generated deterministically and in bulk (#14).

`python manage.py generate_province --scale {town,district,city,province} [--seed N]` builds
a unit tree of its own (a fictional province root, so it sits beside the demo), its offices,
officers (8% leading cadres), a small cast of accounts and, through each app's part
(`<app>.dev.province.generate(p)`, named in PARTS so the core imports no app), the campaign's
self-check reports, leads, remediation items and leaders' work; then audit events over what the
parts wrote, and the per-unit counters and snapshots recomputed from the rows.

Everything goes in one transaction, so a dataset is either complete or absent: running the
same seed and scale twice finds the root and changes nothing. The clock is fixed per dataset
(`Province.now`), so the same seed gives the same rows whatever day it runs.

`Province.load(seed, scale)` finds a generated dataset again (the bench command uses it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from importlib import import_module
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from . import figures
from .models import (
    AuditVerb,
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

# The apps' parts, in the order they run (a later part may read what an earlier one wrote).
PARTS = ("selfcheck.dev.province", "leads.dev.province", "remediation.dev.province")
PARTS_LATE = ("leadership.dev.province",)
BENCH_PASSWORD = "rectify-bench"
SHANGHAI = ZoneInfo("Asia/Shanghai")
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

CITIES = [
    "石城市",
    "唐原市",
    "秦海市",
    "邯川市",
    "邢台山市",
    "保阳市",
    "张口市",
    "承平市",
    "沧澜市",
    "廊川市",
    "衡安市",
]
SYLLABLES = "安平宁和兴盛华清江河山川新丰永长乐康德泰明阳东西南北中高桥林"
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌宇浩凯鹏辉"
    "晓俊玉兰海燕雪梅飞鑫琳婷博亮峰波宁欣怡佳慧子轩梓涵雨泽思诗一诺晨瑞嘉"
)


@dataclass(frozen=True)
class Scale:
    name: str
    letter: str
    districts: tuple[int, ...]  # districts per city (one entry per city)
    stations: int  # police stations per district police bureau
    prisons: int  # prisons under the provincial prison administration
    officers: int
    leads: int
    items: int
    audit_events: int

    @property
    def reports(self) -> int:
        return self.officers


SCALES = {
    s.name: s
    for s in [
        Scale("town", "T", (1,), 2, 1, 300, 100, 60, 2_000),
        Scale("district", "D", (1,), 5, 1, 1_500, 500, 300, 10_000),
        Scale("city", "C", (14,), 5, 2, 15_000, 5_000, 3_000, 100_000),
        Scale("province", "P", (14,) * 7 + (13,) * 4, 5, 10, 150_000, 50_000, 30_000, 1_000_000),
    ]
}
# Relative headcount of each kind of unit (officers are spread over units by these weights).
WEIGHTS = {
    UnitKind.COMMITTEE: 12,
    UnitKind.COURT: 70,
    UnitKind.PROCURATORATE: 50,
    UnitKind.POLICE: 90,
    UnitKind.JUSTICE: 30,
    UnitKind.PRISON: 250,
    UnitKind.STATION: 55,
    UnitKind.DIVISION: 25,
    UnitKind.OTHER: 10,
}
ORGANS = [
    ("ZFW", UnitKind.COMMITTEE, "政法委", "书记"),
    ("FY", UnitKind.COURT, "人民法院", "院长"),
    ("JCY", UnitKind.PROCURATORATE, "人民检察院", "检察长"),
    ("GA", UnitKind.POLICE, "公安局", "局长"),
    ("SFJ", UnitKind.JUSTICE, "司法局", "局长"),
]
HEAD_TITLE = {kind: title for _, kind, _, title in ORGANS} | {
    UnitKind.PRISON: "监狱长",
    UnitKind.STATION: "所长",
    UnitKind.DIVISION: "庭长",
    UnitKind.OTHER: "所长",
}
CAST_ROLES = {
    # key: (role, where: "root" | "district" | "organ", office: "root" | "district" | None)
    "officer": (Role.OFFICER, "organ", None),
    "cadre": (Role.OFFICER, "organ", None),
    "reviewer": (Role.REVIEWER, "district", None),
    "intake": (Role.INTAKE, "root", "root"),
    "office": (Role.OFFICE, "root", "root"),
    "handler": (Role.HANDLER, "root", "root"),
    "d_intake": (Role.INTAKE, "district", "district"),
    "d_office": (Role.OFFICE, "district", "district"),
    "d_handler": (Role.HANDLER, "district", "district"),
    "unithead": (Role.UNIT_HEAD, "organ", None),
    "leader": (Role.LEADER, "root", None),
    "d_leader": (Role.LEADER, "district", None),
    "admin": (Role.ADMIN, "root", None),
}


def _step(n: int) -> str:
    out = ""
    for _ in range(Unit.steplen):
        n, r = divmod(n, len(ALPHABET))
        out = ALPHABET[r] + out
    return out


def _unstep(s: str) -> int:
    n = 0
    for ch in s:
        n = n * len(ALPHABET) + ALPHABET.index(ch)
    return n


def chunks(seq: list, size: int = 5000) -> Iterator[list]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


@dataclass
class Province:
    """One generated dataset: what the parts write into and what the bench reads."""

    seed: int
    scale: Scale
    campaign: Campaign
    root: Unit
    progress: Callable[[str], None] = print
    audit_targets: dict[str, list] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return f"G{self.seed}{self.scale.letter}"

    @property
    def now(self) -> dt.datetime:
        """The dataset's clock: fixed, so the same seed writes the same rows any day. It is
        after the cadres' self-check deadline and before everyone's, so both late and
        pending reports exist."""
        return dt.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)

    @property
    def today(self) -> dt.date:
        return self.now.date()

    def rng(self, part: str) -> random.Random:
        digest = hashlib.sha256(f"{self.seed}:{self.scale.name}:{part}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    def at(self, day: dt.date, rng: random.Random) -> dt.datetime:
        """A working-hours moment on `day`."""
        return dt.datetime.combine(
            day, dt.time(8 + rng.randrange(10), rng.randrange(60)), tzinfo=SHANGHAI
        )

    def day_between(self, rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days + 1)))

    @cached_property
    def units(self) -> list[Unit]:
        return list(Unit.objects.filter(path__startswith=self.root.path).order_by("path"))

    def units_of(
        self, *, kinds: Iterable[str] | None = None, levels: Iterable[str] | None = None
    ) -> list[Unit]:
        return [
            u
            for u in self.units
            if (kinds is None or u.kind in kinds) and (levels is None or u.level in levels)
        ]

    @cached_property
    def regions(self) -> list[Unit]:
        return [u for u in self.units if u.kind == UnitKind.REGION]

    @cached_property
    def offices(self) -> list[Office]:
        return list(
            Office.objects.filter(jurisdiction__path__startswith=self.root.path)
            .select_related("jurisdiction", "host_unit")
            .order_by("jurisdiction__path")
        )

    def office_for(self, unit: Unit) -> Office:
        """The office whose jurisdiction is the nearest region above (or at) `unit`."""
        best = None
        for office in self.offices:
            inside = unit.path.startswith(office.jurisdiction.path)
            if inside and (best is None or office.jurisdiction.depth > best.jurisdiction.depth):
                best = office
        assert best is not None
        return best

    @cached_property
    def officer_rows(self) -> list[tuple[int, int, bool]]:
        """(officer id, unit id, is leading cadre) of every officer, by id."""
        return list(
            Officer.objects.filter(unit__path__startswith=self.root.path)
            .order_by("pk")
            .values_list("pk", "unit_id", "is_leading_cadre")
        )

    @cached_property
    def district(self) -> Unit:
        """The first district: the scope of the cast's district roles."""
        return next(u for u in self.units if u.level == UnitLevel.DISTRICT)

    @cached_property
    def organ(self) -> Unit:
        """The first district's police bureau: the cast's officer and unit head work there."""
        return next(
            u
            for u in self.units
            if u.kind == UnitKind.POLICE and u.path.startswith(self.district.path)
        )

    def user(self, key: str) -> User:
        return User.objects.get(username=self.username(key))

    def username(self, key: str) -> str:
        return f"{self.prefix.lower()}-{key}"

    def officer_of(self, key: str) -> Officer:
        return Officer.objects.get(user__username=self.username(key))

    @classmethod
    def root_code(cls, seed: int, scale: Scale) -> str:
        return f"G{seed}{scale.letter}"

    @classmethod
    def load(cls, seed: int, scale_name: str, progress: Callable[[str], None] = print):
        scale = SCALES[scale_name]
        root = Unit.objects.filter(code=cls.root_code(seed, scale)).first()
        if root is None:
            return None
        campaign = figures.current_campaign()
        return cls(seed=seed, scale=scale, campaign=campaign, root=root, progress=progress)


# --- building -----------------------------------------------------------------------------


def _campaign() -> Campaign:
    current = figures.current_campaign()
    if current is not None:
        return current
    return Campaign.objects.create(
        name="2026年政法队伍教育整顿（基准数据）",
        is_current=True,
        study_start=dt.date(2026, 9, 1),
        study_end=dt.date(2026, 9, 30),
        rectify_start=dt.date(2026, 10, 1),
        rectify_end=dt.date(2027, 1, 31),
        summary_start=dt.date(2027, 2, 1),
        summary_end=dt.date(2027, 2, 28),
        selfcheck_start=dt.date(2026, 10, 8),
        selfcheck_deadline=dt.date(2026, 11, 30),
        cadre_deadline=dt.date(2026, 11, 20),
    )


def _tree(seed: int, scale: Scale, rng: random.Random) -> list[Unit]:
    """The units in path order, with treebeard paths, depths and child counts."""
    taken = Unit.objects.filter(depth=1).values_list("path", flat=True)
    root_path = _step(max([_unstep(p) for p in taken] + [0]) + 1)
    code = Province.root_code(seed, scale)
    nodes: list[Unit] = []
    kids: dict[str, int] = {}

    def add(parent: Unit | None, suffix: str, name: str, kind: str, level: str) -> Unit:
        if parent is None:
            path, depth = root_path, 1
        else:
            kids[parent.path] += 1
            path, depth = parent.path + _step(kids[parent.path]), parent.depth + 1
        unit = Unit(
            code=f"{parent.code}-{suffix}" if parent else code,
            name=name,
            kind=kind,
            level=level,
            path=path,
            depth=depth,
            numchild=0,
        )
        kids[path] = 0
        nodes.append(unit)
        return unit

    def organs(region: Unit, level: str, stations: int) -> None:
        short = region.name
        for suffix, kind, label, _ in ORGANS:
            organ = add(region, suffix, f"{short}{label}", kind, level)
            if level != UnitLevel.DISTRICT:
                continue
            if kind == UnitKind.POLICE:
                for i in range(stations):
                    town = rng.choice(SYLLABLES) + rng.choice(SYLLABLES)
                    add(organ, f"{i + 1:02d}", f"{town}派出所", UnitKind.STATION, "subunit")
            elif kind == UnitKind.COURT:
                add(organ, "T1", f"{short}人民法院刑事审判庭", UnitKind.DIVISION, "subunit")
            elif kind == UnitKind.JUSTICE:
                add(organ, "S1", f"{short}城关司法所", UnitKind.OTHER, "subunit")

    province = add(None, "", f"燕赵省（基准{scale.letter}{seed}）", UnitKind.REGION, "province")
    organs(province, UnitLevel.PROVINCE, 0)
    prison_admin = add(province, "JYJ", "燕赵省监狱管理局", UnitKind.PRISON, "province")
    for i in range(scale.prisons):
        add(prison_admin, f"{i + 1:02d}", f"燕赵省第{i + 1}监狱", UnitKind.PRISON, "subunit")
    used: set[str] = set()  # district names are unique in the province (offices' short names)
    for c, n_districts in enumerate(scale.districts):
        city = add(province, f"C{c + 1:02d}", CITIES[c], UnitKind.REGION, "city")
        organs(city, UnitLevel.CITY, 0)
        add(city, "KSS", f"{city.name}看守所", UnitKind.POLICE, "subunit")
        for d in range(n_districts):
            name = ""
            while not name or name in used:
                name = rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice("区县")
            used.add(name)
            district = add(city, f"D{d + 1:02d}", name, UnitKind.REGION, "district")
            organs(district, UnitLevel.DISTRICT, scale.stations)
    for node in nodes:
        node.numchild = kids[node.path]
    return nodes


def _person(rng: random.Random) -> str:
    """A name with about as many namesakes as in a real province: mostly three characters
    (a two-character given name), some two. Recusal matches typed names against the whole
    register, so too few names would make every lead name dozens of officers."""
    given = 1 if rng.random() < 0.15 else 2
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(given))


def _officers(p: Province, rng: random.Random) -> list[Officer]:
    working = [u for u in p.units if u.kind != UnitKind.REGION]
    weights = [WEIGHTS.get(u.kind, 10) for u in working]
    total = sum(weights)
    shares = [p.scale.officers * w / total for w in weights]
    counts = [int(s) for s in shares]
    for i in sorted(range(len(working)), key=lambda i: counts[i] - shares[i])[
        : p.scale.officers - sum(counts)
    ]:
        counts[i] += 1
    officers: list[Officer] = []
    for unit, n in zip(working, counts, strict=True):
        for j in range(n):
            head = j < 2
            cadre = head or rng.random() < 0.065
            officers.append(
                Officer(
                    number=f"{p.prefix}{len(officers) + 1:07d}",
                    name=_person(rng),
                    unit=unit,
                    position=(
                        HEAD_TITLE.get(unit.kind, "负责人")
                        if j == 0
                        else "副职"
                        if cadre
                        else rng.choice(["科员", "民警", "法官助理", "书记员"])
                    ),
                    post_since=p.today - dt.timedelta(days=rng.randrange(30, 365 * 9)),
                    is_leading_cadre=cadre,
                )
            )
    return officers


def _cast(p: Province) -> None:
    password = make_password(BENCH_PASSWORD)
    offices = {"root": p.office_for(p.root), "district": p.office_for(p.district)}
    scopes = {"root": p.root, "district": p.district, "organ": p.organ}
    plain = list(
        Officer.objects.filter(unit=p.organ, is_leading_cadre=False).order_by("pk")[:1]
    ) + list(Officer.objects.filter(unit=p.organ, is_leading_cadre=True).order_by("pk")[:1])
    for key, (role, where, office) in CAST_ROLES.items():
        user = User.objects.create(
            username=p.username(key),
            password=password,
            first_name=key,
            is_superuser=key == "admin",
            is_staff=key == "admin",
        )
        RoleAssignment.objects.create(
            user=user,
            role=role,
            unit=scopes[where],
            office=offices[office] if office else None,
            granted_at=p.now,
        )
        if key in ("officer", "cadre"):
            officer = plain[0] if key == "officer" else plain[1]
            officer.user = user
            officer.save(update_fields=["user"])


def _offices(p: Province) -> None:
    committees = {u.path[: -Unit.steplen]: u for u in p.units if u.kind == UnitKind.COMMITTEE}
    Office.objects.bulk_create(
        [
            Office(
                name=f"{region.name}教育整顿领导小组办公室",
                short_name=f"{region.name[:12]}·{p.scale.letter}{p.seed}",
                host_unit=committees[region.path],
                jurisdiction=region,
            )
            for region in p.regions
        ]
    )


def _audit(p: Province, rng: random.Random) -> int:
    """`scale.audit_events` events over what the parts wrote: reads, exports and changes,
    spread over the campaign so far, chained and signed like any other event."""
    from .audit import append_many

    cast = list(User.objects.filter(username__startswith=f"{p.prefix.lower()}-"))
    targets = [(t, ids) for t, ids in sorted(p.audit_targets.items()) if ids] or [
        ("rectify.officer", [r[0] for r in p.officer_rows])
    ]
    verbs = [AuditVerb.READ] * 6 + [AuditVerb.CHANGE] * 2 + [AuditVerb.CREATE, AuditVerb.EXPORT]
    start = p.now - dt.timedelta(days=45)
    span = int((p.now - start).total_seconds())
    n = p.scale.audit_events
    offsets = sorted(rng.randrange(span) for _ in range(n))
    written = 0
    for lo in range(0, n, 20_000):
        batch = []
        for off in offsets[lo : lo + 20_000]:
            object_type, ids = targets[rng.randrange(len(targets))]
            verb = rng.choice(verbs)
            actor = rng.choice(cast)
            batch.append(
                {
                    "at": start + dt.timedelta(seconds=off),
                    "actor": actor,
                    "verb": str(verb),
                    "action": f"{object_type}.{verb}",
                    "object_type": object_type,
                    "object_id": str(rng.choice(ids)),
                    "summary": {"generated": True},
                }
            )
        written += append_many(batch)
        if written % 100_000 == 0 or written == n:
            p.progress(f"audit events: {written:,}/{n:,}")
    return written


def _analyze() -> str:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return connection.vendor


def generate(seed: int, scale_name: str, progress: Callable[[str], None] = print) -> dict:
    """Build the dataset (or find it already built). Returns what was written."""
    scale = SCALES[scale_name]
    started = time.monotonic()
    existing = Province.load(seed, scale_name, progress)
    if existing is not None:
        progress(f"{existing.root.name} already present (seed {seed}); nothing changed")
        return {"created": False, "root": existing.root.code}

    def step(label: str, fn: Callable[[], object]) -> object:
        t0 = time.monotonic()
        result = fn()
        progress(f"{label}: {result} ({time.monotonic() - t0:.1f} s)")
        return result

    counts: dict[str, object] = {}
    rng = random.Random(hashlib.sha256(f"{seed}:{scale_name}:core".encode()).digest())
    with transaction.atomic():
        campaign = _campaign()
        nodes = _tree(seed, scale, rng)
        Unit.objects.bulk_create(nodes, batch_size=2000)
        root = Unit.objects.get(code=Province.root_code(seed, scale))
        p = Province(seed=seed, scale=scale, campaign=campaign, root=root, progress=progress)
        counts["units"] = len(p.units)
        progress(f"units: {counts['units']:,}")
        _offices(p)
        officers = _officers(p, rng)
        for chunk in chunks(officers, 5000):
            Officer.objects.bulk_create(chunk)
        counts["officers"] = len(officers)
        progress(f"officers: {len(officers):,}")
        heads: dict[int, list[int]] = {}
        for pk, unit_id, cadre in p.officer_rows:
            if cadre:
                heads.setdefault(unit_id, []).append(pk)
        by_path = {u.path: u for u in p.units}
        for unit in p.units:
            # The region's committee head answers for the region; each unit's own head is
            # first responsible, its deputy directly responsible.
            source = unit
            if unit.kind == UnitKind.REGION:
                source = next(
                    (
                        by_path[path]
                        for path in sorted(by_path)
                        if path.startswith(unit.path)
                        and len(path) == len(unit.path) + Unit.steplen
                        and by_path[path].kind == UnitKind.COMMITTEE
                    ),
                    unit,
                )
            own = heads.get(source.pk, [])
            unit.primary_responsible_id = own[0] if own else None
            unit.direct_responsible_id = own[1] if len(own) > 1 else unit.primary_responsible_id
        Unit.objects.bulk_update(
            p.units, ["primary_responsible", "direct_responsible"], batch_size=2000
        )
        _cast(p)
        for module_name in PARTS + PARTS_LATE:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as exc:
                if not (exc.name and module_name.startswith(exc.name)):
                    raise
                continue
            name = module_name.split(".")[0]
            counts[name] = step(name, lambda module=module: module.generate(p))
        counts["audit_events"] = step("audit", lambda: _audit(p, rng))
        counts["figures"] = step("figures", lambda: figures.rebuild(campaign=campaign))
        counts["snapshots"] = step("snapshots", lambda: figures.snapshot(campaign=campaign))
    # Fresh planner statistics: without them PostgreSQL plans the new tables as if empty
    # (a ledger page measured 29 ms before and 7 ms after), as autovacuum would only later.
    step("analyze", _analyze)
    counts["seconds"] = round(time.monotonic() - started, 1)
    counts["created"] = True
    counts["root"] = root.code
    progress(f"done in {counts['seconds']} s")
    return counts
