"""`python manage.py bench <name> [options]`: benchmarks that print JSON.

Each benchmark builds synthetic data inside a transaction that is rolled back at the end,
so it can run against any database without leaving anything behind. Apps register more
benchmarks in BENCHMARKS (name -> (add_arguments, run)).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from rectify.access import forget_assignments, officers_visible_to, units_visible_to
from rectify.models import Officer, Role, RoleAssignment, Unit, UnitKind, UnitLevel, User

if TYPE_CHECKING:
    from typing import Any

    from rectify.models import AnyUser

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(n: int) -> str:
    out = ""
    for _ in range(Unit.steplen):
        n, r = divmod(n, len(ALPHABET))
        out = ALPHABET[r] + out
    return out


def build_province(*, units: int, officers: int, seed: int = 1) -> dict:
    """A synthetic tree (1 province, ~10 cities, districts, sub-units) written in bulk with
    treebeard-compatible paths, and `officers` officers spread over it."""
    rng = random.Random(seed)
    root_path = _step(Unit.objects.filter(depth=1).count() + 1000)
    nodes = [
        Unit(
            code="BENCH",
            name="基准省",
            kind=UnitKind.REGION,
            level=UnitLevel.PROVINCE,
            path=root_path,
            depth=1,
            numchild=0,
        )
    ]
    children: dict[str, int] = {root_path: 0}
    levels = [(UnitLevel.CITY, 10), (UnitLevel.DISTRICT, 10)]
    frontier = [nodes[0]]
    for level, fanout in levels:
        nxt = []
        for parent in frontier:
            for _ in range(fanout):
                if len(nodes) >= units:
                    break
                children[parent.path] += 1
                path = parent.path + _step(children[parent.path])
                unit = Unit(
                    code=f"B{len(nodes)}",
                    name=f"单位{len(nodes)}",
                    kind=UnitKind.COURT,
                    level=level,
                    path=path,
                    depth=parent.depth + 1,
                    numchild=0,
                )
                children[path] = 0
                nodes.append(unit)
                nxt.append(unit)
        frontier = nxt
    while len(nodes) < units:
        parent = rng.choice(frontier)
        children[parent.path] += 1
        path = parent.path + _step(children[parent.path])
        nodes.append(
            Unit(
                code=f"B{len(nodes)}",
                name=f"单位{len(nodes)}",
                kind=UnitKind.STATION,
                level=UnitLevel.SUBUNIT,
                path=path,
                depth=parent.depth + 1,
                numchild=0,
            )
        )
        children[path] = 0
    for node in nodes:
        node.numchild = children[node.path]
    Unit.objects.bulk_create(nodes, batch_size=1000)
    ids = list(Unit.objects.filter(path__startswith=root_path).values_list("id", flat=True))
    Officer.objects.bulk_create(
        [
            Officer(number=f"BN{i:07d}", name=f"干警{i}", unit_id=rng.choice(ids))
            for i in range(officers)
        ],
        batch_size=5000,
    )
    district = Unit.objects.filter(path__startswith=root_path, depth=3).first()
    reviewer = User.objects.create(username="bench-reviewer")
    RoleAssignment.objects.create(user=reviewer, role=Role.REVIEWER, unit=district)
    leader = User.objects.create(username="bench-leader")
    RoleAssignment.objects.create(user=leader, role=Role.LEADER, unit=nodes[0])
    return {"reviewer": reviewer, "leader": leader}


def _time(fn: Callable[[], object], repeat: int) -> dict:
    samples = []
    with CaptureQueriesContext(connection) as ctx:
        fn()
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "median_ms": round(statistics.median(samples), 2),
        "max_ms": round(max(samples), 2),
        "queries": len(ctx.captured_queries),
    }


def bench_scope(options: dict[str, Any]) -> dict:
    start = time.perf_counter()
    cast = build_province(units=options["units"], officers=options["officers"])
    setup_s = round(time.perf_counter() - start, 2)
    results = {}
    for name, user in cast.items():

        def first_page(user: AnyUser = user):
            forget_assignments(user)
            return list(officers_visible_to(user).order_by("number")[:50])

        def count(user: AnyUser = user):
            forget_assignments(user)
            return officers_visible_to(user).count()

        def units(user: AnyUser = user):
            forget_assignments(user)
            return units_visible_to(user).count()

        results[name] = {
            "officers_in_scope": count(),
            "officers_first_page": _time(first_page, options["repeat"]),
            "officers_count": _time(count, options["repeat"]),
            "units_count": _time(units, options["repeat"]),
        }
    return {
        "benchmark": "scope",
        "database": connection.vendor,
        "units": options["units"],
        "officers": options["officers"],
        "setup_s": setup_s,
        "results": results,
    }


def _scope_args(parser: CommandParser) -> None:
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--officers", type=int, default=150_000)
    parser.add_argument("--repeat", type=int, default=5)


def _pages_args(parser: CommandParser) -> None:
    from rectify.province import SCALES

    parser.add_argument("--scale", choices=list(SCALES), default="province")
    parser.add_argument(
        "--compare",
        choices=list(SCALES),
        default=None,
        help="the second size the list pages are measured at (default: one size smaller)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", default="", help="only scenarios whose name contains this")
    parser.add_argument("--json", dest="json_path", default="", help="also write the JSON here")
    parser.add_argument(
        "--markdown", default="", help="also write the tables (as in BENCHMARKS.md) here"
    )
    parser.add_argument("--no-jobs", action="store_true", help="skip export/import")
    parser.add_argument("--no-throughput", action="store_true", help="skip gunicorn + wrk")
    parser.add_argument("--wrk-seconds", type=int, default=30)
    parser.add_argument("--wrk-connections", type=int, default=32)
    parser.add_argument("--job", default="", help=argparse.SUPPRESS)


# name -> (add_arguments, run). Apps add theirs from AppConfig.ready() (leads: leads_similar,
# leads_ledger), so the core names no app. `pages` runs over generated data and rolls back
# each sample itself (rectify.benchpages).
BENCHMARKS: dict[str, tuple[Callable[[CommandParser], None], Callable[[dict], dict]]] = {
    "scope": (_scope_args, bench_scope),
    "pages": (_pages_args, lambda options: {}),
}


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Run a benchmark on synthetic data (rolled back afterwards) and print JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="benchmark", required=True)
        for name, (add_args, _) in BENCHMARKS.items():
            add_args(sub.add_parser(name))

    def handle(self, *args, benchmark: str, **options) -> None:
        if benchmark == "pages":
            self._pages(options)
            return
        _, run = BENCHMARKS[benchmark]
        output: dict = {}
        try:
            with transaction.atomic():
                output = run(options)
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))

    def _pages(self, options: dict) -> None:
        from rectify import benchpages
        from rectify.province import SCALES

        if options["job"]:
            result = benchpages.run_job_here(options["seed"], options["scale"], options["job"])
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        if options["compare"] is None:
            names = list(SCALES)
            i = names.index(options["scale"])
            options["compare"] = names[i - 1] if i else None

        def progress(message: str) -> None:
            self.stderr.write(message)

        output = benchpages.run(options, progress)
        text = json.dumps(output, ensure_ascii=False, indent=2)
        if options["json_path"]:
            Path(options["json_path"]).write_text(text + "\n", encoding="utf-8")
        if options["markdown"]:
            Path(options["markdown"]).write_text(benchpages.markdown(output), encoding="utf-8")
        self.stdout.write(text)
