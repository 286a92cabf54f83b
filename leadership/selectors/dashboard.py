"""The leaders' dashboard (O7, O2): a unit's levers and those of its children, sorted and lit
by the campaign's thresholds, the ranking with its change since the report period began, the
charts' data (snapshots and sub-key families) and who answers for each unit (O2).

Every figure comes from `levers` (the `_for` variants: what the user may not see is
subtracted), so a drill-down costs the same few queries however many children a unit has.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from leads.access import LEAD_READER_ROLES
from leads.selectors.ledger import ledger_channels
from rectify import access, figures
from rectify.models import Campaign, ChronicProblem, Role, Unit, UnitFigureDay
from rectify.selectors import unit_ancestors, unit_children_of
from remediation.access import ITEM_READER_ROLES
from remediation.selectors.ledger import responsible_officers
from selfcheck.access import SELFCHECK_FIGURES
from selfcheck.selectors import item_columns, n_items_for

from ..access import DASHBOARD_ROLES
from ..models import CampaignPolicy
from .levers import Levers, lights
from .periods import period_bounds

if TYPE_CHECKING:
    from collections.abc import Callable

    from rectify.models import AnyUser


# --- scope ----------------------------------------------------------------------------------


def dashboard_roots(user: AnyUser) -> list[Unit]:
    """The roots of the user's jurisdiction (LEADER / OFFICE scopes), in tree order."""
    paths = access.scope_paths(user, DASHBOARD_ROLES)
    if not paths:
        return []
    return list(Unit.objects.filter(path__in=paths).order_by("path"))


