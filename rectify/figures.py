"""Maintained per-unit figures (counters) and their nightly snapshots.

DHIS2's structure, fresher: each app registers a `FigureSource` that computes its figures for
a set of units from its own rows (`compute(campaign, unit_ids, today)`), and calls
`touch(source, unit_ids)` from the services that change those rows, in the same transaction.
`touch` recomputes the touched units' rows of that source at once (or, inside `deferred()`,
once when the outermost block ends: bulk imports), under a row lock on the units so two
concurrent writers cannot both write a stale count. The same transaction adds the change to
the subtree totals of the unit and each of its ancestors (`UnitFigureTotal`, one upsert), so
reading a subtree, the whole province included, is one indexed lookup of a few dozen rows,
never a scan of the ledgers nor of the counters. `rebuild()` recomputes
every unit from the rows (the `rebuild_figures` command and the nightly task: figures that
change with the date, such as overdue, move at midnight), and `snapshot()` stores each unit's
subtree totals for the day, for trends.

Keys are namespaced by source (`sc.` self-check, `ld.` leads, `rm.` remediation) and may
carry a sub-key after a colon (`sc.yes:1`, `ld.category:abuse`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .models import Campaign, Unit, UnitFigure, UnitFigureDay, UnitFigureTotal

# compute(campaign, unit_ids or None for every unit, today) -> {(unit_id, key): value}
Compute = Callable[[Campaign, "list[int] | None", dt.date], dict[tuple[int, str], int]]
# hidden(user, campaign, unit, width) -> {branch path: Counter}: what the source's figures
# under `unit` count that `user` may not see (RECUSAL: leads naming them, and what derives
# from such leads), grouped by the first `width` characters of the row's unit path. A few
# rows at most; subtracted by `totals_for` and `child_totals_for`.
Hidden = Callable[[Any, Campaign, Unit, int], dict[str, Counter]]


@dataclass
class FigureSource:
    name: str  # the key prefix without its dot: "sc", "ld", "rm"
    compute: Compute
    labels: dict[str, str] = field(default_factory=dict)  # key -> Chinese label
    hidden: Hidden | None = None

    @property
    def prefix(self) -> str:
        return f"{self.name}."


_SOURCES: dict[str, FigureSource] = {}
_PENDING: ContextVar[dict[str, set[int]] | None] = ContextVar("figures_pending", default=None)


def register(source: FigureSource) -> None:
    """Called from an app's AppConfig.ready()."""
    _SOURCES[source.name] = source


def sources() -> list[FigureSource]:
    return list(_SOURCES.values())


def label(key: str) -> str:
    for source in _SOURCES.values():
        if key in source.labels:
            return str(source.labels[key])
    return key


def current_campaign() -> Campaign | None:
    return Campaign.objects.filter(is_current=True).order_by("-pk").first()


# --- writing ------------------------------------------------------------------------------


def touch(source: str, unit_ids: Iterable[int | None]) -> None:
    """The rows of `source` under these units changed: recompute their figures now (or when
    the outermost `deferred()` block ends). Call it after the write, inside its transaction."""
    ids = {int(u) for u in unit_ids if u}
    if not ids:
        return
    pending = _PENDING.get()
    if pending is not None:
        pending.setdefault(source, set()).update(ids)
        return
    refresh(ids, names=[source])


@contextmanager
def deferred() -> Iterator[None]:
    """Collect touches and recompute each touched unit once at the end (bulk writes)."""
    if _PENDING.get() is not None:
        yield
        return
    token = _PENDING.set({})
    try:
        yield
        pending = _PENDING.get() or {}
    finally:
        _PENDING.reset(token)
    for name, ids in pending.items():
        refresh(ids, names=[name])


