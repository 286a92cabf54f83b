"""#14: `generate_province` and `bench pages` at district scale, as CI runs them.

Times are not asserted (the bench measures them); the JSON's shape is, and that every page
makes the same number of queries over two sizes of data (cost must not grow with data).
"""

from __future__ import annotations

import json
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from rectify import figures
from rectify.models import AuditEvent, Officer, Unit
from rectify.province import SCALES, Province


def _fingerprint(p: Province) -> list:
    units = list(
        Unit.objects.filter(path__startswith=p.root.path)
        .order_by("code")
        .values_list("code", "name", "kind", "level", "depth")
    )
    officers = list(
        Officer.objects.filter(unit__path__startswith=p.root.path)
        .order_by("number")
        .values_list("number", "name", "unit__code", "position", "is_leading_cadre")
    )
    return [units, officers, figures.stored(campaign=p.campaign).__len__()]


class _Undo(Exception):
    pass


@pytest.mark.django_db
def test_generate_province_is_deterministic_per_seed():
    prints = []
    for _ in range(2):
        try:
            with transaction.atomic():
                call_command("generate_province", scale="town", seed=7, stdout=StringIO())
                p = Province.load(7, "town")
                prints.append(_fingerprint(p))
                raise _Undo
        except _Undo:
            pass
    assert prints[0] == prints[1]
    assert len(prints[0][1]) == SCALES["town"].officers


@pytest.mark.django_db(transaction=True)
def test_generate_and_bench_pages_at_district_scale(tmp_path):
    out = StringIO()
    call_command("generate_province", scale="district", seed=3, stdout=out)
    p = Province.load(3, "district")
    assert p is not None
    officers = Officer.objects.filter(unit__path__startswith=p.root.path)
    assert officers.count() == SCALES["district"].officers
    share = officers.filter(is_leading_cadre=True).count() / officers.count()
    assert 0.06 <= share <= 0.11
    assert {u.depth for u in p.units} == {1, 2, 3, 4, 5}
    # The counters agree with the rows.
    assert figures.stored(campaign=p.campaign) == figures.computed(campaign=p.campaign)
    assert not figures.stale_totals(p.campaign)
    # A second run with the same seed changes nothing.
    events = AuditEvent.objects.count()
    again = StringIO()
    call_command("generate_province", scale="district", seed=3, stdout=again)
    assert "nothing changed" in again.getvalue()
    assert AuditEvent.objects.count() == events

    path = tmp_path / "bench.json"
    argv = ["pages", "--scale", "district", "--compare", "town", "--seed", "3"]
    argv += ["--repeat", "2", "--json", str(path), "--wrk-seconds", "2", "--wrk-connections", "4"]
    argv += ["--markdown", str(tmp_path / "bench.md")]
    if not shutil.which("wrk"):
        argv.append("--no-throughput")
    call_command("bench", *argv, stdout=StringIO(), stderr=StringIO())
    data = json.loads(path.read_text(encoding="utf-8"))

    assert data["benchmark"] == "pages"
    assert {"date", "commit", "machine", "database", "datasets", "scenarios", "jobs"} <= set(data)
    assert set(data["datasets"]) == {"district", "town"}
    names = {s["name"] for s in data["scenarios"]}
    assert {"rectify.officers.first", "rectify.officers.deep"} <= names
    for scenario in data["scenarios"]:
        sizes = scenario["sizes"]
        for figure in sizes.values():
            assert figure["status"] == scenario["expect_status"], scenario["name"]
            assert {"median_ms", "p95_ms", "queries", "raw"} <= set(figure)
            assert figure["queries"] > 0
        if len(sizes) == 2:
            counts = {scale: figure["queries"] for scale, figure in sizes.items()}
            assert counts["district"] == counts["town"], (scenario["name"], counts)
            assert "growth" in scenario["checks"]
        if "admin" in scenario:
            assert scenario["admin"]["status"] == 200, scenario["admin"]["path"]
            assert scenario["admin"]["queries"] > 0
    for job in data["jobs"]:
        assert "error" not in job, job
        assert job["seconds"] > 0 and job["peak_mb"] > 0
    for row in data.get("throughput", []):
        assert row["status"] == "200", row
        assert row["requests"] > 0 and row["errors"] == 0
    assert {"leads.import", "leads.export"} <= {job["name"] for job in data["jobs"]}
    imported = next(job for job in data["jobs"] if job["name"] == "leads.import")
    assert imported["created"] == SCALES["district"].leads and imported["status"] == "done"
    broken = next(job for job in data["jobs"] if job["name"] == "leads.import.errors")
    assert broken["errors"] == broken["expected_error_rows"] and broken["errors"]
    # The same run, as the tables of BENCHMARKS.md.
    tables = (tmp_path / "bench.md").read_text(encoding="utf-8")
    for scenario in data["scenarios"]:
        assert f"`{scenario['name']}`" in tables
    assert "`leads.import`" in tables