def get_dashboard_unit(user: AnyUser, pk: int) -> Unit:
    """A unit inside the user's jurisdiction; 404 otherwise (missing and outside alike)."""
    unit = Unit.objects.filter(access.unit_q(user, DASHBOARD_ROLES), pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def breadcrumb(user: AnyUser, unit: Unit) -> list[Unit]:
    """From the user's scope root above `unit` down to `unit` (one query; none at the root
    itself, the dashboard's home)."""
    root = next(
        (p for p in access.scope_paths(user, DASHBOARD_ROLES) if unit.path.startswith(p)),
        unit.path,
    )
    if root == unit.path:
        return [unit]
    return [a for a in unit_ancestors(unit) if a.path.startswith(root)]


def dashboard_campaign() -> Campaign | None:
    """figures.current_campaign() with its leadership policy in the same query (the
    dashboard reads both on every request)."""
    return (
        Campaign.objects.filter(is_current=True)
        .select_related("leadership_policy")
        .order_by("-pk")
        .first()
    )


def policy_of(campaign: Campaign) -> CampaignPolicy:
    """CampaignPolicy.for_campaign, without a query when dashboard_campaign loaded it."""
    try:
        return campaign.leadership_policy
    except CampaignPolicy.DoesNotExist:
        return CampaignPolicy(campaign=campaign)


# --- columns --------------------------------------------------------------------------------


def _ledger(name: str, unit: Unit, **extra: Any) -> str:
    return f"{reverse(name)}?{urlencode({'unit': unit.pk, **extra})}"


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    group: str  # "sc", "ld", "rm", "all"
    value: Callable[[Levers], Any]
    rate: bool = False
    light: str = ""  # the key of `lights()` that colours this column
    link: Callable[[Unit], str] | None = None


def _sc(u: Unit, **kw: Any) -> str:
    return _ledger("selfcheck:queue", u, **kw)


def _ld(u: Unit, **kw: Any) -> str:
    return _ledger("leads:ledger", u, **kw)


def _rm(u: Unit, **kw: Any) -> str:
    return _ledger("remediation:ledger", u, **kw)


COLUMNS: list[Column] = [
    Column("sc_expected", _("应填报"), "sc", lambda lv: lv["sc.expected"], link=_sc),
    Column(
        "sc_submitted",
        _("已提交"),
        "sc",
        lambda lv: lv["sc.submitted"],
        link=_sc,
    ),
    Column("filing_rate", _("填报率"), "sc", lambda lv: lv.filing_rate, rate=True, light="filing"),
    Column(
        "cadre_filing_rate",
        _("领导干部填报率"),
        "sc",
        lambda lv: lv.cadre_filing_rate,
        rate=True,
        link=lambda u: _sc(u, cadre="1"),
    ),
    Column("declared", _("申报问题数"), "sc", lambda lv: lv.declared),
    Column("ld_received", _("线索受理"), "ld", lambda lv: lv["ld.received"], link=_ld),
    Column("ld_concluded", _("办结"), "ld", lambda lv: lv["ld.concluded"]),
    Column(
        "closure_rate", _("查结率"), "ld", lambda lv: lv.closure_rate, rate=True, light="closure"
    ),
    Column(
        "ld_overdue",
        _("逾期"),
        "ld",
        lambda lv: lv["ld.overdue"],
        link=lambda u: _ld(u, overdue="1"),
    ),
    Column("ld_listed", _("挂牌督办"), "ld", lambda lv: lv["ld.listed"]),
    Column("ld_transferred", _("移交"), "ld", lambda lv: lv["ld.transferred"]),
    Column("rm_items", _("整改问题"), "rm", lambda lv: lv["rm.items"], link=_rm),
    Column(
        "rm_accepted",
        _("已验收"),
        "rm",
        lambda lv: lv["rm.accepted"],
        link=lambda u: _rm(u, status="accepted"),
    ),
    Column(
        "accepted_rate",
        _("验收率"),
        "rm",
        lambda lv: lv.accepted_rate,
        rate=True,
        light="accepted",
    ),
    Column(
        "rm_overdue",
        _("逾期"),
        "rm",
        lambda lv: lv["rm.overdue"],
        link=lambda u: _rm(u, overdue="on"),
    ),
    Column("rm_rules", _("建章立制"), "rm", lambda lv: lv["rm.rules"]),
    Column("rm_rotations", _("轮岗交流"), "rm", lambda lv: lv["rm.rotations"]),
    Column("satisfaction_rate", _("满意度"), "rm", lambda lv: lv.satisfaction_rate, rate=True),
    Column("overdue", _("逾期合计"), "all", lambda lv: lv.overdue, light="overdue"),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
GROUPS = [("sc", _("自查填报")), ("ld", _("问题线索")), ("rm", _("整改整治")), ("all", "")]


@dataclass
class Cell:
    column: Column
    value: Any
    tone: str = ""
    url: str = ""


@dataclass
class Row:
    unit: Unit
    levers: Levers
    tones: dict[str, str]
    cells: list[Cell] = field(default_factory=list)

    @property
    def by_key(self) -> dict[str, Cell]:
        """Cells by column key, for templates (a `Levers` is subscriptable, so a template's
        `levers.filing_rate` would read the counter "filing_rate", not the property)."""
        return {c.column.key: c for c in self.cells}


def ledgers_open_to(user: AnyUser) -> set[str]:
    """Which ledgers the user may open, so a number links only where the link works:
    "ld" the lead ledger, "rm" the problem ledger, "sc" the self-check review queue, and
    "sc_figures" the self-check figures page (for leaders, who review no reports)."""
    out = set()
    if access.has_role(user, *LEAD_READER_ROLES):
        out.add("ld")
    if access.has_role(user, *ITEM_READER_ROLES):
        out.add("rm")
    if access.has_role(user, Role.REVIEWER):
        out.add("sc")
    if access.has_role(user, *SELFCHECK_FIGURES):
        out.add("sc_figures")
    return out


def _link(column: Column, unit: Unit, value: Any, ledgers: set[str]) -> str:
    if not value or column.link is None:
        return ""
    if column.group in ledgers:
        return column.link(unit)
    if column.group == "sc" and "sc_figures" in ledgers:
        return _ledger("selfcheck:figures", unit)
    return ""


def make_row(
    unit: Unit, levers: Levers, policy: CampaignPolicy, ledgers: set[str] | None = None
) -> Row:
    tones = lights(levers, policy)
    cells = []
    for c in COLUMNS:
        value = c.value(levers)
        url = _link(c, unit, value, ledgers or set())
        cells.append(Cell(c, value, tones.get(c.light, "") if c.light else "", url))
    return Row(unit=unit, levers=levers, tones=tones, cells=cells)


def parse_sort(raw: str | None) -> tuple[str, bool]:
    """`?sort=closure_rate` (ascending) or `?sort=-closure_rate` (descending); anything
    else is the tree order ("", False)."""
    raw = (raw or "").strip()
    desc = raw.startswith("-")
    key = raw.lstrip("-")
    return (key, desc) if key in COLUMN_BY_KEY or key == "name" else ("", False)


def sort_rows(rows: list[Row], key: str, desc: bool) -> list[Row]:
    """Server-side sort by a column; units without a figure (no rate) always go last."""
    if key == "name":
        return sorted(rows, key=lambda r: r.unit.name, reverse=desc)
    column = COLUMN_BY_KEY.get(key)
    if column is None:
        return rows
    known = [r for r in rows if column.value(r.levers) is not None]
    unknown = [r for r in rows if column.value(r.levers) is None]
    known.sort(key=lambda r: column.value(r.levers), reverse=desc)
    return known + unknown


@dataclass
class Level:
    unit: Unit
    total: Row
    rows: list[Row]
    policy: CampaignPolicy
    # What the user may not see (recusal), now: the unit's subtree and each child's branch
    # (by path). Subtracted from the snapshots too, which are taken for everyone.
    hidden_total: Counter = field(default_factory=Counter)
    hidden_children: dict[str, Counter] = field(default_factory=dict)

    @property
    def is_leaf(self) -> bool:
        return not self.rows


def _less(values: dict[str, int], hidden: Counter | None) -> Counter:
    out = Counter(values)
    if hidden:
        out.subtract(hidden)
        out = Counter({k: v for k, v in out.items() if v > 0})
    return out


def _hidden(raw: Counter, visible: Counter) -> Counter:
    out = Counter(raw)
    out.subtract(visible)
    return Counter({k: v for k, v in out.items() if v > 0})


def level_for(
    user: AnyUser, campaign: Campaign, unit: Unit, *, sort: str = "", desc: bool = False
) -> Level:
    """The unit's own row (its subtree) and its children's rows (one grouped query)."""
    policy = policy_of(campaign)
    ledgers = ledgers_open_to(user)
    children = unit_children_of(unit)
    # Visible and raw sums in two lookups and one recusal pass; raw less visible is what
    # recusal hides (subtracted from the snapshots too).
    visible, visible_children, raw_total, raw_children = figures.level_totals_for(
        user, campaign, unit
    )
    total = make_row(unit, Levers(unit=unit, counts=visible), policy, ledgers)
    levers = [Levers(unit=c, counts=visible_children.get(c.path, Counter())) for c in children]
    rows = [make_row(lv.unit, lv, policy, ledgers) for lv in levers]
    hidden_children = {
        lv.unit.path: h
        for lv in levers
        if (h := _hidden(raw_children.get(lv.unit.path, Counter()), lv.counts))
    }
    return Level(
        unit=unit,
        total=total,
        rows=sort_rows(rows, sort, desc),
        policy=policy,
        hidden_total=_hidden(raw_total, total.levers.counts),
        hidden_children=hidden_children,
    )


# --- ranking --------------------------------------------------------------------------------

RANK_CHOICES = {
    "": _("综合（查结率，其次填报率）"),
    "closure_rate": _("查结率"),
    "filing_rate": _("填报率"),
    "accepted_rate": _("验收率"),
    "satisfaction_rate": _("满意度"),
    "declared": _("申报问题数"),
    "ld_received": _("线索受理"),
}


def _rank_value(levers: Levers, by: str) -> tuple:
    def num(v: float | None) -> float:
        return -1.0 if v is None else float(v)

    if by in COLUMN_BY_KEY:
        return (num(COLUMN_BY_KEY[by].value(levers)),)
    return (num(levers.closure_rate), num(levers.filing_rate))


def _ranks(items: list[tuple[int, tuple]]) -> dict[int, int]:
    """Competition ranking (1, 1, 3), higher values first: unit id -> rank."""
    ordered = sorted(items, key=lambda t: t[1], reverse=True)
    out: dict[int, int] = {}
    prev, rank = None, 0
    for i, (pk, value) in enumerate(ordered, start=1):
        if value != prev:
            rank, prev = i, value
        out[pk] = rank
    return out


@dataclass
class RankRow:
    unit: Unit
    rank: int
    value: float | int | None
    previous_rank: int | None = None
    previous_value: float | int | None = None

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive: up) since the period began; None without a snapshot."""
        return None if self.previous_rank is None else self.previous_rank - self.rank

    @property
    def value_change(self) -> float | None:
        if self.previous_value is None or self.value is None:
            return None
        return round(float(self.value) - float(self.previous_value), 1)


@dataclass
class Ranking:
    by: str
    label: Any
    since: dt.date
    rows: list[RankRow]
    rate: bool = True


def baseline_snapshots(
    campaign: Campaign, units: list[Unit], day: dt.date
) -> dict[int, dict[str, int]]:
    """Each unit's latest snapshot on or before `day` (one query over a bounded window)."""
    if not units:
        return {}
    out: dict[int, dict[str, int]] = {}
    rows = (
        UnitFigureDay.objects.filter(
            campaign=campaign,
            unit__in=[u.pk for u in units],
            day__lte=day,
            day__gte=day - dt.timedelta(days=40),
        )
        .order_by("unit_id", "-day")
        .values_list("unit_id", "values")
    )
    for unit_id, values in rows:
        out.setdefault(unit_id, values)
    return out


def ranking_for(campaign: Campaign, level: Level, *, by: str = "", today: dt.date) -> Ranking:
    """The children ranked by `by` (a column key) or the composite, and how they stood in
    the snapshot at the start of the current report period (CampaignPolicy.report_period).
    A snapshot is taken for everyone: what the user may not see now is subtracted from it
    as well (an approximation that never counts the recused rows)."""
    by = by if by in RANK_CHOICES else ""
    start, _end = period_bounds(level.policy.report_period, today)
    rows = level.rows
    shown = COLUMN_BY_KEY[by] if by else COLUMN_BY_KEY["closure_rate"]
    current = _ranks([(r.unit.pk, _rank_value(r.levers, by)) for r in rows])
    base = baseline_snapshots(campaign, [r.unit for r in rows], start)
    paths = {r.unit.pk: r.unit.path for r in rows}
    before = {
        pk: Levers(unit=None, counts=_less(values, level.hidden_children.get(paths[pk])))  # type: ignore[arg-type]
        for pk, values in base.items()
    }
    previous = _ranks([(pk, _rank_value(lv, by)) for pk, lv in before.items()])
    out = [
        RankRow(
            unit=r.unit,
            rank=current[r.unit.pk],
            value=shown.value(r.levers),
            previous_rank=previous.get(r.unit.pk),
            previous_value=shown.value(before[r.unit.pk]) if r.unit.pk in before else None,
        )
        for r in rows
    ]
    out.sort(key=lambda x: (x.rank, x.unit.path))
    return Ranking(by=by, label=RANK_CHOICES[by], since=start, rows=out, rate=shown.rate)


# --- charts ---------------------------------------------------------------------------------


@dataclass
class Chart:
    """One chart and its table: `categories` are the x values (or bar labels), each series
    a name and one value per category. `kind`: "line" or "bar"."""

    id: str
    title: Any
    kind: str
    categories: list[str]
    series: list[dict[str, Any]]
    unit_label: str = ""

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"

    @property
    def option(self) -> dict[str, Any]:
        """What static/leadership/dashboard.js turns into an ECharts option."""
        return {
            "kind": self.kind,
            "categories": self.categories,
            "series": [{"name": str(s["name"]), "data": s["data"]} for s in self.series],
            "unit": self.unit_label,
        }

    @property
    def table(self) -> list[tuple[str, list[Any]]]:
        return [(c, [s["data"][i] for s in self.series]) for i, c in enumerate(self.categories)]

    @property
    def empty(self) -> bool:
        return not self.categories


TREND_DAYS = 60


def trend_charts(
    campaign: Campaign, unit: Unit, *, today: dt.date, hidden: Counter | None = None
) -> list[Chart]:
    """Rates and open work over the last days, from the nightly snapshots (less `hidden`,
    what the user may not see: Level.hidden_total)."""
    days = figures.trend(campaign, unit, since=today - dt.timedelta(days=TREND_DAYS))
    cats = [d.strftime("%m-%d") for d, _v in days]
    levers = [Levers(unit=unit, counts=_less(values, hidden)) for _d, values in days]
    rates = Chart(
        "chart-rates",
        _("填报率、查结率、验收率走势（%）"),
        "line",
        cats,
        [
            {"name": _("填报率"), "data": [lv.filing_rate for lv in levers]},
            {"name": _("查结率"), "data": [lv.closure_rate for lv in levers]},
            {"name": _("验收率"), "data": [lv.accepted_rate for lv in levers]},
        ],
        "%",
    )
    open_work = Chart(
        "chart-open",
        _("在办与逾期走势（件）"),
        "line",
        cats,
        [
            {"name": _("在办线索"), "data": [lv["ld.handling"] for lv in levers]},
            {"name": _("未完成整改"), "data": [lv["rm.open"] for lv in levers]},
            {"name": _("逾期合计"), "data": [lv.overdue for lv in levers]},
        ],
    )
    return [rates, open_work]


def _family(levers: Levers, prefix: str, labels: dict[str, str]) -> tuple[list, list]:
    counts = levers.sub(prefix)
    keys = [k for k in labels if counts.get(k)] + sorted(k for k in counts if k not in labels)
    return [labels.get(k) or figures.label(prefix + k) for k in keys], [counts[k] for k in keys]


def declaration_labels(campaign: Campaign, unit: Unit) -> dict[str, str]:
    """sc.yes:<key> -> the self-check item's name (the six, then the N items below `unit`)."""
    chronic = dict(ChronicProblem.choices)
    out = {}
    for key, short in item_columns(n_items_for(campaign=campaign, paths=[unit.path])):
        out[key] = f"{short}：{chronic[key]}" if key in chronic else short
    return out


def family_charts(campaign: Campaign, levers: Levers) -> list[Chart]:
    unit = levers.unit
    cats, data = _family(levers, "sc.yes:", declaration_labels(campaign, unit))
    declared = Chart(
        "chart-declared",
        _("自查申报问题（按事项）"),
        "bar",
        cats,
        [{"name": _("申报“是”"), "data": data}],
    )
    categories = {str(k): str(v) for k, v in ChronicProblem.choices}
    cats, data = _family(levers, "ld.category:", categories)
    by_category = Chart(
        "chart-category", _("线索（按问题类别）"), "bar", cats, [{"name": _("线索"), "data": data}]
    )
    channels = {c.code: c.name for c in ledger_channels()}
    cats, data = _family(levers, "ld.channel:", channels)
    by_channel = Chart(
        "chart-channel", _("线索（按来源渠道）"), "bar", cats, [{"name": _("线索"), "data": data}]
    )
    return [declared, by_category, by_channel]


# --- responsibility (O2) --------------------------------------------------------------------


@dataclass
class Responsibility:
    unit: Unit
    levers: Levers
    primary_overdue: int = 0  # overdue items whose responsible person is the primary
    direct_overdue: int = 0
    ledgers: set[str] = field(default_factory=set)  # ledgers_open_to(user)

    @property
    def ld_overdue(self) -> int:
        return self.levers["ld.overdue"]

    @property
    def rm_overdue(self) -> int:
        return self.levers["rm.overdue"]

    @property
    def sc_late(self) -> int:
        return self.levers["sc.late"]

    @property
    def primary(self) -> Any:
        return self.unit.primary_responsible

    @property
    def direct(self) -> Any:
        return self.unit.direct_responsible

    def owner_url(self, officer: Any) -> str:
        if not officer or "rm" not in self.ledgers:
            return ""
        return _rm(self.unit, owner=officer.number, overdue="on")

    @property
    def primary_url(self) -> str:
        return self.owner_url(self.primary)

    @property
    def direct_url(self) -> str:
        return self.owner_url(self.direct)

    @property
    def leads_url(self) -> str:
        return _ld(self.unit, overdue="1") if "ld" in self.ledgers else ""

    @property
    def items_url(self) -> str:
        return _rm(self.unit, overdue="on") if "rm" in self.ledgers else ""

    @property
    def selfchecks_url(self) -> str:
        if "sc" in self.ledgers:
            return _sc(self.unit, late="on")
        return _ledger("selfcheck:figures", self.unit) if "sc_figures" in self.ledgers else ""


def responsibility_for(user: AnyUser, level: Level) -> list[Responsibility]:
    """Who answers for the unit and each child (主体责任 第一责任人, 直接责任人), the overdue
    work of each subtree (from the levers), and the overdue items each of those officers is
    personally responsible for (one query for all the rows)."""
    rows = [level.total, *level.rows]
    # The level's units are full rows already: only their officers are read, each with
    # their overdue items counted in the same query.
    units = {r.unit.pk: r.unit for r in rows}
    officers = responsible_officers(
        user,
        level.unit,
        [pk for u in units.values() for pk in (u.primary_responsible_id, u.direct_responsible_id)],
    )
    for u in units.values():
        u.primary_responsible = officers.get(u.primary_responsible_id or 0)
        u.direct_responsible = officers.get(u.direct_responsible_id or 0)
    overdue = {pk: o.rm_overdue for pk, o in officers.items()}
    ledgers = ledgers_open_to(user)
    out = []
    for r in rows:
        unit = units[r.unit.pk]
        out.append(
            Responsibility(
                unit=unit,
                levers=r.levers,
                primary_overdue=overdue.get(unit.primary_responsible_id or 0, 0),
                direct_overdue=overdue.get(unit.direct_responsible_id or 0, 0),
                ledgers=ledgers,
            )
        )
    return out