def refresh(
    unit_ids: Iterable[int] | None,
    *,
    names: Iterable[str] | None = None,
    campaign: Campaign | None = None,
    today: dt.date | None = None,
) -> int:
    """Recompute the figures of these units (None: every unit) from the rows; returns the
    number of counter rows written."""
    campaign = campaign or current_campaign()
    if campaign is None:
        return 0
    today = today or timezone.localdate()
    chosen = [_SOURCES[n] for n in (names or _SOURCES) if n in _SOURCES]
    ids = None if unit_ids is None else sorted(set(unit_ids))
    written = 0
    with transaction.atomic():
        if ids is not None:
            # Serialise writers of the same units: the second waits, then counts what the
            # first committed (READ COMMITTED sees it in its next statement).
            list(Unit.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
        for source in chosen:
            values = source.compute(campaign, ids, today)
            rows = UnitFigure.objects.filter(campaign=campaign, key__startswith=source.prefix)
            if ids is not None:
                rows = rows.filter(unit_id__in=ids)
                old = {(u, k): v for u, k, v in rows.values_list("unit_id", "key", "value")}
            rows.delete()
            objs = [
                UnitFigure(campaign=campaign, unit_id=unit_id, key=key, value=value)
                for (unit_id, key), value in values.items()
                if value and (ids is None or unit_id in ids)
            ]
            UnitFigure.objects.bulk_create(objs, batch_size=2000)
            written += len(objs)
            if ids is None:
                _retotal(campaign, source.prefix)
            else:
                new = {(o.unit_id, o.key): o.value for o in objs}
                _add_to_totals(
                    campaign,
                    {k: new.get(k, 0) - old.get(k, 0) for k in new.keys() | old.keys()},
                )
    return written


def _prefixes(path: str) -> list[str]:
    return [path[: i * Unit.steplen] for i in range(1, len(path) // Unit.steplen + 1)]


def _add_to_totals(campaign: Campaign, deltas: dict[tuple[int, str], int]) -> None:
    """Add each unit's change to its own and every ancestor's subtree total (one upsert;
    rows in a fixed order, so two writers lock shared ancestors in the same order)."""
    deltas = {k: d for k, d in deltas.items() if d}
    if not deltas:
        return
    paths = dict(Unit.objects.filter(pk__in={u for u, _ in deltas}).values_list("pk", "path"))
    wanted = {p for path in paths.values() for p in _prefixes(path)}
    by_path = dict(Unit.objects.filter(path__in=wanted).values_list("path", "pk"))
    rolled: Counter = Counter()
    for (unit_id, key), delta in deltas.items():
        for prefix in _prefixes(paths[unit_id]):
            if prefix in by_path:
                rolled[(by_path[prefix], key)] += delta
    rows = sorted((u, k, d) for (u, k), d in rolled.items() if d)
    table = UnitFigureTotal._meta.db_table
    q = connection.ops.quote_name
    columns = ", ".join(q(c) for c in ("campaign_id", "unit_id", "key", "value"))
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 500):
            chunk = rows[i : i + 500]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {q(table)} ({columns}) VALUES {values} "  # noqa: S608
                f"ON CONFLICT ({q('campaign_id')}, {q('unit_id')}, {q('key')}) "
                f"DO UPDATE SET {q('value')} = {q(table)}.{q('value')} + excluded.{q('value')}",
                [x for u, k, d in chunk for x in (campaign.pk, u, k, d)],
            )


def _rolled_from_rows(campaign: Campaign, prefix: str = "") -> Counter:
    """Every unit's subtree totals summed from the units' own counters: (unit, key) -> n."""
    paths = dict(Unit.objects.values_list("pk", "path"))
    by_path = {path: pk for pk, path in paths.items()}
    rows = UnitFigure.objects.filter(campaign=campaign)
    if prefix:
        rows = rows.filter(key__startswith=prefix)
    rolled: Counter = Counter()
    for unit_id, key, value in rows.values_list("unit_id", "key", "value").iterator(5000):
        for p in _prefixes(paths[unit_id]):
            if p in by_path:
                rolled[(by_path[p], key)] += value
    return rolled


def _retotal(campaign: Campaign, prefix: str = "") -> int:
    """Rewrite the subtree totals from the own counters in SQL: one INSERT ... SELECT per
    tree level, each joining a counter's unit to its ancestor at that level by path."""
    totals_rows = UnitFigureTotal.objects.filter(campaign=campaign)
    if prefix:
        totals_rows = totals_rows.filter(key__startswith=prefix)
    totals_rows.delete()
    q = connection.ops.quote_name
    total, figure, unit = (q(m._meta.db_table) for m in (UnitFigureTotal, UnitFigure, Unit))
    deepest = Unit.objects.order_by("-depth").values_list("depth", flat=True).first() or 0
    written = 0
    with connection.cursor() as cursor:
        for depth in range(1, deepest + 1):
            cursor.execute(
                f"INSERT INTO {total} (campaign_id, unit_id, {q('key')}, {q('value')}) "  # noqa: S608
                f"SELECT f.campaign_id, a.id, f.{q('key')}, SUM(f.{q('value')}) "
                f"FROM {figure} f JOIN {unit} u ON u.id = f.unit_id "
                f"JOIN {unit} a ON a.path = SUBSTR(u.path, 1, %s) "
                f"WHERE f.campaign_id = %s AND u.depth >= %s AND f.{q('key')} LIKE %s "
                f"GROUP BY f.campaign_id, a.id, f.{q('key')} HAVING SUM(f.{q('value')}) <> 0",
                [depth * Unit.steplen, campaign.pk, depth, prefix + "%"],
            )
            written += max(cursor.rowcount, 0)
    return written


def retotal(campaign: Campaign) -> int:
    """Recompute the subtree totals from the units' own counters (after a unit moved in the
    tree, or after counters were written by hand in a test). Returns the rows written."""
    with transaction.atomic():
        return _retotal(campaign)


def stale_totals(campaign: Campaign) -> dict[tuple[int, str], tuple[int, int]]:
    """Subtree totals that differ from the sums of the own counters: {(unit, key): (stored,
    summed)}. Empty when the maintained totals are right (tests, `rebuild_figures --check`)."""
    want = {k: v for k, v in _rolled_from_rows(campaign).items() if v}
    have = {
        (u, k): v
        for u, k, v in UnitFigureTotal.objects.filter(campaign=campaign)
        .exclude(value=0)
        .values_list("unit_id", "key", "value")
    }
    return {
        k: (have.get(k, 0), want.get(k, 0))
        for k in want.keys() | have.keys()
        if have.get(k, 0) != want.get(k, 0)
    }


def rebuild(*, campaign: Campaign | None = None, today: dt.date | None = None) -> int:
    """Recompute every unit's figures from the rows (the `rebuild_figures` command)."""
    return refresh(None, campaign=campaign, today=today)


def computed(*, campaign: Campaign, today: dt.date | None = None) -> dict[tuple[int, str], int]:
    """What `rebuild` would write, without writing it (tests compare it with the table)."""
    today = today or timezone.localdate()
    out: dict[tuple[int, str], int] = {}
    for source in _SOURCES.values():
        out.update({k: v for k, v in source.compute(campaign, None, today).items() if v})
    return out


def stored(*, campaign: Campaign) -> dict[tuple[int, str], int]:
    rows = UnitFigure.objects.filter(campaign=campaign).exclude(value=0)
    return {(u, k): v for u, k, v in rows.values_list("unit_id", "key", "value")}


# --- reading ------------------------------------------------------------------------------


def totals(campaign: Campaign, unit: Unit, *, prefix: str = "") -> Counter:
    """The unit's subtree figures, key → value (one indexed lookup of the maintained totals)."""
    rows = UnitFigureTotal.objects.filter(campaign=campaign, unit=unit).exclude(value=0)
    if prefix:
        rows = rows.filter(key__startswith=prefix)
    return Counter(dict(rows.values_list("key", "value")))


def totals_many(campaign: Campaign, units: Iterable[Unit], *, prefix: str = "") -> Counter:
    """The figures summed over several subtrees (a user's scope); subtrees must not nest."""
    out: Counter = Counter()
    for unit in units:
        out.update(totals(campaign, unit, prefix=prefix))
    return out


def child_totals(campaign: Campaign, unit: Unit, *, prefix: str = "") -> dict[str, Counter]:
    """Figures of each child's subtree, keyed by the child's path (one query over the
    children's maintained totals): the drill-down. A child with no figures is absent."""
    rows = UnitFigureTotal.objects.filter(
        campaign=campaign, unit__path__startswith=unit.path, unit__depth=unit.depth + 1
    ).exclude(value=0)
    if prefix:
        rows = rows.filter(key__startswith=prefix)
    out: dict[str, Counter] = {}
    for path, key, value in rows.values_list("unit__path", "key", "value"):
        out.setdefault(path, Counter())[key] = value
    return out


def _hidden(
    user: Any, campaign: Campaign, unit: Unit, width: int, prefix: str = ""
) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for source in _SOURCES.values():
        if source.hidden is None:
            continue
        if prefix and not (source.prefix.startswith(prefix) or prefix.startswith(source.prefix)):
            continue  # none of its keys is asked for
        for branch, counts in source.hidden(user, campaign, unit, width).items():
            out.setdefault(branch, Counter()).update(counts)
    return out


def _minus(a: Counter, b: Counter) -> Counter:
    out = Counter(a)
    out.subtract(b)
    return Counter({k: v for k, v in out.items() if v > 0})


def totals_for(user: Any, campaign: Campaign, unit: Unit, *, prefix: str = "") -> Counter:
    """`totals` less what the user may not see (need to know: the dashboards call this)."""
    hidden = _hidden(user, campaign, unit, len(unit.path), prefix).get(unit.path, Counter())
    return _minus(totals(campaign, unit, prefix=prefix), hidden)


def level_totals_for(
    user: Any, campaign: Campaign, unit: Unit, *, prefix: str = ""
) -> tuple[Counter, dict[str, Counter], Counter, dict[str, Counter]]:
    """`totals_for` and `child_totals_for` at once, with the raw figures they were cut from:
    (visible total, visible per child, raw total, raw per child). One pass of the sources'
    `hidden` at the children's width serves both (its branches sum to the subtree's), so a
    dashboard level costs two lookups and one recusal pass instead of two of each."""
    width = Unit.steplen * (unit.depth + 1)
    hidden = _hidden(user, campaign, unit, width, prefix)
    hidden_total: Counter = Counter()
    for counts in hidden.values():
        hidden_total.update(counts)
    raw_total = totals(campaign, unit, prefix=prefix)
    raw_children = child_totals(campaign, unit, prefix=prefix)
    visible_children = {
        branch: _minus(counts, hidden.get(branch, Counter()))
        for branch, counts in raw_children.items()
    }
    return _minus(raw_total, hidden_total), visible_children, raw_total, raw_children


def child_totals_for(
    user: Any, campaign: Campaign, unit: Unit, *, prefix: str = ""
) -> dict[str, Counter]:
    """`child_totals` less what the user may not see, per child."""
    width = Unit.steplen * (unit.depth + 1)
    hidden = _hidden(user, campaign, unit, width, prefix)
    return {
        branch: _minus(counts, hidden.get(branch, Counter()))
        for branch, counts in child_totals(campaign, unit, prefix=prefix).items()
    }


# --- snapshots ----------------------------------------------------------------------------


def snapshot(*, campaign: Campaign | None = None, day: dt.date | None = None) -> int:
    """Store every unit's subtree totals for the day (idempotent: a second run the same day
    rewrites the same rows). Returns the number of units written."""
    campaign = campaign or current_campaign()
    if campaign is None:
        return 0
    day = day or timezone.localdate()
    own: dict[str, Counter] = {}
    paths = dict(Unit.objects.values_list("pk", "path"))
    for unit_id, key, value in UnitFigure.objects.filter(campaign=campaign).values_list(
        "unit_id", "key", "value"
    ):
        own.setdefault(paths[unit_id], Counter())[key] += value
    rolled: dict[str, Counter] = {path: Counter() for path in paths.values()}
    for path, counts in own.items():
        for i in range(1, len(path) // Unit.steplen + 1):
            prefix = path[: i * Unit.steplen]
            if prefix in rolled:
                rolled[prefix].update(counts)
    by_path = {path: pk for pk, path in paths.items()}
    with transaction.atomic():
        UnitFigureDay.objects.filter(campaign=campaign, day=day).delete()
        UnitFigureDay.objects.bulk_create(
            [
                UnitFigureDay(campaign=campaign, unit_id=by_path[p], day=day, values=dict(c))
                for p, c in rolled.items()
            ],
            batch_size=1000,
        )
    return len(rolled)


def trend(
    campaign: Campaign, unit: Unit, *, since: dt.date | None = None
) -> list[tuple[dt.date, dict[str, int]]]:
    """The unit's snapshots, oldest first: (day, subtree totals)."""
    rows = UnitFigureDay.objects.filter(campaign=campaign, unit=unit)
    if since:
        rows = rows.filter(day__gte=since)
    return [(r.day, r.values) for r in rows.order_by("day")]
